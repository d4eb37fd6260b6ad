/**
 * Store contract, part 6: configuration documents beside the model (the asset connections made over REST).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Conflict, NotFound } from '../../src/errors.js';
import type { AasStore } from '../../src/store/store.js';

const connection = (id: string, endpointUrl = 'opc.tcp://127.0.0.1:4840') => ({
  id,
  endpointUrl,
  mappings: [{ submodelId: 'urn:sm:1', idShortPath: 'Temperatures[2].Value', nodeId: 'ns=2;s=Temp "2"', modes: ['subscribe'] }],
});

export function configDocumentCases(store: () => AasStore): void {
  describe('asset connection documents', () => {
    it('returns what was created, deep-equal, and lists by id in code-point order', async () => {
      const docs = ['b', 'a', 'Z', 'é', 'a:1'].map((id) => connection(id));
      for (const doc of docs) await store().assetConnections.put(doc, 'create');
      assert.deepEqual(await store().assetConnections.get('a:1'), connection('a:1'));
      assert.equal(await store().assetConnections.get('A:1'), undefined);
      assert.deepEqual((await store().assetConnections.list()).map((d) => d.id), ['Z', 'a', 'a:1', 'b', 'é']);
    });

    it('refuses to create an existing id and to update a missing one, keeping what is stored', async () => {
      await store().assetConnections.put(connection('one'), 'create');
      await assert.rejects(store().assetConnections.put(connection('one', 'opc.tcp://127.0.0.1:1'), 'create'), Conflict);
      await assert.rejects(store().assetConnections.put(connection('two'), 'update'), NotFound);
      assert.deepEqual(await store().assetConnections.list(), [connection('one')]);
    });

    it('updates and deletes', async () => {
      await store().assetConnections.put(connection('one'), 'create');
      await store().assetConnections.put(connection('one', 'opc.tcp://127.0.0.1:4841'), 'update');
      assert.deepEqual(await store().assetConnections.get('one'), connection('one', 'opc.tcp://127.0.0.1:4841'));
      assert.equal(await store().assetConnections.delete('one'), true);
      assert.equal(await store().assetConnections.delete('one'), false);
      assert.deepEqual(await store().assetConnections.list(), []);
    });

    it('keeps them out of the model: a store with only connections is empty', async () => {
      await store().assetConnections.put(connection('one'), 'create');
      assert.equal(await store().isEmpty(), true);
    });
  });
}
