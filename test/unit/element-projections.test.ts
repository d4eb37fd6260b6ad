import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { elementMetadata, elementPaths, elementReference, submodelPaths } from '../../src/model/element-projections.js';
import { locateElement } from '../../src/model/element-tree.js';
import type { Submodel, SubmodelElement } from '../../src/model/types.js';
import { Validator } from '../../src/validation/validator.js';
import { everyElement, everyElementSubmodel } from './element-fixture.js';

/** Part 1 §"Format Metadata", table "Metadata Attributes", written out once more by hand. */
const LEFT_OFF: Record<string, string[]> = {
  SubmodelElementCollection: ['value'],
  SubmodelElementList: ['value'],
  Entity: ['statements', 'globalAssetId', 'specificAssetIds'],
  BasicEventElement: ['observed'],
  Capability: [],
  Operation: [],
  Property: ['value', 'valueId'],
  MultiLanguageProperty: ['value', 'valueId'],
  Range: ['min', 'max'],
  ReferenceElement: ['value'],
  RelationshipElement: ['first', 'second'],
  AnnotatedRelationshipElement: ['first', 'second', 'annotations'],
  Blob: ['value', 'contentType'],
  File: ['value', 'contentType'],
};

const keysOf = (ref: { keys: { type: string; value: string }[] }) => ref.keys.map((k) => `${k.type}:${k.value}`);

describe('fixture', () => {
  it('is a valid Submodel with every element type, so the projections are tested on real shapes', () => {
    assert.deepEqual(new Validator('strict').validate('Submodel', everyElementSubmodel()), []);
    assert.deepEqual(Object.keys(everyElement()).sort(), Object.keys(LEFT_OFF).sort());
  });
});

describe('$metadata of an element', () => {
  for (const [modelType, element] of Object.entries(everyElement())) {
    it(`${modelType}: leaves off exactly ${LEFT_OFF[modelType].join(', ') || 'nothing'}`, () => {
      for (const field of LEFT_OFF[modelType]) assert.ok(field in element, `the fixture sets ${field}`);
      const before = structuredClone(element);
      const metadata = elementMetadata(element as unknown as SubmodelElement) as Record<string, unknown>;
      const kept = Object.keys(element).filter((k) => !LEFT_OFF[modelType].includes(k));
      assert.deepEqual(Object.keys(metadata), kept);
      for (const k of kept) assert.deepEqual(metadata[k], element[k], k);
      assert.deepEqual(element, before, 'the element itself is unchanged');
    });
  }

  it('keeps the common fields (the fixture sets all of them)', () => {
    const metadata = elementMetadata(everyElement().Property as unknown as SubmodelElement) as Record<string, unknown>;
    for (const k of ['extensions', 'category', 'displayName', 'description', 'semanticId', 'supplementalSemanticIds', 'qualifiers', 'idShort', 'modelType', 'valueType']) {
      assert.ok(k in metadata, k);
    }
  });

  it('keeps the list settings of a SubmodelElementList and the entityType of an Entity', () => {
    const all = everyElement();
    const listMetadata = elementMetadata(all.SubmodelElementList as unknown as SubmodelElement) as Record<string, unknown>;
    assert.deepEqual([listMetadata.orderRelevant, listMetadata.typeValueListElement], [true, 'SubmodelElementCollection']);
    assert.equal((elementMetadata(all.Entity as unknown as SubmodelElement) as { entityType?: string }).entityType, 'SelfManagedEntity');
  });
});

describe('$reference of an element', () => {
  const sm = everyElementSubmodel();
  const referenceAt = (path: string) => elementReference(sm.id, locateElement(sm, path).lineage);

  it('is a ModelReference: the Submodel, then one key per element typed by modelType', () => {
    const ref = referenceAt('prop');
    assert.equal(ref.type, 'ModelReference');
    assert.deepEqual(keysOf(ref), ['Submodel:urn:sm', 'Property:prop']);
    for (const [modelType, element] of Object.entries(everyElement())) {
      assert.deepEqual(keysOf(referenceAt(element.idShort as string)), ['Submodel:urn:sm', `${modelType}:${String(element.idShort)}`]);
    }
  });

  it('holds the index after a SubmodelElementList (AASd-128), also for a list in a list', () => {
    assert.deepEqual(keysOf(referenceAt('coll.lists[1][0]')), [
      'Submodel:urn:sm',
      'SubmodelElementCollection:coll',
      'SubmodelElementList:lists',
      'SubmodelElementList:1',
      'Property:0',
    ]);
    assert.deepEqual(keysOf(referenceAt('rows[1].rb')), ['Submodel:urn:sm', 'SubmodelElementList:rows', 'SubmodelElementCollection:1', 'Property:rb']);
  });

  it('walks Entity statements, annotations and Operation variables', () => {
    assert.deepEqual(keysOf(referenceAt('ent.stColl.deep')), ['Submodel:urn:sm', 'Entity:ent', 'SubmodelElementCollection:stColl', 'Property:deep']);
    assert.deepEqual(keysOf(referenceAt('arel.annBlob')), ['Submodel:urn:sm', 'AnnotatedRelationshipElement:arel', 'Blob:annBlob']);
    assert.deepEqual(keysOf(referenceAt('op.inColl.inBlob')), ['Submodel:urn:sm', 'Operation:op', 'SubmodelElementCollection:inColl', 'Blob:inBlob']);
    assert.deepEqual(keysOf(referenceAt('op.io')), ['Submodel:urn:sm', 'Operation:op', 'Property:io']);
  });
});

