import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequest } from '../../src/errors.js';
import { decodeCursor, encodeCursor, parsePageRequest, toPagedResult } from '../../src/model/paging.js';

describe('paging', () => {
  it('defaults to 100 and caps at the configured maximum', () => {
    assert.deepEqual(parsePageRequest(undefined, undefined, 1000), { limit: 100 });
    assert.deepEqual(parsePageRequest('5000', undefined, 1000), { limit: 1000 });
    assert.deepEqual(parsePageRequest('7', undefined, 1000), { limit: 7 });
  });

  it('rejects a bad limit or cursor with 400', () => {
    for (const limit of ['0', '-1', '1.5', 'abc', '', ['1', '2']]) {
      assert.throws(() => parsePageRequest(limit, undefined, 1000), BadRequest, String(limit));
    }
    for (const cursor of ['', 'not-a-cursor', '!!', Buffer.from('["c1",3]').toString('base64url')]) {
      assert.throws(() => parsePageRequest(undefined, cursor, 1000), BadRequest, cursor);
    }
  });

  it('cursors are opaque round-trips of the sort key', () => {
    const key = 'urn:x:𝄞:"quoted"';
    const cursor = encodeCursor(key);
    assert.match(cursor, /^[A-Za-z0-9_-]+$/);
    assert.equal(decodeCursor(cursor), key);
    assert.equal(parsePageRequest('2', cursor, 10).after, key);
  });

  it('omits the cursor on the last page', () => {
    assert.deepEqual(toPagedResult({ items: [1, 2] }), { paging_metadata: {}, result: [1, 2] });
    const paged = toPagedResult({ items: [1], next: 'k' }, (n) => n * 2);
    assert.deepEqual(paged.result, [2]);
    assert.equal(decodeCursor(paged.paging_metadata.cursor!), 'k');
  });
});
