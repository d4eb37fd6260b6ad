/**
 * Store contract: records of uploaded AASX packages (`store.packages`). They are written in the same batches as the
 * documents a package brings (all or nothing together) and listed by the shells they hold, paged in id order.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotFound } from '../../src/errors.js';
import type { AasStore } from '../../src/store/store.js';
import { collectIds, packageRecord, shell, submodel } from './contract-fixtures.js';

export function packageCases(store: () => AasStore): void {
  describe('package records', () => {
    it('lists the packages that hold a shell, in id order, across pages', async () => {
      const ids = Array.from({ length: 7 }, (_, i) => `urn:example:package:${i}`);
      await store().write(
        ids.map((id, i) => ({ kind: 'packages', op: 'create', doc: packageRecord(id, { aasIds: i % 2 === 0 ? ['urn:aas:even', `urn:aas:${i}`] : ['urn:aas:odd'] }) })),
      );
      assert.deepEqual(await collectIds(store().packages, { aasId: 'urn:aas:even' }, 2), [ids[0], ids[2], ids[4], ids[6]]);
      assert.deepEqual(await collectIds(store().packages, { aasId: 'urn:aas:odd' }, 10), [ids[1], ids[3], ids[5]]);
      assert.deepEqual(await collectIds(store().packages, { aasId: 'urn:aas:4' }, 10), [ids[4]]);
      assert.deepEqual(await collectIds(store().packages, { aasId: 'urn:aas:none' }, 10), []);
      assert.deepEqual(await collectIds(store().packages, {}, 3), ids);
    });

    it('follows a record update: a shell it no longer lists does not find it', async () => {
      await store().write([{ kind: 'packages', op: 'create', doc: packageRecord('urn:p', { aasIds: ['urn:aas:a', 'urn:aas:b'] }) }]);
      await store().write([{ kind: 'packages', op: 'update', doc: packageRecord('urn:p', { aasIds: ['urn:aas:b'] }) }]);
      assert.deepEqual(await collectIds(store().packages, { aasId: 'urn:aas:a' }, 10), []);
      assert.deepEqual(await collectIds(store().packages, { aasId: 'urn:aas:b' }, 10), ['urn:p']);
    });

    it('writes a record and the documents of its package all or nothing', async () => {
      const record = packageRecord('urn:p', { aasIds: ['urn:aas:1'], submodelIds: ['urn:sm:1'] });
      await assert.rejects(
        store().write([
          { kind: 'shells', op: 'upsert', doc: shell('urn:aas:1') },
          { kind: 'submodels', op: 'upsert', doc: submodel('urn:sm:1') },
          { kind: 'packages', op: 'create', doc: record },
          { kind: 'conceptDescriptions', op: 'update', doc: { id: 'urn:cd:missing' } as never },
        ]),
        NotFound,
      );
      assert.equal(await store().packages.has('urn:p'), false);
      assert.equal(await store().shells.has('urn:aas:1'), false);
      assert.deepEqual(
        await store().write([
          { kind: 'shells', op: 'upsert', doc: shell('urn:aas:1') },
          { kind: 'submodels', op: 'upsert', doc: submodel('urn:sm:1') },
          { kind: 'packages', op: 'create', doc: record },
        ]),
        ['created', 'created', 'created'],
      );
      assert.deepEqual(await store().packages.get('urn:p'), record);
    });

    it('does not count towards an empty store (demo data still loads beside package records alone)', async () => {
      await store().write([{ kind: 'packages', op: 'create', doc: packageRecord('urn:p') }]);
      assert.equal(await store().isEmpty(), true);
    });
  });
}
