/**
 * Store contract, part 3: paging (Part 2 §"Pagination": deterministic order across pages, cursor absent at the
 * end) and the code-point order of ids.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequest } from '../../src/errors.js';
import type { AasStore, WriteOp } from '../../src/store/store.js';
import { collectIds, compareCodePoints, submodel } from './contract-fixtures.js';

/**
 * Ids whose code-point order differs from JS `<` (UTF-16 unit) order: U+FF01 and U+E000 sort before the astral
 * U+1F600 by code point but after it by UTF-16 unit (0xD83D).
 */
const UNICODE_IDS = [
  'urn:x:z',
  'urn:x:é',
  'urn:x:中文',
  'urn:x:\uE000',
  'urn:x:！',
  'urn:x:😀',
  'urn:x:𝄞',
  'urn:x:😀a',
  'urn:x:Z',
  'urn:x:',
  'https://example.com/ids/sm/ß',
];

/** 250 ids: ASCII of mixed shapes plus non-ASCII, written in a shuffled (but fixed) order. */
function pagingIds(): string[] {
  const ids = [...UNICODE_IDS];
  for (let i = 0; ids.length < 250; i++) {
    ids.push(i % 2 === 0 ? `urn:example:sm:${i}` : `https://example.com/sm/${(i * 7919) % 1000}/${i}`);
  }
  // deterministic shuffle (linear congruential), so insertion order is not the sort order
  let seed = 42;
  for (let i = ids.length - 1; i > 0; i--) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const j = seed % (i + 1);
    [ids[i], ids[j]] = [ids[j], ids[i]];
  }
  return ids;
}

async function seed(store: AasStore, ids: readonly string[]): Promise<void> {
  // several batches, so order cannot come from one batch's insertion order
  for (let start = 0; start < ids.length; start += 60) {
    const batch = ids.slice(start, start + 60);
    await store.write(batch.map((id): WriteOp => ({ kind: 'submodels', op: 'create', doc: submodel(id) })));
  }
}

export function pagingCases(store: () => AasStore): void {
  describe('paging', () => {
    it('serves 250 documents exactly once each, in code-point order, at limits 1, 2 and 100', async () => {
      const ids = pagingIds();
      assert.equal(new Set(ids).size, 250);
      await seed(store(), ids);
      const sorted = [...ids].sort(compareCodePoints);
      assert.notDeepEqual(sorted, [...ids].sort(), 'the fixture must tell code-point from UTF-16 order');
      for (const limit of [1, 2, 100]) {
        const served = await collectIds(store().submodels, {}, limit);
        assert.equal(served.length, 250, `limit ${limit}`);
        assert.equal(new Set(served).size, 250, `limit ${limit}: a document was served twice`);
        assert.deepEqual(served, sorted, `limit ${limit}`);
      }
      assert.deepEqual(await collectIds(store().submodels, {}, 2), sorted, 'the order is not deterministic');
    });

    it('orders non-ASCII ids by code point', async () => {
      await seed(store(), UNICODE_IDS);
      const expected = [
        'https://example.com/ids/sm/ß',
        'urn:x:',
        'urn:x:Z',
        'urn:x:z',
        'urn:x:é',
        'urn:x:中文',
        'urn:x:\uE000',
        'urn:x:！',
        'urn:x:𝄞',
        'urn:x:😀',
        'urn:x:😀a',
      ];
      assert.deepEqual(await collectIds(store().submodels, {}, 3), expected);
      assert.deepEqual((await store().submodels.list({}, { limit: 100 })).items.map((d) => d.id), expected);
    });

    it('leaves next out of the last page, also when the last page is exactly full', async () => {
      await seed(store(), ['urn:a', 'urn:b', 'urn:c', 'urn:d']);
      const first = await store().submodels.list({}, { limit: 2 });
      assert.deepEqual(first.items.map((d) => d.id), ['urn:a', 'urn:b']);
      assert.equal(typeof first.next, 'string');
      const second = await store().submodels.list({}, { limit: 2, after: first.next });
      assert.deepEqual(second.items.map((d) => d.id), ['urn:c', 'urn:d']);
      assert.equal(second.next, undefined);
      const whole = await store().submodels.list({}, { limit: 4 });
      assert.equal(whole.items.length, 4);
      assert.equal(whole.next, undefined);
      assert.equal((await store().submodels.list({}, { limit: 1000 })).next, undefined);
    });

    it('serves an empty collection as one empty page', async () => {
      assert.deepEqual(await store().shells.list({}, { limit: 10 }), { items: [] });
      assert.deepEqual(await store().submodels.list({ idShort: 'X' }, { limit: 1 }), { items: [] });
    });

    it('keeps its place when documents change between pages', async () => {
      await seed(store(), ['urn:b', 'urn:d', 'urn:f', 'urn:h']);
      const first = await store().submodels.list({}, { limit: 2 });
      assert.deepEqual(first.items.map((d) => d.id), ['urn:b', 'urn:d']);
      // the cursor's own document and one before it disappear, one appears before the cursor
      await store().write([
        { kind: 'submodels', op: 'delete', id: 'urn:d' },
        { kind: 'submodels', op: 'delete', id: 'urn:b' },
        { kind: 'submodels', op: 'create', doc: submodel('urn:a') },
        { kind: 'submodels', op: 'create', doc: submodel('urn:g') },
      ]);
      const rest = await store().submodels.list({}, { limit: 10, after: first.next });
      assert.deepEqual(rest.items.map((d) => d.id), ['urn:f', 'urn:g', 'urn:h']);
    });

    it('rejects a limit below 1', async () => {
      await assert.rejects(store().submodels.list({}, { limit: 0 }), BadRequest);
      await assert.rejects(store().shells.list({}, { limit: -5 }), BadRequest);
    });
  });
}
