/**
 * The MongoDB store's write builders, without a server: effects to document writes (which need the journal and
 * which are one document), the patch update operations, the journal's staged records (through BSON and back,
 * as recovery reads them), and the writer lease's renewal pipeline.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BSON } from 'mongodb';
import { stagedRecords, writeOfRecord, type StagedRecord } from '../../src/store/mongodb/batch-journal.js';
import type { Effect } from '../../src/store/mongodb/batch-plan.js';
import { isSingleDocumentWrite, patchOperations, toDocumentWrite } from '../../src/store/mongodb/document-writes.js';
import { leaseUpdate } from '../../src/store/mongodb/writer-lease.js';

const property = (idShort: string, value: string) => ({ modelType: 'Property', idShort, valueType: 'xs:string', value });
const submodelDoc = (elements?: unknown[]) => ({ modelType: 'Submodel', id: 'urn:sm', ...(elements ? { submodelElements: elements } : {}) });
const v = (name: string) => () => name;

describe('toDocumentWrite', () => {
  it('writes a submodel put as header plus elements under a fresh version, dropping the old version only if it had elements', () => {
    const withElements: Effect = { action: 'put', kind: 'submodels', id: 'urn:sm', doc: submodelDoc([property('A', '1')]), previous: { layout: { version: 'old', count: 2 } } };
    const write = toDocumentWrite(withElements, v('new'));
    assert.ok(write.action === 'put');
    assert.deepEqual(write.stored.layout, { version: 'new', count: 1 });
    assert.deepEqual(write.elements.map((e) => [e.version, e.position, e.idShort]), [['new', 0, 'A']]);
    assert.equal(write.dropVersion, 'old');
    assert.equal(isSingleDocumentWrite(write), false);

    const emptyBefore = toDocumentWrite({ ...withElements, doc: submodelDoc([]), previous: { layout: { version: 'old', count: 0 } } }, v('new'));
    assert.ok(emptyBefore.action === 'put');
    assert.equal(emptyBefore.dropVersion, undefined);
    assert.equal(isSingleDocumentWrite(emptyBefore), true, 'no element documents before or after: one document');
  });

  it('treats shells, element-less submodels and single element replaces as single-document writes', () => {
    const shell = toDocumentWrite({ action: 'put', kind: 'shells', id: 'urn:s', doc: { modelType: 'AssetAdministrationShell', id: 'urn:s' } });
    assert.equal(isSingleDocumentWrite(shell), true);
    assert.equal(isSingleDocumentWrite(toDocumentWrite({ action: 'put', kind: 'submodels', id: 'urn:sm', doc: submodelDoc() })), true);
    const onePatch = toDocumentWrite({ action: 'patch', kind: 'submodels', id: 'urn:sm', version: 'v1', elements: new Map([[4, property('E', 'x')]]) });
    assert.equal(isSingleDocumentWrite(onePatch), true);
    const twoPatches = toDocumentWrite({ action: 'patch', kind: 'submodels', id: 'urn:sm', version: 'v1', elements: new Map([[9, property('J', 'x')], [0, property('A', 'y')]]) });
    assert.equal(isSingleDocumentWrite(twoPatches), false);
    assert.ok(twoPatches.action === 'patch');
    assert.deepEqual(twoPatches.patches.map((p) => p.position), [0, 9], 'patches in position order');
    const deleteSplit = toDocumentWrite({ action: 'delete', kind: 'submodels', id: 'urn:sm', previous: { layout: { version: 'v1', count: 3 } } });
    assert.deepEqual(deleteSplit, { action: 'delete', kind: 'submodels', id: 'urn:sm', dropVersion: 'v1' });
    assert.equal(isSingleDocumentWrite(deleteSplit), false);
    assert.equal(isSingleDocumentWrite(toDocumentWrite({ action: 'delete', kind: 'shells', id: 'urn:s', previous: { layout: null } })), true);
  });

  it('addresses each replaced element by version and position and sets only its idShort and content', () => {
    assert.deepEqual(patchOperations('v1', [{ position: 3, idShort: 'D', element: property('D', 'x') }]), [
      { updateOne: { filter: { version: 'v1', position: 3 }, update: { $set: { idShort: 'D', element: property('D', 'x') } } } },
    ]);
  });
});

describe('journal records', () => {
  it('stage puts without their elements and one record per patch, in op order, and read back as the same writes', () => {
    const put = toDocumentWrite({ action: 'put', kind: 'submodels', id: 'urn:sm', doc: submodelDoc([property('A', '1'), property('B', '2')]), previous: { layout: { version: 'old', count: 1 } } }, v('new'));
    const patch = toDocumentWrite({ action: 'patch', kind: 'submodels', id: 'urn:other', version: 'v9', elements: new Map([[1, property('B', 'b')], [0, property('A', 'a')]]) });
    const del = toDocumentWrite({ action: 'delete', kind: 'shells', id: 'urn:s', previous: { layout: null } });
    const records = stagedRecords('batch-1', [put, patch, del]);
    assert.deepEqual(records.map((r) => [r.seq, r.action, r.batch]), [[0, 'put', 'batch-1'], [1, 'patch', 'batch-1'], [2, 'patch', 'batch-1'], [3, 'delete', 'batch-1']]);
    assert.equal('elements' in records[0], false, 'element documents are inserted directly, not staged');

    // As recovery sees them: out of MongoDB (through BSON, with the _id the driver adds).
    const back = records.map((r) => BSON.deserialize(BSON.serialize({ _id: new BSON.ObjectId(), ...r })) as StagedRecord);
    const writes = back.map(writeOfRecord);
    assert.ok(put.action === 'put');
    assert.deepEqual(writes[0], { ...put, elements: [] });
    assert.deepEqual(writes.slice(1, 3), patch.action === 'patch' ? patch.patches.map((p) => ({ ...patch, patches: [p] })) : []);
    assert.deepEqual(writes[3], del);
  });
});

/**
 * Evaluates the few aggregation operators the lease update uses, with MongoDB's documented meaning, on one
 * document: enough to check the update's truth table here. The store test checks it against a real server.
 */
