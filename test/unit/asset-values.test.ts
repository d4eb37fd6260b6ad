/**
 * The services' door for values from an asset (SubmodelElementService.applyAssetValues) and the value write gate
 * in front of client writes: what is checked, what is written, which events fire, what the gate sees.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { BadGateway } from '../../src/errors.js';
import { EventBus, type RepositoryEvent } from '../../src/events/bus.js';
import { SubmodelElementService } from '../../src/services/submodel-elements.js';
import { SubmodelRepository } from '../../src/services/submodel-repository.js';
import type { GatedChange } from '../../src/services/value-write-gate.js';
import { openEmbeddedStore } from '../../src/store/embedded/sqlite-store.js';
import type { AasStore } from '../../src/store/store.js';
import { Validator } from '../../src/validation/validator.js';

const SM = 'urn:test:asset-values';
const submodel = {
  modelType: 'Submodel',
  id: SM,
  submodelElements: [
    { modelType: 'Property', idShort: 'Speed', valueType: 'xs:int', value: '1' },
    { modelType: 'SubmodelElementCollection', idShort: 'Axis', value: [{ modelType: 'Property', idShort: 'Pos', valueType: 'xs:double', value: '0' }] },
    { modelType: 'MultiLanguageProperty', idShort: 'Note' },
    { modelType: 'Range', idShort: 'Limits', valueType: 'xs:int' },
  ],
};

describe('values from an asset, and the value write gate', () => {
  let dir: string;
  let store: AasStore;
  let events: RepositoryEvent[];
  let submodels: SubmodelRepository;
  let elements: SubmodelElementService;
  const stored = async (idShort: string) => (await store.submodels.getTopLevelElement(SM, idShort)) as { value?: unknown };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aas-asset-values-'));
    store = await openEmbeddedStore({ dataDir: dir });
    const bus = new EventBus();
    bus.subscribe((e) => events.push(e));
    const validator = new Validator('strict');
    submodels = new SubmodelRepository({ store, validator, events: bus });
    elements = new SubmodelElementService(submodels, validator);
    await submodels.create(structuredClone(submodel));
  });
  beforeEach(() => {
    events = [];
    submodels.setValueWriteGate(undefined);
  });
  after(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores valid values in one write with one values-only event; each bad one fails alone', async () => {
    const outcomes = await elements.applyAssetValues(SM, [
      { path: 'Speed', value: '42' },
      { path: 'Axis.Pos', value: 'fast' },
      { path: 'Note', value: [{ language: 'en', text: 'hot' }] },
      { path: 'Limits', value: '3' },
      { path: 'Missing', value: '1' },
    ]);
    assert.deepEqual(outcomes.map((o) => o.stored), [true, false, true, false, false]);
    assert.match(outcomes[1].error!, /xs:double/);
    assert.match(outcomes[3].error!, /Range/);
    assert.match(outcomes[4].error!, /Missing/);
    assert.equal((await stored('Speed')).value, '42');
    assert.deepEqual((await stored('Note')).value, [{ language: 'en', text: 'hot' }]);
    assert.deepEqual(((await stored('Axis')).value as { value: string }[])[0].value, '0');
    assert.deepEqual(events, [{ type: 'updated', kind: 'submodels', id: SM, valuesOnly: true }]);
  });

  it('marks a PATCH of the submodel\'s $value as values only', async () => {
    await elements.patchSubmodelValue(SM, { Speed: 43 });
    assert.deepEqual(events, [{ type: 'updated', kind: 'submodels', id: SM, valuesOnly: true }]);
    await elements.patchSubmodel(SM, (sm) => ({ ...sm, idShort: 'Named' }));
    assert.deepEqual(events[1], { type: 'updated', kind: 'submodels', id: SM });
    await elements.applyAssetValues(SM, [{ path: 'Speed', value: '42' }]);
    events = [];
  });

  it('writes nothing and fires nothing for values equal to the stored ones', async () => {
    await elements.applyAssetValues(SM, [{ path: 'Speed', value: '42' }]);
    assert.deepEqual(events, []);
  });

  it('passes client writes of gated paths to the gate first; a refusal stores nothing', async () => {
    const seen: GatedChange[] = [];
    let refuse = false;
    submodels.setValueWriteGate({
      gatedPaths: (id) => (id === SM ? ['Speed', 'Axis.Pos'] : []),
      accept: async (_id, changes) => {
        seen.push(...changes);
        if (refuse) throw new BadGateway('device says no');
      },
    });
    await elements.patchValue(SM, 'Speed', 7);
    assert.deepEqual(seen.map((c) => [c.path, (c.element as { value?: string }).value]), [['Speed', '7']]);
    await elements.patchValue(SM, 'Axis', { Pos: 1.5 });
    assert.deepEqual(seen.map((c) => c.path), ['Speed', 'Axis.Pos']);
    await elements.patchValue(SM, 'Speed', 7);
    assert.equal(seen.length, 2, 'an unchanged value is not passed to the gate');

    refuse = true;
    await assert.rejects(elements.patchValue(SM, 'Speed', 8), BadGateway);
    assert.equal((await stored('Speed')).value, '7');
    // A write that changes no gated value does not ask the gate.
    await elements.patchSubmodel(SM, (sm) => ({ ...sm, idShort: 'Renamed' }));
    assert.equal((await store.submodels.get(SM))?.idShort, 'Renamed');

    // Values from the asset do not pass the gate (they come from the device).
    await elements.applyAssetValues(SM, [{ path: 'Speed', value: '9' }]);
    assert.equal((await stored('Speed')).value, '9');
    assert.equal(seen.length, 3, 'only the refused write reached the gate since');
  });
});
