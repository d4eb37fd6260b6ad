/**
 * Planning a batch for the MongoDB store (src/store/mongodb/batch-plan.ts): outcomes, the first failing op's error,
 * and the net effect per document, against an in-memory view of what is stored (the planner's only input; the
 * store gives it MongoDB queries).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequest, Conflict, NotFound, StaleRevision } from '../../src/errors.js';
import type { WriteOp } from '../../src/store/store.js';
import { planBatch, type ExistingDocument, type PlanReader } from '../../src/store/mongodb/batch-plan.js';
import type { IdentifiableKind } from '../../src/store/mongodb/document-layout.js';

const property = (idShort: string, value: string) => ({ modelType: 'Property', idShort, valueType: 'xs:string', value });
const submodel = (id: string, elements?: unknown[], idShort = 'S') =>
  ({ modelType: 'Submodel', id, idShort, ...(elements ? { submodelElements: elements } : {}) }) as never;
const shell = (id: string, idShort = 'A') => ({ modelType: 'AssetAdministrationShell', id, idShort, assetInformation: { assetKind: 'Instance' } }) as never;
const replace = (submodelId: string, element: unknown, ifRevision?: string): WriteOp => ({
  kind: 'submodelElement',
  op: 'replace',
  submodelId,
  element: element as never,
  ...(ifRevision === undefined ? {} : { ifRevision }),
});

/** What is stored: ids per kind (submodels with their element layout and element idShorts by position). */
class MemoryReader implements PlanReader {
  existingCalls: { kind: IdentifiableKind; ids: readonly string[] }[] = [];
  constructor(
    private readonly docs: Partial<Record<IdentifiableKind, Map<string, ExistingDocument>>>,
    private readonly elementNames: Map<string, (string | null)[]> = new Map(),
  ) {}
  async existing(kind: IdentifiableKind, ids: readonly string[]) {
    this.existingCalls.push({ kind, ids });
    const found = new Map<string, ExistingDocument>();
    for (const id of ids) {
      const doc = this.docs[kind]?.get(id);
      if (doc) found.set(id, doc);
    }
    return found;
  }
  async elementPosition(version: string, idShort: string) {
    const at = (this.elementNames.get(version) ?? []).indexOf(idShort);
    return at < 0 ? undefined : at;
  }
}

/** A store holding submodel `urn:sm` (elements A, B, A under version v1, revision r-sm), shell `urn:s` and nothing else. */
function storedState(): MemoryReader {
  return new MemoryReader(
    {
      submodels: new Map<string, ExistingDocument>([
        ['urn:sm', { layout: { version: 'v1', count: 3 }, revision: 'r-sm' }],
        ['urn:bare', { layout: null, revision: 'r-bare' }],
      ]),
      shells: new Map<string, ExistingDocument>([['urn:s', { layout: null, revision: 'r-s' }]]),
    },
    new Map([['v1', ['A', 'B', 'A']]]),
  );
}

