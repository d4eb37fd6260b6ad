/**
 * The MongoDB store's index definitions (src/store/mongodb/index-definitions.ts) against the queries the store
 * sends: every list query, element read and journal walk has an index whose key starts with its equality fields
 * and continues with its sort, so no query scans a collection or sorts in memory. Without a server; the store
 * test (test/store/mongodb.test.ts) checks the same with `explain` when a MongoDB is available.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COLLECTIONS, INDEX_DEFINITIONS } from '../../src/store/mongodb/index-definitions.js';
import { LIST_SORT, listFilter } from '../../src/store/mongodb/list-query.js';

type Key = Record<string, number>;

function indexesOf(collection: string): { key: Key; unique?: boolean; name?: string; collation?: unknown }[] {
  const entry = INDEX_DEFINITIONS.find((d) => d.collection === collection);
  assert.ok(entry, `no index definitions for ${collection}`);
  return entry.indexes as { key: Key; unique?: boolean; name?: string }[];
}

/** True when an index (or the built-in `_id` index) serves equality on `equal` then sorting by `sort`. */
function served(collection: string, equal: string[], sort: Key): boolean {
  const wanted = [...equal, ...Object.keys(sort)];
  const keys: Key[] = [{ _id: 1 }, ...indexesOf(collection).map((i) => i.key)];
  return keys.some((key) => {
    const fields = Object.keys(key);
    return wanted.every((field, i) => fields[i] === field) && Object.entries(sort).every(([f, dir]) => key[f] === dir);
  });
}

const IDENTIFIABLES = [COLLECTIONS.shells, COLLECTIONS.submodels, COLLECTIONS.conceptDescriptions];

describe('index definitions', () => {
  it('serve every list query shape of every kind with an index in id order', () => {
    for (const collection of IDENTIFIABLES) {
      for (const filter of [{ terms: [] }, { idShort: 'X', terms: [] }, { terms: ['t'] }]) {
        const equal = Object.keys(listFilter(filter));
        assert.ok(served(collection, equal, LIST_SORT), `${collection}: ${JSON.stringify(filter)}`);
      }
      // With several criteria (AND), each one alone has its index to drive from.
      const and = listFilter({ idShort: 'X', terms: ['a', 'b'] });
      assert.ok(served(collection, ['idShort'], LIST_SORT));
      assert.ok((and.$and as object[]).every((c) => served(collection, Object.keys(c), LIST_SORT)));
    }
  });

  it('serve the element reads: a whole element set in order, one element by idShort, a patch by position', () => {
    const elements = COLLECTIONS.submodelElements;
    assert.ok(served(elements, ['version'], { position: 1 }));
    assert.ok(served(elements, ['version', 'idShort'], { position: 1 }));
    assert.ok(indexesOf(elements).some((i) => i.unique === true && JSON.stringify(i.key) === '{"version":1,"position":1}'));
  });

  it('serve the journal walk, attachment keys, names per owner and the garbage check', () => {
    assert.ok(served(COLLECTIONS.batchStaging, ['batch'], { seq: 1 }));
    assert.ok(served(COLLECTIONS.attachmentKeys, ['ownerKind', 'ownerId'], { name: 1 }));
    assert.ok(indexesOf(COLLECTIONS.attachmentKeys).some((i) => i.unique === true && Object.keys(i.key).join() === 'ownerKind,ownerId,name'));
    assert.ok(served(COLLECTIONS.attachmentKeys, ['fileId'], {}));
  });

  it('set no collation (ids and names compare by code point) and use unique names per collection', () => {
    for (const { collection, indexes } of INDEX_DEFINITIONS) {
      const names = indexes.map((i) => i.name).filter((n) => n !== undefined);
      assert.equal(new Set(names).size, names.length, collection);
      for (const index of indexes) assert.equal(index.collation, undefined, `${collection} ${JSON.stringify(index.key)}`);
    }
  });

  it('give GridFS exactly the indexes the driver would create itself (same keys, default names)', () => {
    assert.deepEqual(indexesOf('attachments.files'), [{ key: { filename: 1, uploadDate: 1 } }]);
    assert.deepEqual(indexesOf('attachments.chunks'), [{ key: { files_id: 1, n: 1 }, unique: true }]);
  });
});