describe('$path', () => {
  const sm = everyElementSubmodel();
  const at = (path: string) => locateElement(sm, path).element;

  it('of a collection: its own path, then every descendant depth first, list children by index', () => {
    assert.deepEqual(elementPaths(at('coll'), 'coll', 'deep'), [
      'coll',
      'coll.inner',
      'coll.lists',
      'coll.lists[0]',
      'coll.lists[0][0]',
      'coll.lists[0][1]',
      'coll.lists[1]',
      'coll.lists[1][0]',
      'coll.raw',
    ]);
    assert.deepEqual(elementPaths(at('coll'), 'coll', 'core'), ['coll', 'coll.inner', 'coll.lists', 'coll.raw']);
  });

  it('of a nested list, addressed by its full path', () => {
    assert.deepEqual(elementPaths(at('coll.lists'), 'coll.lists', 'deep'), ['coll.lists', 'coll.lists[0]', 'coll.lists[0][0]', 'coll.lists[0][1]', 'coll.lists[1]', 'coll.lists[1][0]']);
    assert.deepEqual(elementPaths(at('coll.lists[0]'), 'coll.lists[0]', 'deep'), ['coll.lists[0]', 'coll.lists[0][0]', 'coll.lists[0][1]']);
    assert.deepEqual(elementPaths(at('rows'), 'rows', 'deep'), ['rows', 'rows[0]', 'rows[0].ra', 'rows[1]', 'rows[1].rb', 'rows[1].rowBlob']);
    assert.deepEqual(elementPaths(at('rows'), 'rows', 'core'), ['rows', 'rows[0]', 'rows[1]']);
  });

  it('of an Entity lists its statements; of an annotated relationship its annotations', () => {
    assert.deepEqual(elementPaths(at('ent'), 'ent', 'deep'), ['ent', 'ent.st', 'ent.stColl', 'ent.stColl.deep']);
    assert.deepEqual(elementPaths(at('ent'), 'ent', 'core'), ['ent', 'ent.st', 'ent.stColl']);
    assert.deepEqual(elementPaths(at('arel'), 'arel', 'deep'), ['arel', 'arel.note', 'arel.annBlob']);
  });

  it('of a leaf is its own path; Operation variables are arguments, not children', () => {
    for (const path of ['prop', 'mlp', 'range', 'refEl', 'rel', 'blob', 'file', 'cap', 'event', 'op', 'coll.lists[1][0]']) {
      assert.deepEqual(elementPaths(at(path), path, 'deep'), [path]);
    }
  });

  it('of a Submodel: every top-level element and its descendants, without the submodel itself', () => {
    const deep = submodelPaths(sm, 'deep');
    assert.deepEqual(submodelPaths(sm, 'core'), Object.values(everyElement()).map((e) => e.idShort));
    assert.equal(deep[0], 'prop');
    assert.ok(!deep.includes('Everything'));
    assert.deepEqual(deep.slice(deep.indexOf('coll'), deep.indexOf('coll') + 9), elementPaths(at('coll'), 'coll', 'deep'));
    assert.equal(deep.length, new Set(deep).size, 'no path twice');
    for (const path of deep) assert.doesNotThrow(() => locateElement(sm, path), `${path} addresses an element`);
    assert.equal(deep.length, 14 + 2 /* arel */ + 3 /* ent */ + 8 /* coll */ + 5 /* rows */);
    assert.deepEqual(submodelPaths({ modelType: 'Submodel', id: 'urn:empty' } as unknown as Submodel, 'deep'), []);
  });

  it('reproduces the example of Part 1 §"Format Path"', () => {
    const p = (idShort?: string) => ({ modelType: 'Property', ...(idShort ? { idShort } : {}), valueType: 'xs:string', value: 'v' });
    const list = (idShort: string | undefined, value: object[]) => ({ modelType: 'SubmodelElementList', ...(idShort ? { idShort } : {}), typeValueListElement: 'SubmodelElement', value });
    const smc = {
      modelType: 'SubmodelElementCollection',
      idShort: 'MySubmodelElementCollection',
      value: [
        p('MySubProperty1'),
        p('MySubProperty2'),
        { modelType: 'SubmodelElementCollection', idShort: 'MySubSubmodelElementCollection', value: [p('MySubSubProperty1'), p('MySubSubProperty2')] },
        list('MySubSubmodelElementList1', [p(), p()]),
        list('MySubSubmodelElementList2', [list(undefined, [p()])]),
      ],
    } as unknown as SubmodelElement;
    const c = 'MySubmodelElementCollection';
    assert.deepEqual(elementPaths(smc, c, 'deep'), [
      c,
      `${c}.MySubProperty1`,
      `${c}.MySubProperty2`,
      `${c}.MySubSubmodelElementCollection`,
      `${c}.MySubSubmodelElementCollection.MySubSubProperty1`,
      `${c}.MySubSubmodelElementCollection.MySubSubProperty2`,
      `${c}.MySubSubmodelElementList1`,
      `${c}.MySubSubmodelElementList1[0]`,
      `${c}.MySubSubmodelElementList1[1]`,
      `${c}.MySubSubmodelElementList2`,
      `${c}.MySubSubmodelElementList2[0]`,
      `${c}.MySubSubmodelElementList2[0][0]`,
    ]);
  });
});