describe('planBatch', () => {
  it('reports one outcome per op and collapses several writes of one document into one put', async () => {
    const reader = storedState();
    const plan = await planBatch(
      [
        { kind: 'shells', op: 'create', doc: shell('urn:new', 'First') },
        { kind: 'shells', op: 'update', doc: shell('urn:new', 'Second') },
        { kind: 'shells', op: 'delete', id: 'urn:s' },
        { kind: 'shells', op: 'create', doc: shell('urn:s', 'Reborn') },
        { kind: 'conceptDescriptions', op: 'delete', id: 'urn:none' },
        { kind: 'submodels', op: 'upsert', doc: submodel('urn:other') },
      ],
      reader,
    );
    assert.deepEqual(plan.outcomes, ['created', 'updated', 'deleted', 'created', 'absent', 'created']);
    assert.deepEqual(
      plan.effects.map((e) => [e.action, e.kind, e.id, e.action === 'put' ? e.doc.idShort : undefined, e.action !== 'patch' ? e.previous : undefined]),
      [
        ['put', 'shells', 'urn:new', 'Second', undefined],
        ['put', 'shells', 'urn:s', 'Reborn', { layout: null, revision: 'r-s' }],
        ['put', 'submodels', 'urn:other', 'S', undefined],
      ],
    );
    // One existence query per kind, for every id of the batch.
    assert.deepEqual(
      reader.existingCalls.map((c) => [c.kind, [...c.ids].sort()]),
      [
        ['shells', ['urn:new', 'urn:s']],
        ['conceptDescriptions', ['urn:none']],
        ['submodels', ['urn:other']],
      ],
    );
  });

  it('fails with the first failing op’s error: Conflict, NotFound, or BadRequest, in op order', async () => {
    await assert.rejects(planBatch([{ kind: 'shells', op: 'create', doc: shell('urn:s') }], storedState()), Conflict);
    await assert.rejects(planBatch([{ kind: 'shells', op: 'update', doc: shell('urn:missing') }], storedState()), NotFound);
    await assert.rejects(
      planBatch(
        [
          { kind: 'shells', op: 'create', doc: shell('urn:n') },
          { kind: 'shells', op: 'create', doc: shell('urn:n') },
          { kind: 'shells', op: 'update', doc: shell('urn:missing') },
        ],
        storedState(),
      ),
      Conflict,
    );
    await assert.rejects(
      planBatch([{ kind: 'shells', op: 'update', doc: shell('urn:missing') }, { kind: 'shells', op: 'create', doc: shell('urn:s') }], storedState()),
      NotFound,
    );
    await assert.rejects(planBatch([{ kind: 'shells', op: 'create', doc: { modelType: 'AssetAdministrationShell' } as never }], storedState()), BadRequest);
    await assert.rejects(planBatch([{ kind: 'shells', op: 'create', doc: { ...(shell('urn:d') as object), $bad: 1 } as never }], storedState()), /starts with '\$'/);
  });

  it('turns an element replace on a stored submodel into a patch at the first position of that idShort', async () => {
    const plan = await planBatch([replace('urn:sm', property('A', 'new')), replace('urn:sm', property('B', 'two')), replace('urn:sm', property('A', 'newer'))], storedState());
    assert.deepEqual(plan.outcomes, ['updated', 'updated', 'updated']);
    assert.equal(plan.effects.length, 1);
    const [patch] = plan.effects;
    assert.equal(patch.action, 'patch');
    assert.ok(patch.action === 'patch');
    assert.equal(patch.version, 'v1');
    assert.deepEqual(patch.previous, { layout: { version: 'v1', count: 3 }, revision: 'r-sm' }, 'the revision the writes are conditional on');
    assert.deepEqual([...patch.elements], [
      [0, property('A', 'newer')],
      [1, property('B', 'two')],
    ]);
  });

  it('rejects a replace with NotFound for a missing submodel or element, and BadRequest without idShort', async () => {
    await assert.rejects(planBatch([replace('urn:missing', property('A', 'x'))], storedState()), /No Submodel with id 'urn:missing'/);
    await assert.rejects(planBatch([replace('urn:sm', property('Z', 'x'))], storedState()), /has no top-level element 'Z'/);
    await assert.rejects(planBatch([replace('urn:bare', property('A', 'x'))], storedState()), NotFound);
    await assert.rejects(planBatch([{ kind: 'submodels', op: 'delete', id: 'urn:sm' }, replace('urn:sm', property('A', 'x'))], storedState()), NotFound);
    await assert.rejects(planBatch([replace('urn:sm', { modelType: 'Property' })], storedState()), BadRequest);
  });

  it('applies a replace to a document written earlier in the batch, and drops it when the whole document follows', async () => {
    const inBatch = await planBatch(
      [{ kind: 'submodels', op: 'update', doc: submodel('urn:sm', [property('X', '1'), property('A', '2')]) }, replace('urn:sm', property('A', 'changed'))],
      storedState(),
    );
    assert.equal(inBatch.effects.length, 1);
    const put = inBatch.effects[0];
    assert.ok(put.action === 'put');
    assert.deepEqual(put.doc.submodelElements, [property('X', '1'), property('A', 'changed')]);
    assert.deepEqual(put.previous, { layout: { version: 'v1', count: 3 }, revision: 'r-sm' });

    const overwritten = await planBatch([replace('urn:sm', property('A', 'lost')), { kind: 'submodels', op: 'update', doc: submodel('urn:sm', [property('Z', '0')]) }], storedState());
    assert.deepEqual(overwritten.effects.map((e) => e.action), ['put']);
  });

  it('plans nothing for a document created and deleted in one batch, and a delete for a stored one', async () => {
    const plan = await planBatch(
      [
        { kind: 'submodels', op: 'create', doc: submodel('urn:tmp') },
        { kind: 'submodels', op: 'delete', id: 'urn:tmp' },
        { kind: 'submodels', op: 'delete', id: 'urn:sm' },
      ],
      storedState(),
    );
    assert.deepEqual(plan.outcomes, ['created', 'deleted', 'deleted']);
    assert.deepEqual(plan.effects, [{ action: 'delete', kind: 'submodels', id: 'urn:sm', previous: { layout: { version: 'v1', count: 3 }, revision: 'r-sm' } }]);
  });

  it('checks ifRevision against the revision before the batch: StaleRevision, and the first failing op wins', async () => {
    const update = (revision: string): WriteOp => ({ kind: 'shells', op: 'update', doc: shell('urn:s', 'New'), ifRevision: revision });
    assert.deepEqual((await planBatch([update('r-s')], storedState())).outcomes, ['updated']);
    await assert.rejects(planBatch([update('r-old')], storedState()), (e: unknown) => e instanceof StaleRevision && /'urn:s' was changed/.test(e.message));
    // Absent: the op fails as an update of a missing document does, not as stale.
    await assert.rejects(planBatch([{ kind: 'shells', op: 'update', doc: shell('urn:none'), ifRevision: 'r-s' }], storedState()), (e: unknown) => e instanceof NotFound && !(e instanceof StaleRevision));
    await assert.rejects(planBatch([{ kind: 'shells', op: 'create', doc: shell('urn:s') }, update('r-old')], storedState()), (e: unknown) => e instanceof Conflict && !(e instanceof StaleRevision));
    // Rewritten earlier in the batch: still the revision before the batch counts.
    assert.deepEqual((await planBatch([update('r-s'), update('r-s')], storedState())).outcomes, ['updated', 'updated']);
    // Created in the batch: it had no revision before the batch, so none matches.
    await assert.rejects(planBatch([{ kind: 'shells', op: 'create', doc: shell('urn:n') }, { kind: 'shells', op: 'update', doc: shell('urn:n'), ifRevision: 'r-s' }], storedState()), StaleRevision);
  });

  it('checks an element replace’s ifRevision against the submodel’s, before looking for the element', async () => {
    const plan = await planBatch([replace('urn:sm', property('A', '1'), 'r-sm'), replace('urn:sm', property('B', '2'), 'r-sm')], storedState());
    assert.deepEqual(plan.outcomes, ['updated', 'updated']);
    await assert.rejects(planBatch([replace('urn:sm', property('A', '1'), 'r-sm'), replace('urn:sm', property('B', '2'), 'r-other')], storedState()), StaleRevision);
    await assert.rejects(planBatch([replace('urn:sm', property('Gone', '1'), 'r-other')], storedState()), StaleRevision);
    await assert.rejects(planBatch([replace('urn:missing', property('A', '1'), 'r-sm')], storedState()), (e: unknown) => e instanceof NotFound);
  });

  it('plans a package record beside the documents of its package, in one batch', async () => {
    const record = { id: 'urn:package', attachment: 'v1', fileName: 'p.aasx', aasIds: ['urn:new'], submodelIds: [] };
    const plan = await planBatch(
      [
        { kind: 'shells', op: 'upsert', doc: shell('urn:new') },
        { kind: 'packages', op: 'create', doc: record },
      ],
      storedState(),
    );
    assert.deepEqual(plan.outcomes, ['created', 'created']);
    assert.deepEqual(plan.effects.map((e) => [e.action, e.kind, e.id]), [['put', 'shells', 'urn:new'], ['put', 'packages', 'urn:package']]);
    await assert.rejects(planBatch([{ kind: 'packages', op: 'update', doc: record }], storedState()), NotFound);
  });

  it('stores a copy: later changes to the written objects do not reach the plan', async () => {
    const doc = shell('urn:copy', 'Before') as unknown as Record<string, unknown>;
    const plan = await planBatch([{ kind: 'shells', op: 'create', doc: doc as never }], storedState());
    doc.idShort = 'After';
    const [put] = plan.effects;
    assert.ok(put.action === 'put');
    assert.equal(put.doc.idShort, 'Before');
  });
});
