/**
 * Read-modify-write on a shell under concurrency. The embedded store answers reads without yielding, so this
 * wraps it in a store whose reads and writes take a turn of the event loop, as a networked backend's (MongoDB) do.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { EventBus } from '../../src/events/bus.js';
import { ShellRepository } from '../../src/services/shell-repository.js';
import { SubmodelRepository } from '../../src/services/submodel-repository.js';
import { openEmbeddedStore } from '../../src/store/embedded/sqlite-store.js';
import type { AasStore } from '../../src/store/store.js';
import { Validator } from '../../src/validation/validator.js';
import { shell, submodelRef } from '../http/fixtures.js';

function yieldingOnEveryCall(store: AasStore): AasStore {
  const shells = Object.create(store.shells) as AasStore['shells'];
  shells.get = async (id) => {
    await nextTurn();
    return store.shells.get(id);
  };
  const write: AasStore['write'] = async (ops) => {
    await nextTurn();
    return store.write(ops);
  };
  return Object.assign(Object.create(store) as AasStore, { shells, write });
}

describe('ShellRepository under concurrent writes', () => {
  it('keeps every submodel reference added concurrently, and removes every one deleted concurrently', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aas-lock-'));
    const store = await openEmbeddedStore({ dataDir: dir });
    try {
      const deps = { store: yieldingOnEveryCall(store), validator: new Validator('strict'), events: new EventBus() };
      const shells = new ShellRepository(deps, new SubmodelRepository(deps));
      const id = 'urn:example:aas:concurrent';
      await shells.create(shell(id));
      await Promise.all(Array.from({ length: 20 }, (_, i) => shells.addSubmodelRef(id, submodelRef(`urn:example:sm:${i}`))));
      assert.equal((await store.shells.get(id))?.submodels?.length, 20);
      await Promise.all(Array.from({ length: 10 }, (_, i) => shells.deleteSubmodelRef(id, `urn:example:sm:${i}`)));
      assert.equal((await store.shells.get(id))?.submodels?.length, 10);
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
