/**
 * Store contract, part 8: the projections some reads need instead of whole documents: ids for `$reference`
 * lists, submodels without their elements for `$metadata`. Same pages, same cursors as `list`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Submodel } from '../../src/model/types.js';
import type { AasStore, Page, PageRequest } from '../../src/store/store.js';
import { collectionOf, documentOf, globalRef, submodel, writeOf, type Kind } from './contract-fixtures.js';

const withElements = (id: string, semantic: string) =>
  ({
    ...submodel(id, { idShort: id.endsWith('1') ? 'One' : 'Other', semanticId: globalRef(semantic) }),
    submodelElements: [{ modelType: 'Property', idShort: 'P', valueType: 'xs:string', value: id }],
  }) as Submodel;

/** Every page of a paged read, following its cursors. */
async function walk<T>(read: (page: PageRequest) => Promise<Page<T>>, limit: number): Promise<{ items: T[]; cursors: (string | undefined)[] }> {
  const items: T[] = [];
  const cursors: (string | undefined)[] = [];
  let after: string | undefined;
  do {
    const page = await read({ limit, after });
    items.push(...page.items);
    cursors.push(page.next);
    after = page.next;
  } while (after !== undefined);
  return { items, cursors };
}

export function projectionCases(store: () => AasStore): void {
  describe('projections: ids and submodel metadata', () => {
    it('lists ids exactly as list pages the documents, cursor for cursor, with filters', async () => {
      const ids = Array.from({ length: 7 }, (_, i) => `urn:p:${i}`);
      await store().write(ids.map((id, i) => writeOf('submodels', 'create', withElements(id, i % 2 ? 'urn:sem:odd' : 'urn:sem:even'))));
      for (const filter of [{}, { semanticId: { keyValue: 'urn:sem:odd' } }, { idShort: 'One' }]) {
        for (const limit of [1, 3, 100]) {
          const docs = await walk((page) => store().submodels.list(filter, page), limit);
          const onlyIds = await walk((page) => store().submodels.listIds(filter, page), limit);
          assert.deepEqual(onlyIds.items, docs.items.map((d) => d.id), JSON.stringify({ filter, limit }));
          assert.deepEqual(onlyIds.cursors, docs.cursors);
        }
      }
    });

    for (const kind of ['shells', 'conceptDescriptions'] as Kind[]) {
      it(`lists ${kind} ids as list does`, async () => {
        const collection = collectionOf(store(), kind);
        await store().write(['urn:k:b', 'urn:k:a', 'urn:k:c'].map((id) => writeOf(kind, 'create', documentOf(kind, id))));
        const docs = await walk((page) => collection.list({}, page), 2);
        const ids = await walk((page) => collection.listIds({}, page), 2);
        assert.deepEqual(ids.items, ['urn:k:a', 'urn:k:b', 'urn:k:c']);
        assert.deepEqual(ids.items, docs.items.map((d) => d.id));
        assert.deepEqual(ids.cursors, docs.cursors);
      });
    }

    it('gives a submodel, and a page of them, without their elements', async () => {
      const full = withElements('urn:m:1', 'urn:sem:m');
      const bare = submodel('urn:m:2', { idShort: 'Bare' });
      await store().write([writeOf('submodels', 'create', full), writeOf('submodels', 'create', bare)]);
      const { submodelElements: _elements, ...metadata } = full;
      assert.deepEqual(await store().submodels.getMetadata('urn:m:1'), metadata);
      assert.deepEqual(await store().submodels.getMetadata('urn:m:2'), bare);
      assert.equal(await store().submodels.getMetadata('urn:m:3'), undefined);
      const page = await store().submodels.listMetadata({}, { limit: 1 });
      assert.deepEqual(page.items, [metadata]);
      assert.deepEqual(page.next, (await store().submodels.list({}, { limit: 1 })).next);
      assert.deepEqual((await store().submodels.listMetadata({ semanticId: { keyValue: 'urn:sem:m' } }, { limit: 10 })).items, [metadata]);
    });
  });
}
