/**
 * Two writers on one store, as two server instances on one MongoDB are: each has its own repositories (so its own
 * in-process locks), and only the store's revisions keep their read-modify-writes from losing each other's updates.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EventBus } from '../../src/events/bus.js';
import type { Submodel, SubmodelElement } from '../../src/model/types.js';
import { ShellRepository } from '../../src/services/shell-repository.js';
import { SubmodelRepository } from '../../src/services/submodel-repository.js';
import { openEmbeddedStore } from '../../src/store/embedded/sqlite-store.js';
import type { AasStore } from '../../src/store/store.js';
import { Validator } from '../../src/validation/validator.js';
import { shell, submodelRef } from '../http/fixtures.js';

const SM = 'urn:test:concurrent:sm';
const counter = (idShort: string) => ({ modelType: 'Property', idShort, valueType: 'xs:int', value: '0' }) as SubmodelElement;
const increment = (element: SubmodelElement) => {
  const p = element as { value?: string };
  p.value = String(Number(p.value) + 1);
};
const valueOf = (submodel: Submodel, idShort: string) => Number((submodel.submodelElements?.find((e) => e.idShort === idShort) as { value?: string }).value);

describe('two writers on one store', () => {
  let dir: string;
  let store: AasStore;
  const instances: { submodels: SubmodelRepository; shells: ShellRepository }[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aas-writers-'));
    store = await openEmbeddedStore({ dataDir: dir });
    for (let i = 0; i < 2; i++) {
      const deps = { store, validator: new Validator('strict'), events: new EventBus() };
      const submodels = new SubmodelRepository(deps);
      instances.push({ submodels, shells: new ShellRepository(deps, submodels) });
    }
    await instances[0].submodels.create({ modelType: 'Submodel', id: SM, submodelElements: [counter('Whole'), counter('Element')] });
    await instances[0].shells.create(shell('urn:test:concurrent:aas'));
  });
  after(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('loses no increment of interleaved whole-submodel edits', async () => {
    const edits = instances.flatMap(({ submodels }) =>
      Array.from({ length: 15 }, () => submodels.edit(SM, (sm) => increment(sm.submodelElements!.find((e) => e.idShort === 'Whole')!))),
    );
    await Promise.all(edits);
    assert.equal(valueOf((await store.submodels.get(SM))!, 'Whole'), 30);
  });

  it('loses no increment of interleaved element edits', async () => {
    const edits = instances.flatMap(({ submodels }) =>
      Array.from({ length: 15 }, () =>
        submodels.editTopLevelElement(SM, 'Element', (element) => {
          increment(element);
          return element;
        }),
      ),
    );
    await Promise.all(edits);
    assert.equal(valueOf((await store.submodels.get(SM))!, 'Element'), 30);
  });

  it('keeps every submodel reference two writers add at once', async () => {
    const ids = Array.from({ length: 8 }, (_, i) => `urn:test:concurrent:ref:${i}`);
    await Promise.all(ids.map((id, i) => instances[i % 2].shells.addSubmodelRef('urn:test:concurrent:aas', submodelRef(id))));
    const refs = ((await store.shells.get('urn:test:concurrent:aas'))!.submodels ?? []).map((r) => r.keys[0].value).sort();
    assert.deepEqual(refs, ids);
  });
});
