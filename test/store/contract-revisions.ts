/**
 * Store contract, part 7: revisions and conditional writes, so that two writers of one document (two server
 * instances on one MongoDB) never lose an update silently.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StaleRevision } from '../../src/errors.js';
import type { Submodel, SubmodelElement } from '../../src/model/types.js';
import type { AasStore, WriteOp } from '../../src/store/store.js';
import { collectionOf, documentOf, writeOf, type Kind } from './contract-fixtures.js';

const KINDS: Kind[] = ['shells', 'submodels', 'conceptDescriptions', 'packages'];
const property = (idShort: string, value: string) => ({ modelType: 'Property', idShort, valueType: 'xs:string', value }) as SubmodelElement;
const withElements = (id: string, ...elements: SubmodelElement[]) => ({ modelType: 'Submodel', id, submodelElements: elements }) as unknown as Submodel;
const conditional = (kind: Kind, doc: { id: string }, ifRevision: string): WriteOp => ({ ...writeOf(kind, 'update', doc), ifRevision }) as WriteOp;
const replace = (submodelId: string, element: SubmodelElement, ifRevision?: string): WriteOp => ({ kind: 'submodelElement', op: 'replace', submodelId, element, ...(ifRevision !== undefined && { ifRevision }) });

export function revisionCases(store: () => AasStore): void {
  for (const kind of KINDS) {
    describe(`${kind}: revisions and conditional updates`, () => {
      it('reads a document with a revision that every write changes', async () => {
        const collection = collectionOf(store(), kind);
        assert.equal(await collection.getRevised('urn:r'), undefined);
        await store().write([writeOf(kind, 'create', documentOf(kind, 'urn:r', 'First'))]);
        const first = await collection.getRevised('urn:r');
        assert.ok(first && typeof first.revision === 'string' && first.revision !== '');
        assert.deepEqual(first.doc, await collection.get('urn:r'));
        await store().write([writeOf(kind, 'upsert', documentOf(kind, 'urn:r', 'First'))]);
        const second = await collection.getRevised('urn:r');
        assert.notEqual(second?.revision, first.revision, 'a write of the same content is still a new revision');
        assert.equal((await collection.getRevised('urn:r'))?.revision, second?.revision, 'reads do not change it');
      });

      it('applies an update conditional on the current revision, refuses one on an older revision', async () => {
        const collection = collectionOf(store(), kind);
        await store().write([writeOf(kind, 'create', documentOf(kind, 'urn:r', 'First'))]);
        const read = (await collection.getRevised('urn:r'))!;
        // Another writer gets in between.
        await store().write([conditional(kind, documentOf(kind, 'urn:r', 'Theirs'), read.revision)]);
        await assert.rejects(store().write([conditional(kind, documentOf(kind, 'urn:r', 'Mine'), read.revision)]), StaleRevision);
        assert.deepEqual(await collection.get('urn:r'), documentOf(kind, 'urn:r', 'Theirs'));
      });

      it('refuses the whole batch when one conditional update is stale', async () => {
        const collection = collectionOf(store(), kind);
        await store().write([writeOf(kind, 'create', documentOf(kind, 'urn:r', 'First'))]);
        const stale = (await collection.getRevised('urn:r'))!.revision;
        await store().write([writeOf(kind, 'update', documentOf(kind, 'urn:r', 'Second'))]);
        await assert.rejects(
          store().write([writeOf(kind, 'create', documentOf(kind, 'urn:new')), conditional(kind, documentOf(kind, 'urn:r', 'Third'), stale)]),
          StaleRevision,
        );
        assert.equal(await collection.has('urn:new'), false);
        assert.deepEqual(await collection.get('urn:r'), documentOf(kind, 'urn:r', 'Second'));
      });

      it('never gives a re-created document a revision it had before', async () => {
        const collection = collectionOf(store(), kind);
        await store().write([writeOf(kind, 'create', documentOf(kind, 'urn:r'))]);
        const before = (await collection.getRevised('urn:r'))!.revision;
        await store().write([{ kind, op: 'delete', id: 'urn:r' }]);
        await store().write([writeOf(kind, 'create', documentOf(kind, 'urn:r'))]);
        assert.notEqual((await collection.getRevised('urn:r'))!.revision, before);
        await assert.rejects(store().write([conditional(kind, documentOf(kind, 'urn:r', 'Late'), before)]), StaleRevision);
      });
    });
  }

  describe('submodels: element writes and the submodel revision', () => {
    it('changes the submodel revision with every element replace', async () => {
      const submodels = store().submodels;
      assert.equal(await submodels.revision('urn:sm'), undefined);
      await store().write([{ kind: 'submodels', op: 'create', doc: withElements('urn:sm', property('A', '1'), property('B', '2')) }]);
      const first = await submodels.revision('urn:sm');
      assert.equal(first, (await submodels.getRevised('urn:sm'))?.revision);
      await store().write([replace('urn:sm', property('B', 'two'), first)]);
      const second = await submodels.revision('urn:sm');
      assert.notEqual(second, first);
      await assert.rejects(store().write([replace('urn:sm', property('A', 'one'), first)]), StaleRevision);
      assert.deepEqual(await submodels.get('urn:sm'), withElements('urn:sm', property('A', '1'), property('B', 'two')));
      await assert.rejects(store().write([{ kind: 'submodels', op: 'update', doc: withElements('urn:sm'), ifRevision: first! }]), StaleRevision);
      await store().write([replace('urn:sm', property('A', 'one'), second), replace('urn:sm', property('B', 'zwei'), second)]);
      assert.deepEqual(await submodels.get('urn:sm'), withElements('urn:sm', property('A', 'one'), property('B', 'zwei')));
    });
  });
}
