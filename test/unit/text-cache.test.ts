import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextCache } from '../../src/store/embedded/text-cache.js';

describe('TextCache', () => {
  it('keeps recently used texts within its size and drops the least recently used first', () => {
    const cache = new TextCache(40);
    cache.set('a', 'x'.repeat(10));
    cache.set('b', 'y'.repeat(10));
    cache.set('c', 'z'.repeat(10));
    assert.equal(cache.get('a'), 'x'.repeat(10)); // a is now the most recent
    cache.set('d', 'w'.repeat(10));
    cache.set('e', 'v'.repeat(10)); // 50 > 40: b goes (least recently used)
    assert.equal(cache.get('b'), undefined);
    assert.equal(cache.get('a'), 'x'.repeat(10));
    assert.equal(cache.get('e'), 'v'.repeat(10));
  });

  it('forgets deleted and replaced entries, and does not keep one text larger than a quarter of it', () => {
    const cache = new TextCache(40);
    cache.set('a', 'old');
    cache.set('a', 'new');
    assert.equal(cache.get('a'), 'new');
    cache.delete('a');
    assert.equal(cache.get('a'), undefined);
    cache.set('big', 'x'.repeat(11));
    assert.equal(cache.get('big'), undefined);
    const off = new TextCache(0);
    off.set('a', 'x');
    assert.equal(off.get('a'), undefined);
  });
});
