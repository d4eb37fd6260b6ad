/**
 * Store contract, part 5: reading and replacing one top-level element of a submodel (`getTopLevelElement`,
 * `submodelElement replace`), which a backend may do without touching the rest of the submodel.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Conflict, NotFound } from '../../src/errors.js';
import type { Submodel, SubmodelElement } from '../../src/model/types.js';
import type { AasStore, WriteOp } from '../../src/store/store.js';
import { globalRef } from './contract-fixtures.js';

function property(idShort: string, value: string): SubmodelElement {
  return { modelType: 'Property', idShort, valueType: 'xs:string', value } as unknown as SubmodelElement;
}

/** Fields before and after `submodelElements`, so assembling must keep the key's position. */
function submodelWith(id: string, elements: SubmodelElement[]): Submodel {
  return {
    idShort: 'Parts',
    id,
    semanticId: globalRef('urn:sem:parts'),
    submodelElements: elements,
    kind: 'Instance',
    modelType: 'Submodel',
  } as unknown as Submodel;
}

const replaceOp = (submodelId: string, element: SubmodelElement): WriteOp => ({ kind: 'submodelElement', op: 'replace', submodelId, element });

export function elementCases(store: () => AasStore): void {
  describe('submodels: one top-level element', () => {
    const three = () => [property('A', '1'), property('B', '2'), property('C', '3')];

    it('gets a top-level element by idShort, and nothing for another idShort or submodel', async () => {
      await store().write([{ kind: 'submodels', op: 'create', doc: submodelWith('urn:sm', three()) }]);
      assert.deepEqual(await store().submodels.getTopLevelElement('urn:sm', 'B'), property('B', '2'));
      assert.equal(await store().submodels.getTopLevelElement('urn:sm', 'b'), undefined);
      assert.equal(await store().submodels.getTopLevelElement('urn:other', 'B'), undefined);
    });

    it('replaces in place: same position, every other element and field unchanged, seen by every read', async () => {
      const before = submodelWith('urn:sm', three());
      await store().write([{ kind: 'submodels', op: 'create', doc: before }]);
      const changed = { ...property('B', 'two'), category: 'PARAMETER' } as SubmodelElement;
      assert.deepEqual(await store().write([replaceOp('urn:sm', changed)]), ['updated']);
      const expected = submodelWith('urn:sm', [property('A', '1'), changed, property('C', '3')]);
      const submodels = store().submodels;
      assert.deepEqual(await submodels.get('urn:sm'), expected);
      assert.equal(await submodels.getJson('urn:sm'), JSON.stringify(expected));
      assert.deepEqual(await submodels.getMany(['urn:sm']), [expected]);
      assert.deepEqual((await submodels.list({}, { limit: 10 })).items, [expected]);
      assert.deepEqual((await submodels.listJson({}, { limit: 10 })).items, [JSON.stringify(expected)]);
      assert.deepEqual((await submodels.list({ idShort: 'Parts' }, { limit: 10 })).items, [expected]);
      assert.deepEqual((await submodels.list({ semanticId: { keyValue: 'urn:sem:parts' } }, { limit: 10 })).items, [expected]);
      assert.deepEqual(await submodels.getTopLevelElement('urn:sm', 'B'), changed);
    });

    it('assembles each submodel of a page with its own elements', async () => {
      const docs = ['urn:a', 'urn:b', 'urn:c'].map((id, i) => submodelWith(id, [property('X', String(i)), property('Y', id)]));
      docs.push({ modelType: 'Submodel', id: 'urn:d' } as unknown as Submodel);
      docs.push(submodelWith('urn:e', []));
      await store().write(docs.map((doc): WriteOp => ({ kind: 'submodels', op: 'create', doc })));
      await store().write([replaceOp('urn:b', property('Y', 'new'))]);
      docs[1] = submodelWith('urn:b', [property('X', '1'), property('Y', 'new')]);
      assert.deepEqual((await store().submodels.listJson({}, { limit: 10 })).items, docs.map((d) => JSON.stringify(d)));
      assert.deepEqual(await store().submodels.getMany(['urn:e', 'urn:b', 'urn:d']), [docs[4], docs[1], docs[3]]);
    });

    it('rejects a replace with NotFound when the submodel or the element is absent', async () => {
      await store().write([{ kind: 'submodels', op: 'create', doc: submodelWith('urn:sm', three()) }]);
      await assert.rejects(store().write([replaceOp('urn:missing', property('A', 'x'))]), NotFound);
      await assert.rejects(store().write([replaceOp('urn:sm', property('D', 'x'))]), NotFound);
      assert.deepEqual(await store().submodels.get('urn:sm'), submodelWith('urn:sm', three()));
    });

    it('is atomic with the rest of its batch', async () => {
      await store().write([{ kind: 'submodels', op: 'create', doc: submodelWith('urn:sm', three()) }]);
      await assert.rejects(
        store().write([
          replaceOp('urn:sm', property('A', 'changed')),
          { kind: 'submodels', op: 'create', doc: submodelWith('urn:sm', []) },
        ]),
        Conflict,
      );
      assert.deepEqual(await store().submodels.get('urn:sm'), submodelWith('urn:sm', three()));
      // And a whole-submodel write after an element replace in one batch sees the replace undone by it.
      await store().write([replaceOp('urn:sm', property('A', 'x')), { kind: 'submodels', op: 'update', doc: submodelWith('urn:sm', [property('Z', '0')]) }]);
      assert.deepEqual(await store().submodels.get('urn:sm'), submodelWith('urn:sm', [property('Z', '0')]));
      assert.equal(await store().submodels.getTopLevelElement('urn:sm', 'A'), undefined);
      await store().write([{ kind: 'submodels', op: 'delete', id: 'urn:sm' }]);
      assert.equal(await store().submodels.getTopLevelElement('urn:sm', 'Z'), undefined);
    });

    it('shows every write to a submodel read just before it (no stale reads from any cache)', async () => {
      const id = 'urn:example:sm:reread';
      const texts = async () => [await store().submodels.getJson(id), (await store().submodels.listJson({}, { limit: 10 })).items.join()];
      await store().write([{ kind: 'submodels', op: 'create', doc: submodelWith(id, [property('A', '1'), property('B', '2')]) }]);
      await texts();
      await store().write([replaceOp(id, property('B', '3'))]);
      assert.equal(((await store().submodels.get(id))?.submodelElements?.[1] as { value?: string } | undefined)?.value, '3');
      for (const t of await texts()) assert.match(t!, /"value":"3"/);
      await store().write([{ kind: 'submodels', op: 'update', doc: submodelWith(id, [property('C', '4')]) }]);
      for (const t of await texts()) assert.match(t!, /"idShort":"C"/);
      await store().write([{ kind: 'submodels', op: 'delete', id }]);
      assert.equal(await store().submodels.getJson(id), undefined);
      assert.deepEqual((await store().submodels.listJson({}, { limit: 10 })).items, []);
    });

    it('replaces one element of a submodel with 10,000 elements', async () => {
      const elements = Array.from({ length: 10_000 }, (_, i) => property(`P${i}`, String(i)));
      await store().write([{ kind: 'submodels', op: 'create', doc: submodelWith('urn:big', elements) }]);
      await store().write([replaceOp('urn:big', property('P9999', 'last')), replaceOp('urn:big', property('P0', 'first'))]);
      const stored = await store().submodels.get('urn:big');
      elements[0] = property('P0', 'first');
      elements[9999] = property('P9999', 'last');
      assert.deepEqual(stored, submodelWith('urn:big', elements));
      assert.deepEqual(await store().submodels.getTopLevelElement('urn:big', 'P5000'), property('P5000', '5000'));
    });
  });
}
