import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EventBus, type RepositoryEvent } from '../../src/events/bus.js';
import { AttachmentSweep } from '../../src/services/attachment-sweep.js';
import { importContent } from '../../src/services/content-import.js';
import { ShellRepository } from '../../src/services/shell-repository.js';
import { SubmodelRepository } from '../../src/services/submodel-repository.js';
import { openEmbeddedStore } from '../../src/store/embedded/sqlite-store.js';
import type { AasStore } from '../../src/store/store.js';
import { Validator } from '../../src/validation/validator.js';
import { shell, submodel, submodelRef } from '../http/fixtures.js';

describe('repository events', () => {
  let dir: string;
  let store: AasStore;
  let events: RepositoryEvent[];
  let shells: ShellRepository;
  let submodels: SubmodelRepository;
  let deps: { store: AasStore; validator: Validator; events: EventBus };
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aas-events-'));
    store = await openEmbeddedStore({ dataDir: dir });
    const bus = new EventBus();
    events = [];
    bus.subscribe((e) => events.push(e));
    deps = { store, validator: new Validator('strict'), events: bus };
    submodels = new SubmodelRepository(deps);
    shells = new ShellRepository(deps, submodels);
  });
  after(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('fires one event per durable write, and none for a rejected one', async () => {
    events.length = 0;
    await shells.create(shell('urn:e:aas', { submodels: [submodelRef('urn:e:sm')] }));
    await submodels.create(submodel('urn:e:sm'));
    await submodels.put('urn:e:sm', submodel('urn:e:sm', { idShort: 'Again' }));
    await submodels.put('urn:e:sm2', submodel('urn:e:sm2'));
    await assert.rejects(submodels.create(submodel('urn:e:sm')));
    await assert.rejects(submodels.create({ modelType: 'Submodel' }));
    await shells.deleteSubmodel('urn:e:aas', 'urn:e:sm');
    await submodels.delete('urn:e:sm2');
    assert.deepEqual(events, [
      { type: 'created', kind: 'shells', id: 'urn:e:aas' },
      { type: 'created', kind: 'submodels', id: 'urn:e:sm' },
      { type: 'updated', kind: 'submodels', id: 'urn:e:sm' },
      { type: 'created', kind: 'submodels', id: 'urn:e:sm2' },
      { type: 'deleted', kind: 'submodels', id: 'urn:e:sm' },
      { type: 'updated', kind: 'shells', id: 'urn:e:aas' },
      { type: 'deleted', kind: 'submodels', id: 'urn:e:sm2' },
    ]);
  });

  it('fires for every document an imported environment creates or replaces', async () => {
    events.length = 0;
    const importDeps = { ...deps, sweep: new AttachmentSweep(store, () => {}), fileLimit: 1024 };
    const environment = { assetAdministrationShells: [shell('urn:e:aas')], submodels: [submodel('urn:e:new')] };
    await importContent(importDeps, { environment }, { existing: 'replace', conceptDescriptions: 'replace' });
    assert.deepEqual(events, [
      { type: 'updated', kind: 'shells', id: 'urn:e:aas' },
      { type: 'created', kind: 'submodels', id: 'urn:e:new' },
    ]);
  });

  it('keeps delivering when a subscriber throws, and reports the error', () => {
    const errors: unknown[] = [];
    const bus = new EventBus((e) => errors.push(e));
    const seen: string[] = [];
    bus.subscribe(() => {
      throw new Error('subscriber broke');
    });
    const unsubscribe = bus.subscribe((e) => seen.push(e.id));
    bus.emit({ type: 'created', kind: 'shells', id: 'a' });
    unsubscribe();
    bus.emit({ type: 'created', kind: 'shells', id: 'b' });
    assert.deepEqual(seen, ['a']);
    assert.equal(errors.length, 2);
  });
});
