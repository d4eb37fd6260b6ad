/**
 * Store contract, part 2: list filters (Part 2 GetAll* query parameters), alone, combined, with paging, and
 * after updates and deletes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Reference } from '../../src/model/types.js';
import type { AasStore, WriteOp } from '../../src/store/store.js';
import { collectIds, conceptDescription, conceptRef, globalRef, shell, submodel } from './contract-fixtures.js';

const IEC61360 = globalRef('https://admin-shell.io/DataSpecificationTemplates/DataSpecificationIec61360/3');
const OTHER_SPEC = globalRef('https://example.com/data-specification/other');

export function filterCases(store: () => AasStore): void {
  describe('shell filters', () => {
    async function seedShells(): Promise<void> {
      await store().write([
        shell('urn:s:1', {
          idShort: 'Motor',
          globalAssetId: 'urn:asset:1',
          specificAssetIds: [{ name: 'serial', value: 'A1' }],
        }),
        shell('urn:s:2', { idShort: 'motor', globalAssetId: 'urn:asset:2' }),
        shell('urn:s:3', { idShort: 'Motor2' }),
        shell('urn:s:4', {
          idShort: 'Pump',
          specificAssetIds: [
            { name: 'serial', value: 'A1' },
            { name: 'manufacturer', value: 'ACME' },
          ],
        }),
        shell('urn:s:5', {
          idShort: 'Motor',
          specificAssetIds: [
            { name: 'serial', value: 'ACME' },
            { name: 'manufacturer', value: 'A1' },
          ],
        }),
      ].map((doc): WriteOp => ({ kind: 'shells', op: 'create', doc })));
    }

    it('matches idShort exactly and case-sensitively', async () => {
      await seedShells();
      assert.deepEqual(await collectIds(store().shells, { idShort: 'Motor' }, 10), ['urn:s:1', 'urn:s:5']);
      assert.deepEqual(await collectIds(store().shells, { idShort: 'motor' }, 10), ['urn:s:2']);
      assert.deepEqual(await collectIds(store().shells, { idShort: 'Moto' }, 10), []);
    });

    it('matches a specific asset id by its name/value pair, not by name and value separately', async () => {
      await seedShells();
      const serialA1 = [{ name: 'serial', value: 'A1' }];
      assert.deepEqual(await collectIds(store().shells, { assetIds: serialA1 }, 10), ['urn:s:1', 'urn:s:4']);
      // urn:s:5 has a name 'serial' and a value 'A1', but not in one pair
      const manufacturerA1 = [{ name: 'manufacturer', value: 'A1' }];
      assert.deepEqual(await collectIds(store().shells, { assetIds: manufacturerA1 }, 10), ['urn:s:5']);
      assert.deepEqual(await collectIds(store().shells, { assetIds: [{ name: 'serial', value: 'a1' }] }, 10), []);
    });

    it('matches the name globalAssetId against assetInformation.globalAssetId', async () => {
      await seedShells();
      const criteria = [{ name: 'globalAssetId', value: 'urn:asset:2' }];
      assert.deepEqual(await collectIds(store().shells, { assetIds: criteria }, 10), ['urn:s:2']);
      assert.deepEqual(
        await collectIds(store().shells, { assetIds: [{ name: 'serial', value: 'urn:asset:2' }] }, 10),
        [],
      );
    });

    it('requires every asset id criterion (AND), in any order', async () => {
      await seedShells();
      const both = [
        { name: 'serial', value: 'A1' },
        { name: 'manufacturer', value: 'ACME' },
      ];
      assert.deepEqual(await collectIds(store().shells, { assetIds: both }, 10), ['urn:s:4']);
      assert.deepEqual(await collectIds(store().shells, { assetIds: [...both].reverse() }, 10), ['urn:s:4']);
      const globalAndSpecific = [
        { name: 'serial', value: 'A1' },
        { name: 'globalAssetId', value: 'urn:asset:1' },
      ];
      assert.deepEqual(await collectIds(store().shells, { assetIds: globalAndSpecific }, 10), ['urn:s:1']);
      const unmatched = [...both, { name: 'globalAssetId', value: 'urn:asset:1' }];
      assert.deepEqual(await collectIds(store().shells, { assetIds: unmatched }, 10), []);
      assert.deepEqual(await collectIds(store().shells, { assetIds: [] }, 10), [
        'urn:s:1',
        'urn:s:2',
        'urn:s:3',
        'urn:s:4',
        'urn:s:5',
      ]);
    });

    it('combines idShort and asset ids', async () => {
      await seedShells();
      const serialA1 = [{ name: 'serial', value: 'A1' }];
      assert.deepEqual(await collectIds(store().shells, { idShort: 'Pump', assetIds: serialA1 }, 10), ['urn:s:4']);
      assert.deepEqual(await collectIds(store().shells, { idShort: 'motor', assetIds: serialA1 }, 10), []);
    });

    it('sees the new idShort and asset ids after an update, and nothing after a delete', async () => {
      await seedShells();
      await store().write([
        {
          kind: 'shells',
          op: 'update',
          doc: shell('urn:s:1', { idShort: 'Drive', specificAssetIds: [{ name: 'serial', value: 'B7' }] }),
        },
        { kind: 'shells', op: 'delete', id: 'urn:s:4' },
      ]);
      assert.deepEqual(await collectIds(store().shells, { idShort: 'Motor' }, 10), ['urn:s:5']);
      assert.deepEqual(await collectIds(store().shells, { idShort: 'Drive' }, 10), ['urn:s:1']);
      const oldGlobal = [{ name: 'globalAssetId', value: 'urn:asset:1' }];
      assert.deepEqual(await collectIds(store().shells, { assetIds: oldGlobal }, 10), []);
      assert.deepEqual(await collectIds(store().shells, { assetIds: [{ name: 'serial', value: 'A1' }] }, 10), []);
      assert.deepEqual(await collectIds(store().shells, { assetIds: [{ name: 'serial', value: 'B7' }] }, 10), [
        'urn:s:1',
      ]);
      const acme = [{ name: 'manufacturer', value: 'ACME' }];
      assert.deepEqual(await collectIds(store().shells, { assetIds: acme }, 10), []);
    });
  });

  describe('submodel filters', () => {
    const semantic = globalRef('urn:sem:nameplate', 'urn:sem:fragment');
    async function seedSubmodels(): Promise<void> {
      await store().write([
        submodel('urn:m:1', { idShort: 'Nameplate', semanticId: semantic }),
        submodel('urn:m:2', {
          idShort: 'Other',
          semanticId: globalRef('urn:sem:other'),
          supplementalSemanticIds: [conceptRef('urn:cd:x'), semantic],
        }),
        submodel('urn:m:3', { idShort: 'Nameplate', semanticId: globalRef('urn:sem:nameplate') }),
        submodel('urn:m:4', {
          idShort: 'Model',
          semanticId: {
            type: 'ModelReference',
            keys: [
              { type: 'Submodel', value: 'urn:sem:nameplate' },
              { type: 'Property', value: 'urn:sem:fragment' },
            ],
          } as Reference,
        }),
        submodel('urn:m:5', { idShort: 'Plain' }),
      ].map((doc): WriteOp => ({ kind: 'submodels', op: 'create', doc })));
    }

    it('matches a reference equal to the semanticId or to a supplementalSemanticId', async () => {
      await seedSubmodels();
      assert.deepEqual(await collectIds(store().submodels, { semanticId: { reference: semantic } }, 10), [
        'urn:m:1',
        'urn:m:2',
      ]);
      const supplemental = { reference: conceptRef('urn:cd:x') };
      assert.deepEqual(await collectIds(store().submodels, { semanticId: supplemental }, 10), ['urn:m:2']);
    });

    it('compares type and every key: a prefix, another type or another key type does not match', async () => {
      await seedSubmodels();
      const prefix = { reference: globalRef('urn:sem:nameplate') };
      assert.deepEqual(await collectIds(store().submodels, { semanticId: prefix }, 10), ['urn:m:3']);
      const asModelReference = { ...semantic, type: 'ModelReference' } as Reference;
      assert.deepEqual(await collectIds(store().submodels, { semanticId: { reference: asModelReference } }, 10), []);
      const otherKeyType = {
        type: 'ExternalReference',
        keys: [
          { type: 'GlobalReference', value: 'urn:sem:nameplate' },
          { type: 'FragmentReference', value: 'urn:sem:fragment' },
        ],
      } as Reference;
      assert.deepEqual(await collectIds(store().submodels, { semanticId: { reference: otherKeyType } }, 10), []);
      const reordered = globalRef('urn:sem:fragment', 'urn:sem:nameplate');
      assert.deepEqual(await collectIds(store().submodels, { semanticId: { reference: reordered } }, 10), []);
    });

    it('ignores referredSemanticId on both sides', async () => {
      await store().write([
        {
          kind: 'submodels',
          op: 'create',
          doc: submodel('urn:m:referred', {
            semanticId: { ...globalRef('urn:sem:r'), referredSemanticId: globalRef('urn:a') } as Reference,
          }),
        },
      ]);
      const query = { ...globalRef('urn:sem:r'), referredSemanticId: globalRef('urn:b') } as Reference;
      const withReferred = { reference: query };
      assert.deepEqual(await collectIds(store().submodels, { semanticId: withReferred }, 10), ['urn:m:referred']);
      const plain = { reference: globalRef('urn:sem:r') };
      assert.deepEqual(await collectIds(store().submodels, { semanticId: plain }, 10), ['urn:m:referred']);
    });

    it('matches a key value against any key of the semanticId or of a supplementalSemanticId', async () => {
      await seedSubmodels();
      const fragment = { keyValue: 'urn:sem:fragment' };
      assert.deepEqual(await collectIds(store().submodels, { semanticId: fragment }, 10), [
        'urn:m:1',
        'urn:m:2',
        'urn:m:4',
      ]);
      const nameplate = { keyValue: 'urn:sem:nameplate' };
      assert.deepEqual(await collectIds(store().submodels, { semanticId: nameplate }, 10), [
        'urn:m:1',
        'urn:m:2',
        'urn:m:3',
        'urn:m:4',
      ]);
      assert.deepEqual(await collectIds(store().submodels, { semanticId: { keyValue: 'urn:cd:x' } }, 10), ['urn:m:2']);
      assert.deepEqual(await collectIds(store().submodels, { semanticId: { keyValue: 'urn:sem' } }, 10), []);
      assert.deepEqual(await collectIds(store().submodels, { semanticId: { keyValue: 'URN:SEM:OTHER' } }, 10), []);
    });

    it('combines idShort and semanticId', async () => {
      await seedSubmodels();
      const nameplate = { keyValue: 'urn:sem:nameplate' };
      assert.deepEqual(await collectIds(store().submodels, { idShort: 'Nameplate', semanticId: nameplate }, 10), [
        'urn:m:1',
        'urn:m:3',
      ]);
      assert.deepEqual(
        await collectIds(store().submodels, { idShort: 'Nameplate', semanticId: { reference: semantic } }, 10),
        ['urn:m:1'],
      );
      assert.deepEqual(await collectIds(store().submodels, { idShort: 'Plain', semanticId: nameplate }, 10), []);
    });

    it('sees the new semanticId after an update', async () => {
      await seedSubmodels();
      await store().write([
        {
          kind: 'submodels',
          op: 'upsert',
          doc: submodel('urn:m:1', { idShort: 'Renamed', semanticId: globalRef('urn:sem:new') }),
        },
      ]);
      assert.deepEqual(await collectIds(store().submodels, { semanticId: { reference: semantic } }, 10), ['urn:m:2']);
      const newKey = { keyValue: 'urn:sem:new' };
      assert.deepEqual(await collectIds(store().submodels, { semanticId: newKey }, 10), ['urn:m:1']);
      assert.deepEqual(await collectIds(store().submodels, { idShort: 'Nameplate' }, 10), ['urn:m:3']);
    });
  });

  describe('concept description filters', () => {
    async function seedConceptDescriptions(): Promise<void> {
      await store().write([
        conceptDescription('urn:cd:1', {
          idShort: 'Voltage',
          isCaseOf: [globalRef('urn:eclass:1'), globalRef('urn:iec:1')],
          dataSpecifications: [IEC61360],
        }),
        conceptDescription('urn:cd:2', {
          idShort: 'Current',
          isCaseOf: [globalRef('urn:iec:1')],
          dataSpecifications: [OTHER_SPEC, IEC61360],
        }),
        conceptDescription('urn:cd:3', { idShort: 'Voltage', dataSpecifications: [OTHER_SPEC] }),
        conceptDescription('urn:cd:4', { idShort: 'Bare' }),
      ].map((doc): WriteOp => ({ kind: 'conceptDescriptions', op: 'create', doc })));
    }

    it('matches isCaseOf against any of the isCaseOf references', async () => {
      await seedConceptDescriptions();
      const iec = { isCaseOf: globalRef('urn:iec:1') };
      assert.deepEqual(await collectIds(store().conceptDescriptions, iec, 10), ['urn:cd:1', 'urn:cd:2']);
      const eclass = { isCaseOf: globalRef('urn:eclass:1') };
      assert.deepEqual(await collectIds(store().conceptDescriptions, eclass, 10), ['urn:cd:1']);
      const longer = { isCaseOf: globalRef('urn:eclass:1', 'urn:iec:1') };
      assert.deepEqual(await collectIds(store().conceptDescriptions, longer, 10), []);
    });

    it('matches dataSpecificationRef against the embedded data specifications', async () => {
      await seedConceptDescriptions();
      const iec61360 = { dataSpecificationRef: IEC61360 };
      assert.deepEqual(await collectIds(store().conceptDescriptions, iec61360, 10), ['urn:cd:1', 'urn:cd:2']);
      const other = { dataSpecificationRef: OTHER_SPEC };
      assert.deepEqual(await collectIds(store().conceptDescriptions, other, 10), ['urn:cd:2', 'urn:cd:3']);
      // isCaseOf references are not data specifications
      const notASpec = { dataSpecificationRef: globalRef('urn:iec:1') };
      assert.deepEqual(await collectIds(store().conceptDescriptions, notASpec, 10), []);
    });

    it('combines idShort, isCaseOf and dataSpecificationRef (AND)', async () => {
      await seedConceptDescriptions();
      const all = { idShort: 'Voltage', isCaseOf: globalRef('urn:iec:1'), dataSpecificationRef: IEC61360 };
      assert.deepEqual(await collectIds(store().conceptDescriptions, all, 10), ['urn:cd:1']);
      const specAndCase = { isCaseOf: globalRef('urn:iec:1'), dataSpecificationRef: OTHER_SPEC };
      assert.deepEqual(await collectIds(store().conceptDescriptions, specAndCase, 10), ['urn:cd:2']);
      const none = { idShort: 'Voltage', dataSpecificationRef: OTHER_SPEC, isCaseOf: globalRef('urn:eclass:1') };
      assert.deepEqual(await collectIds(store().conceptDescriptions, none, 10), []);
      const voltage = { idShort: 'Voltage' };
      assert.deepEqual(await collectIds(store().conceptDescriptions, voltage, 10), ['urn:cd:1', 'urn:cd:3']);
    });
  });

  describe('filters with paging', () => {
    it('pages through the matches of one criterion only', async () => {
      const ops: WriteOp[] = [];
      for (let i = 0; i < 60; i++) {
        const id = `urn:m:${String(i).padStart(3, '0')}`;
        const fields = i % 3 === 0 ? { idShort: 'Hit', semanticId: globalRef('urn:sem:hit') } : { idShort: 'Miss' };
        ops.push({ kind: 'submodels', op: 'create', doc: submodel(id, fields) });
      }
      await store().write(ops);
      const expected = Array.from({ length: 20 }, (_, i) => `urn:m:${String(i * 3).padStart(3, '0')}`);
      for (const limit of [1, 3, 7, 20, 100]) {
        const filter = { semanticId: { reference: globalRef('urn:sem:hit') } };
        assert.deepEqual(await collectIds(store().submodels, filter, limit), expected, `limit ${limit}`);
        assert.deepEqual(await collectIds(store().submodels, { idShort: 'Hit' }, limit), expected, `limit ${limit}`);
      }
    });

    it('pages through an AND of a common and a rare criterion', async () => {
      const ops: WriteOp[] = [];
      for (let i = 0; i < 120; i++) {
        const specificAssetIds = [{ name: 'manufacturer', value: 'ACME' }];
        if (i % 10 === 7) specificAssetIds.push({ name: 'line', value: 'L1' });
        const idShort = i % 2 === 0 ? 'Even' : 'Odd';
        const doc = shell(`urn:s:${String(i).padStart(3, '0')}`, { idShort, specificAssetIds });
        ops.push({ kind: 'shells', op: 'create', doc });
      }
      await store().write(ops);
      const rare = Array.from({ length: 12 }, (_, i) => `urn:s:${String(i * 10 + 7).padStart(3, '0')}`);
      const assetIds = [
        { name: 'manufacturer', value: 'ACME' },
        { name: 'line', value: 'L1' },
      ];
      for (const limit of [1, 5, 50]) {
        assert.deepEqual(await collectIds(store().shells, { assetIds }, limit), rare, `limit ${limit}`);
        assert.deepEqual(await collectIds(store().shells, { assetIds: [...assetIds].reverse() }, limit), rare);
        assert.deepEqual(await collectIds(store().shells, { idShort: 'Odd', assetIds }, limit), rare);
        assert.deepEqual(await collectIds(store().shells, { idShort: 'Even', assetIds }, limit), []);
      }
      const evens = await collectIds(store().shells, { idShort: 'Even', assetIds: assetIds.slice(0, 1) }, 7);
      assert.equal(evens.length, 60);
      assert.ok(evens.every((id) => Number(id.slice(-3)) % 2 === 0));
    });
  });
}
