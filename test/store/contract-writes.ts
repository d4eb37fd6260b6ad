/**
 * Store contract, part 1: writes and reads by id, batch atomicity, round-trip fidelity, count and isEmpty.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Conflict, NotFound } from '../../src/errors.js';
import type { AasStore } from '../../src/store/store.js';
import {
  collectIds,
  collectionOf,
  conceptDescription,
  documentOf,
  globalRef,
  shell,
  submodel,
  writeOf,
  type Kind,
} from './contract-fixtures.js';

const KINDS: Kind[] = ['shells', 'submodels', 'conceptDescriptions', 'packages'];

export function writeCases(store: () => AasStore): void {
  for (const kind of KINDS) {
    describe(`${kind}: create, get, has, update, upsert, delete`, () => {
      it('returns what was created, deep-equal, and nothing for other ids', async () => {
        const doc = documentOf(kind, 'urn:example:one');
        assert.deepEqual(await store().write([writeOf(kind, 'create', doc)]), ['created']);
        const collection = collectionOf(store(), kind);
        assert.deepEqual(await collection.get('urn:example:one'), doc);
        assert.equal(await collection.has('urn:example:one'), true);
        assert.equal(await collection.get('urn:example:other'), undefined);
        assert.equal(await collection.has('urn:example:other'), false);
        // ids are case-sensitive
        assert.equal(await collection.has('URN:EXAMPLE:ONE'), false);
      });

      it('rejects create of an existing id with Conflict and keeps the stored document', async () => {
        await store().write([writeOf(kind, 'create', documentOf(kind, 'urn:x', 'First'))]);
        await assert.rejects(store().write([writeOf(kind, 'create', documentOf(kind, 'urn:x', 'Second'))]), Conflict);
        assert.deepEqual(await collectionOf(store(), kind).get('urn:x'), documentOf(kind, 'urn:x', 'First'));
      });

      it('rejects update of a missing id with NotFound and creates nothing', async () => {
        await assert.rejects(store().write([writeOf(kind, 'update', documentOf(kind, 'urn:missing'))]), NotFound);
        assert.equal(await collectionOf(store(), kind).has('urn:missing'), false);
        assert.equal(await collectionOf(store(), kind).count(), 0);
      });

      it('replaces the whole document on update', async () => {
        const original = { ...documentOf(kind, 'urn:x'), category: 'PARAMETER' };
        await store().write([writeOf(kind, 'create', original)]);
        const replacement = documentOf(kind, 'urn:x', 'Renamed');
        assert.deepEqual(await store().write([writeOf(kind, 'update', replacement)]), ['updated']);
        const stored = await collectionOf(store(), kind).get('urn:x');
        assert.deepEqual(stored, replacement);
        assert.equal('category' in (stored as object), false, 'a field absent from the update survived it');
      });

      it('upsert creates when missing and replaces when present', async () => {
        assert.deepEqual(await store().write([writeOf(kind, 'upsert', documentOf(kind, 'urn:x', 'One'))]), ['created']);
        assert.deepEqual(await store().write([writeOf(kind, 'upsert', documentOf(kind, 'urn:x', 'Two'))]), ['updated']);
        assert.deepEqual(await collectionOf(store(), kind).get('urn:x'), documentOf(kind, 'urn:x', 'Two'));
        assert.equal(await collectionOf(store(), kind).count(), 1);
      });

      it('delete removes the document everywhere and says whether it was there', async () => {
        await store().write([
          writeOf(kind, 'create', documentOf(kind, 'urn:a')),
          writeOf(kind, 'create', documentOf(kind, 'urn:b')),
        ]);
        assert.deepEqual(await store().write([{ kind, op: 'delete', id: 'urn:a' }]), ['deleted']);
        assert.deepEqual(await store().write([{ kind, op: 'delete', id: 'urn:a' }]), ['absent']);
        const collection = collectionOf(store(), kind);
        assert.equal(await collection.get('urn:a'), undefined);
        assert.equal(await collection.has('urn:a'), false);
        assert.equal(await collection.count(), 1);
        assert.deepEqual(await collectIds(collection, {}, 10), ['urn:b']);
        assert.deepEqual(await collectIds(collection, { idShort: 'Original' }, 10), ['urn:b']);
      });

      it('getMany keeps the order of the given ids and skips missing ones', async () => {
        await store().write(['urn:1', 'urn:2', 'urn:3'].map((id) => writeOf(kind, 'create', documentOf(kind, id))));
        const collection = collectionOf(store(), kind);
        const found = await collection.getMany(['urn:3', 'urn:missing', 'urn:1', 'urn:2']);
        assert.deepEqual(found, [documentOf(kind, 'urn:3'), documentOf(kind, 'urn:1'), documentOf(kind, 'urn:2')]);
        assert.deepEqual(await collection.getMany([]), []);
        assert.deepEqual(await collection.getMany(['urn:missing']), []);
      });
    });
  }

  describe('kinds are separate', () => {
    it('holds the same id in every kind independently', async () => {
      await store().write([
        { kind: 'shells', op: 'create', doc: shell('urn:same') },
        { kind: 'submodels', op: 'create', doc: submodel('urn:same') },
        { kind: 'conceptDescriptions', op: 'create', doc: conceptDescription('urn:same') },
      ]);
      await store().write([{ kind: 'submodels', op: 'delete', id: 'urn:same' }]);
      assert.deepEqual(await store().shells.get('urn:same'), shell('urn:same'));
      assert.equal(await store().submodels.get('urn:same'), undefined);
      assert.deepEqual(await store().conceptDescriptions.get('urn:same'), conceptDescription('urn:same'));
      assert.deepEqual(await store().submodels.getMany(['urn:same']), []);
    });
  });

  describe('batches', () => {
    it('applies a batch in order and reports one outcome per op', async () => {
      await store().write([{ kind: 'submodels', op: 'create', doc: submodel('urn:old') }]);
      const outcomes = await store().write([
        { kind: 'submodels', op: 'create', doc: submodel('urn:x', { idShort: 'First' }) },
        { kind: 'submodels', op: 'update', doc: submodel('urn:x', { idShort: 'Second' }) },
        { kind: 'submodels', op: 'delete', id: 'urn:old' },
        { kind: 'submodels', op: 'create', doc: submodel('urn:old', { idShort: 'Reborn' }) },
        { kind: 'shells', op: 'upsert', doc: shell('urn:s') },
        { kind: 'conceptDescriptions', op: 'delete', id: 'urn:none' },
      ]);
      assert.deepEqual(outcomes, ['created', 'updated', 'deleted', 'created', 'created', 'absent']);
      assert.deepEqual(await store().submodels.get('urn:x'), submodel('urn:x', { idShort: 'Second' }));
      assert.deepEqual(await store().submodels.get('urn:old'), submodel('urn:old', { idShort: 'Reborn' }));
      assert.deepEqual(await store().write([]), []);
    });

    it('undoes the first ops of a batch whose third op conflicts', async () => {
      await store().write([{ kind: 'submodels', op: 'create', doc: submodel('urn:taken', { idShort: 'Kept' }) }]);
      await assert.rejects(
        store().write([
          { kind: 'shells', op: 'create', doc: shell('urn:new-shell', { globalAssetId: 'urn:asset' }) },
          { kind: 'submodels', op: 'upsert', doc: submodel('urn:new-sm', { semanticId: globalRef('urn:sem') }) },
          { kind: 'submodels', op: 'create', doc: submodel('urn:taken', { idShort: 'Overwritten' }) },
        ]),
        Conflict,
      );
      assert.equal(await store().shells.has('urn:new-shell'), false);
      assert.equal(await store().submodels.has('urn:new-sm'), false);
      assert.deepEqual(await store().submodels.get('urn:taken'), submodel('urn:taken', { idShort: 'Kept' }));
      // the undone writes left nothing in the filter indexes either
      const assetIds = [{ name: 'globalAssetId', value: 'urn:asset' }];
      const byAsset = await store().shells.list({ assetIds }, { limit: 10 });
      assert.deepEqual(byAsset.items, []);
      const bySemantic = await store().submodels.list({ semanticId: { keyValue: 'urn:sem' } }, { limit: 10 });
      assert.deepEqual(bySemantic.items, []);
      assert.equal(await store().isEmpty(), false);
      assert.equal(await store().submodels.count(), 1);
    });

    it('undoes updates and deletes of a batch that fails on a missing id', async () => {
      await store().write([
        { kind: 'shells', op: 'create', doc: shell('urn:a', { idShort: 'Before' }) },
        { kind: 'shells', op: 'create', doc: shell('urn:b') },
      ]);
      await assert.rejects(
        store().write([
          { kind: 'shells', op: 'update', doc: shell('urn:a', { idShort: 'After' }) },
          { kind: 'shells', op: 'delete', id: 'urn:b' },
          { kind: 'shells', op: 'update', doc: shell('urn:missing') },
        ]),
        NotFound,
      );
      assert.deepEqual(await store().shells.get('urn:a'), shell('urn:a', { idShort: 'Before' }));
      assert.deepEqual(await store().shells.get('urn:b'), shell('urn:b'));
      assert.deepEqual(await collectIds(store().shells, { idShort: 'Before' }, 10), ['urn:a']);
      assert.deepEqual(await collectIds(store().shells, { idShort: 'After' }, 10), []);
    });

    it('rejects a second create of one id inside a single batch', async () => {
      await assert.rejects(
        store().write([
          { kind: 'conceptDescriptions', op: 'create', doc: conceptDescription('urn:cd') },
          { kind: 'conceptDescriptions', op: 'create', doc: conceptDescription('urn:cd') },
        ]),
        Conflict,
      );
      assert.equal(await store().conceptDescriptions.has('urn:cd'), false);
    });
  });

  describe('documents come back as written', () => {
    it('round-trips nested structure, unicode and numbers deep-equal', async () => {
      const doc = {
        ...submodel('urn:example:sm:ünïcødé/😀', { idShort: 'Rich', semanticId: globalRef('urn:sem', 'frag') }),
        description: [
          { language: 'de', text: 'Größe "quoted" \\ backslash\n newline \u2028 line separator' },
          { language: 'ja', text: '日本語のテキスト 𝄞' },
        ],
        extensions: [{ name: 'flag', valueType: 'xs:boolean', value: 'true' }],
        submodelElements: [
          { modelType: 'Property', idShort: 'P', valueType: 'xs:double', value: '1.5e-7' },
          {
            modelType: 'SubmodelElementCollection',
            idShort: 'C',
            value: [{ modelType: 'MultiLanguageProperty', idShort: 'M', value: [{ language: 'en', text: 'x' }] }],
          },
        ],
        qualifiers: [{ type: 'count', valueType: 'xs:int', value: '3', kind: 'ConceptQualifier' }],
        administration: { version: '1', revision: '0' },
        numbers: [0, -1, 3.25, 1e21, Number.MAX_SAFE_INTEGER],
        flags: [true, false, null],
        empty: { list: [], object: {} },
      };
      await store().write([{ kind: 'submodels', op: 'create', doc: doc as never }]);
      assert.deepEqual(await store().submodels.get(doc.id), doc);
      assert.deepEqual((await store().submodels.list({}, { limit: 5 })).items, [doc]);
      assert.deepEqual(await store().submodels.getMany([doc.id]), [doc]);
    });

    it('gives documents as compact JSON text too, equal to serialising what get returns', async () => {
      const a = submodel('urn:example:json:a/Größe "x" 𝄞', { idShort: 'Texty' });
      const b = submodel('urn:example:json:b', { idShort: 'Texty' });
      await store().write([{ kind: 'submodels', op: 'create', doc: a }, { kind: 'submodels', op: 'create', doc: b }]);
      assert.equal(await store().submodels.getJson(a.id), JSON.stringify(await store().submodels.get(a.id)));
      assert.deepEqual(JSON.parse((await store().submodels.getJson(a.id))!), a);
      assert.equal(await store().submodels.getJson('urn:missing'), undefined);
      const first = await store().submodels.listJson({ idShort: 'Texty' }, { limit: 1 });
      assert.deepEqual(first.items.map((t) => JSON.parse(t)), [a]);
      const rest = await store().submodels.listJson({ idShort: 'Texty' }, { limit: 1, after: first.next });
      assert.deepEqual(rest.items, [JSON.stringify(b)]);
      assert.equal(rest.next, undefined);
    });

    it('is not affected by later mutation of the written or the returned objects', async () => {
      const doc = submodel('urn:x', { idShort: 'Stable' }) as unknown as Record<string, unknown>;
      await store().write([{ kind: 'submodels', op: 'create', doc: doc as never }]);
      doc.idShort = 'Mutated';
      const first = (await store().submodels.get('urn:x')) as unknown as Record<string, unknown>;
      assert.equal(first.idShort, 'Stable');
      first.idShort = 'MutatedToo';
      assert.equal(((await store().submodels.get('urn:x')) as unknown as Record<string, unknown>).idShort, 'Stable');
    });
  });

  describe('count and isEmpty', () => {
    it('counts per kind and is empty only with no document of any kind', async () => {
      assert.equal(await store().isEmpty(), true);
      assert.equal(await store().shells.count(), 0);
      await store().write([{ kind: 'conceptDescriptions', op: 'create', doc: conceptDescription('urn:cd') }]);
      assert.equal(await store().isEmpty(), false, 'a concept description alone makes the store non-empty');
      await store().write([
        { kind: 'conceptDescriptions', op: 'delete', id: 'urn:cd' },
        { kind: 'shells', op: 'create', doc: shell('urn:s1') },
        { kind: 'shells', op: 'create', doc: shell('urn:s2') },
        { kind: 'submodels', op: 'create', doc: submodel('urn:m1') },
      ]);
      assert.equal(await store().isEmpty(), false);
      assert.equal(await store().shells.count(), 2);
      assert.equal(await store().submodels.count(), 1);
      assert.equal(await store().conceptDescriptions.count(), 0);
      await store().write([
        { kind: 'shells', op: 'delete', id: 'urn:s1' },
        { kind: 'shells', op: 'delete', id: 'urn:s2' },
        { kind: 'submodels', op: 'delete', id: 'urn:m1' },
      ]);
      assert.equal(await store().isEmpty(), true);
    });

    it('answers ping', async () => {
      await store().ping();
    });
  });
}
