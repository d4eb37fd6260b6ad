import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { KeyedLock } from '../../src/services/keyed-lock.js';

describe('KeyedLock', () => {
  it('runs sections of one key one after another, and of different keys side by side', async () => {
    const lock = new KeyedLock();
    const log: string[] = [];
    const section = (key: string, name: string, ms: number) =>
      lock.run(key, async () => {
        log.push(`${name}+`);
        await sleep(ms);
        log.push(`${name}-`);
        return name;
      });
    const results = await Promise.all([section('a', 'a1', 20), section('a', 'a2', 1), section('b', 'b1', 5)]);
    assert.deepEqual(results, ['a1', 'a2', 'b1']);
    assert.ok(log.indexOf('a1-') < log.indexOf('a2+'), log.join(' '));
    assert.ok(log.indexOf('b1+') < log.indexOf('a1-'), log.join(' '));
  });

  it('keeps going after a section fails', async () => {
    const lock = new KeyedLock();
    await assert.rejects(lock.run('k', async () => { throw new Error('boom'); }), /boom/);
    assert.equal(await lock.run('k', async () => 42), 42);
  });
});