function evaluate(expr: unknown, doc: Record<string, unknown>, now: Date): unknown {
  if (typeof expr === 'string' && expr === '$$NOW') return now;
  if (typeof expr === 'string' && expr.startsWith('$')) return doc[expr.slice(1)];
  if (expr === null || typeof expr !== 'object' || Array.isArray(expr)) return expr;
  const [op, arg] = Object.entries(expr)[0] as [string, unknown[]];
  const v = (i: number) => evaluate(arg[i], doc, now);
  switch (op) {
    case '$literal':
      return arg;
    case '$cond':
      return v(0) ? v(1) : v(2);
    case '$or':
      return arg.some((_, i) => Boolean(v(i)));
    case '$eq':
      return v(0) === v(1);
    case '$type':
      return evaluate(arg, doc, now) === undefined ? 'missing' : typeof evaluate(arg, doc, now);
    case '$ifNull':
      return v(0) ?? v(1);
    case '$subtract':
      return new Date((v(0) as Date).getTime() - (v(1) as number));
    case '$lt':
      return (v(0) as Date).getTime() < (v(1) as Date).getTime();
    default:
      throw new Error(`operator ${op} not modelled`);
  }
}

function applyLeaseUpdate(doc: Record<string, unknown>, owner: string, now: Date): Record<string, unknown> {
  const [stage] = leaseUpdate(owner, 10_000, 'host', 1) as [{ $set: Record<string, unknown> }];
  const after = { ...doc };
  for (const [field, expr] of Object.entries(stage.$set)) after[field] = evaluate(expr, doc, now);
  return after;
}

describe('writer lease update', () => {
  const now = new Date('2025-01-01T00:00:30Z');
  const fresh = new Date('2025-01-01T00:00:25Z');
  const stale = new Date('2025-01-01T00:00:10Z');

  it('creates the lease for the caller when there is none (upsert of { _id } alone)', () => {
    const after = applyLeaseUpdate({ _id: 'writer' }, 'me', now);
    assert.deepEqual([after.owner, after.renewedAt, after.takenFrom], ['me', now, null]);
  });

  it('renews the caller’s own lease, and takes over an expired one, recording whose it was', () => {
    assert.deepEqual(applyLeaseUpdate({ _id: 'writer', owner: 'me', renewedAt: fresh, takenFrom: 'x' }, 'me', now).takenFrom, 'me');
    const taken = applyLeaseUpdate({ _id: 'writer', owner: 'other', renewedAt: stale, takenFrom: null }, 'me', now);
    assert.deepEqual([taken.owner, taken.renewedAt, taken.takenFrom], ['me', now, 'other']);
  });

  it('leaves another server’s unexpired lease untouched', () => {
    const held = { _id: 'writer', owner: 'other', renewedAt: fresh, host: 'h', pid: 7, takenFrom: null };
    assert.deepEqual(applyLeaseUpdate(held, 'me', now), held);
  });

  it('keeps the expiry test in the pipeline, never $expr in the upsert filter (MongoDB refuses that)', () => {
    assert.doesNotMatch(JSON.stringify(leaseUpdate('me', 1, 'h', 1)), /\$expr/);
  });
});
