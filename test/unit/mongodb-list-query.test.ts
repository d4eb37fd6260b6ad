/**
 * The MongoDB store's list queries and paging cursor (src/store/mongodb/list-query.ts), without a server: the
 * filter documents, the cursor round trip and its refusals, the page split, and the premise the id order rests
 * on (MongoDB compares strings without a collation by their UTF-8 bytes; that is code-point order).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequest } from '../../src/errors.js';
import { checkPageRequest, decodeCursor, encodeCursor, LIST_SORT, listFilter, pageOf } from '../../src/store/mongodb/list-query.js';
import { compareCodePoints } from '../store/contract-fixtures.js';

const IDS = ['urn:x:z', 'urn:x:é', 'urn:x:中文', 'urn:x:\uE000', 'urn:x:！', 'urn:x:😀', 'urn:x:𝄞', 'urn:x:😀a', 'urn:x:Z', 'urn:x:', ''];

describe('paging cursor', () => {
  it('round-trips every id, including astral characters and the empty id, and looks nothing like the id', () => {
    for (const id of IDS) {
      const cursor = encodeCursor(id);
      assert.match(cursor, /^m1\.[A-Za-z0-9_-]*$/);
      assert.equal(decodeCursor(cursor), id);
    }
    assert.notEqual(encodeCursor('urn:a'), 'urn:a');
  });

  it('refuses what it did not make with BadRequest', () => {
    const valid = encodeCursor('urn:example:1');
    for (const bad of ['urn:example:1', 'm2.' + valid.slice(3), 'm1.abc$', 'm1.a', valid + '=', 'm1.' + Buffer.from([0xff, 0xfe]).toString('base64url'), valid.slice(0, -1) + '_']) {
      assert.throws(() => decodeCursor(bad), BadRequest, bad);
    }
  });
});

describe('list filters', () => {
  it('is empty without criteria and sorts by _id only', () => {
    assert.deepEqual(listFilter({ terms: [] }), {});
    assert.deepEqual(LIST_SORT, { _id: 1 });
  });

  it('matches idShort exactly and one term by equality on the multikey field', () => {
    assert.deepEqual(listFilter({ idShort: 'Motor', terms: [] }), { idShort: 'Motor' });
    assert.deepEqual(listFilter({ terms: ['asset:["serial","A1"]'] }), { terms: 'asset:["serial","A1"]' });
  });

  it('ANDs several terms as one equality each (so the planner can drive from any), without duplicates', () => {
    assert.deepEqual(listFilter({ idShort: 'X', terms: ['t1', 't2', 't1'] }, 'urn:after'), {
      idShort: 'X',
      $and: [{ terms: 't1' }, { terms: 't2' }],
      _id: { $gt: 'urn:after' },
    });
  });

  it('continues strictly after the cursor id, also when that id is empty', () => {
    assert.deepEqual(listFilter({ terms: [] }, ''), { _id: { $gt: '' } });
  });

  it('takes strings at face value: a term or idShort that looks like an operator is still a plain value', () => {
    assert.deepEqual(listFilter({ idShort: '{"$ne":null}', terms: ['$where'] }), { idShort: '{"$ne":null}', terms: '$where' });
  });
});

describe('pages', () => {
  const rows = (ids: string[]) => ids.map((id) => ({ _id: id }));

  it('gives a cursor only when the extra row came back, pointing after the last row of the page', () => {
    assert.deepEqual(pageOf(rows(['a', 'b']), 2, (r) => r._id), { rows: rows(['a', 'b']) });
    const page = pageOf(rows(['a', 'b', 'c']), 2, (r) => r._id);
    assert.deepEqual(page.rows, rows(['a', 'b']));
    assert.equal(decodeCursor(page.next!), 'b');
    assert.deepEqual(pageOf([], 5, (r: { _id: string }) => r._id), { rows: [] });
  });

  it('refuses limits below 1 or not integers, and cursors that are not strings', () => {
    for (const limit of [0, -5, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) assert.throws(() => checkPageRequest({ limit }), BadRequest);
    assert.throws(() => checkPageRequest({ limit: 1, after: 7 as unknown as string }), BadRequest);
    checkPageRequest({ limit: 1, after: encodeCursor('x') });
  });
});

describe('the id order MongoDB gives without a collation', () => {
  it('is the code-point order of the contract (UTF-8 byte order), not JavaScript string order', () => {
    const byUtf8 = [...IDS].sort((a, b) => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8')));
    assert.deepEqual(byUtf8, [...IDS].sort(compareCodePoints));
    assert.notDeepEqual(byUtf8, [...IDS].sort());
  });
});
