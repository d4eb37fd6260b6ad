/**
 * The MongoDB store's document layout (src/store/mongodb/document-layout.ts): a submodel splits into a header and
 * one document per top-level element and assembles back byte-for-byte, also after the parts went through BSON;
 * shells and concept descriptions stay whole; the indexed facts are the embedded store's terms.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BSON } from 'mongodb';
import { PayloadTooLarge } from '../../src/errors.js';
import { conceptDescriptionTerms, shellTerms, submodelTerms } from '../../src/store/embedded/index-terms.js';
import { assembleSubmodel, toStoredForm, type StoredIdentifiable } from '../../src/store/mongodb/document-layout.js';
import { toStorableJson } from '../../src/store/mongodb/storable-json.js';

const semanticId = { type: 'ExternalReference', keys: [{ type: 'GlobalReference', value: 'urn:sem:parts' }] };

/** Fields before and after `submodelElements`, so the key's position matters. */
function partsSubmodel(elements: unknown[]): Record<string, unknown> {
  return toStorableJson(
    {
      idShort: 'Parts',
      id: 'urn:sm:parts',
      semanticId,
      submodelElements: elements,
      kind: 'Instance',
      modelType: 'Submodel',
    },
    'Submodel',
  );
}

const property = (idShort: string, value: string) => ({ modelType: 'Property', idShort, valueType: 'xs:string', value });

function bson<T>(value: T): T {
  return BSON.deserialize(BSON.serialize(value as BSON.Document)) as T;
}

describe('toStoredForm', () => {
  it('stores a shell whole, with its idShort and asset id terms beside the document', () => {
    const doc = toStorableJson(
      { modelType: 'AssetAdministrationShell', id: 'urn:s', idShort: 'Motor', assetInformation: { assetKind: 'Instance', globalAssetId: 'urn:a' } },
      'Shell',
    );
    const { stored, elements } = toStoredForm('shells', doc);
    assert.deepEqual(stored, { _id: 'urn:s', idShort: 'Motor', terms: shellTerms(doc).terms, doc });
    assert.ok(stored.terms.length > 0);
    assert.deepEqual(elements, []);
  });

  it('stores a concept description whole with its isCaseOf terms', () => {
    const doc = toStorableJson({ modelType: 'ConceptDescription', id: 'urn:cd', isCaseOf: [semanticId] }, 'CD');
    const { stored } = toStoredForm('conceptDescriptions', doc);
    assert.deepEqual(stored.terms, conceptDescriptionTerms(doc).terms);
    assert.equal(stored.idShort, null);
    assert.equal('layout' in stored, false);
  });

  it('splits a submodel into a header with an empty array in place and one document per element', () => {
    const doc = partsSubmodel([property('A', '1'), { modelType: 'Property', valueType: 'xs:int' }, property('A', '3')]);
    const { stored, elements } = toStoredForm('submodels', doc, () => 'v1');
    assert.deepEqual(Object.keys(stored.doc), Object.keys(doc), 'the header keeps every key in its place');
    assert.deepEqual(stored.doc.submodelElements, []);
    assert.deepEqual(stored.layout, { version: 'v1', count: 3 });
    assert.deepEqual(stored.terms, submodelTerms(doc).terms);
    assert.deepEqual(
      elements.map(({ submodelId, version, position, idShort }) => ({ submodelId, version, position, idShort })),
      [
        { submodelId: 'urn:sm:parts', version: 'v1', position: 0, idShort: 'A' },
        { submodelId: 'urn:sm:parts', version: 'v1', position: 1, idShort: null },
        { submodelId: 'urn:sm:parts', version: 'v1', position: 2, idShort: 'A' },
      ],
    );
    assert.deepEqual(doc.submodelElements, elements.map((e) => e.element), 'the input is not changed');
  });

  it('assembles exactly the JSON text of the document, also after header and elements went through BSON', () => {
    for (const doc of [partsSubmodel([property('A', '1'), property('B', '2')]), partsSubmodel([])]) {
      const { stored, elements } = toStoredForm('submodels', doc);
      const header = bson(stored) as StoredIdentifiable;
      const parts = elements.map((e) => bson(e).element);
      assert.equal(JSON.stringify(assembleSubmodel(header, parts)), JSON.stringify(doc));
    }
  });

  it('keeps a submodel without an element array whole (layout null)', () => {
    for (const doc of [
      toStorableJson({ modelType: 'Submodel', id: 'urn:sm:bare' }, 'S'),
      toStorableJson({ modelType: 'Submodel', id: 'urn:sm:odd', submodelElements: { not: 'an array' } }, 'S'),
    ]) {
      const { stored, elements } = toStoredForm('submodels', doc);
      assert.equal(stored.layout, null);
      assert.deepEqual(elements, []);
      assert.deepEqual(stored.doc, doc);
      assert.equal(JSON.stringify(assembleSubmodel(bson(stored), [])), JSON.stringify(doc));
    }
  });

  it('lets a large submodel through when every element fits, and names the element that does not', () => {
    const big = 'x'.repeat(1024 * 1024);
    const many = partsSubmodel(Array.from({ length: 20 }, (_, i) => property(`P${i}`, big)));
    const { elements } = toStoredForm('submodels', many);
    assert.equal(elements.length, 20, 'a 20 MiB submodel is stored as 20 documents of 1 MiB');
    const huge = partsSubmodel([property('Small', '1'), property('Huge', 'x'.repeat(17 * 1024 * 1024))]);
    assert.throws(() => toStoredForm('submodels', huge), (e: unknown) => e instanceof PayloadTooLarge && /Element 1 \('Huge'\)/.test(e.message));
  });
});
