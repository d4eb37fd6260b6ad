/**
 * The MongoDB store's write builders, without a server: effects to document writes (which need the journal and
 * which are one document), revisions and the conditions on them, the patch update operations, the journal's staged
 * records (through BSON and back, as recovery reads them), and the writer lease's renewal pipeline.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BSON } from 'mongodb';
import { stagedRecords, writeOfRecord, type StagedRecord } from '../../src/store/mongodb/batch-journal.js';
import type { Effect, ExistingDocument } from '../../src/store/mongodb/batch-plan.js';
import {
  conditionalHeaderOperation,
  conditionHeld,
  headerOperation,
  isOneElementPatch,
  isSingleDocumentWrite,
  patchOperations,
  toDocumentWrite,
} from '../../src/store/mongodb/document-writes.js';
import { UNREVISED } from '../../src/store/mongodb/revisions.js';
import { leaseUpdate } from '../../src/store/mongodb/writer-lease.js';

const property = (idShort: string, value: string) => ({ modelType: 'Property', idShort, valueType: 'xs:string', value });
const submodelDoc = (elements?: unknown[]) => ({ modelType: 'Submodel', id: 'urn:sm', ...(elements ? { submodelElements: elements } : {}) });
const fresh = (version: string, revision = 'r-new') => ({ revision, version: () => version });
const r = { revision: 'r-new' };
const before = (layout: { version: string; count: number } | null, revision = 'r-old') => ({ layout, revision });

describe('toDocumentWrite', () => {
  it('writes a submodel put as header plus elements under a fresh version, dropping the old version only if it had elements', () => {
    const withElements: Effect = { action: 'put', kind: 'submodels', id: 'urn:sm', doc: submodelDoc([property('A', '1')]), previous: before({ version: 'old', count: 2 }) };
    const write = toDocumentWrite(withElements, fresh('new'));
    assert.ok(write.action === 'put');
    assert.deepEqual(write.stored.layout, { version: 'new', count: 1 });
    assert.equal(write.stored.revision, 'r-new');
    assert.equal(write.expected, 'r-old');
    assert.deepEqual(write.elements.map((e) => [e.version, e.position, e.idShort]), [['new', 0, 'A']]);
    assert.equal(write.dropVersion, 'old');
    assert.equal(isSingleDocumentWrite(write), false);

    const emptyBefore = toDocumentWrite({ ...withElements, doc: submodelDoc([]), previous: before({ version: 'old', count: 0 }) }, fresh('new'));
    assert.ok(emptyBefore.action === 'put');
    assert.equal(emptyBefore.dropVersion, undefined);
    assert.equal(isSingleDocumentWrite(emptyBefore), true, 'no element documents before or after: one document');
  });

  it('treats shells and element-less submodels as single-document writes; an element replace also writes its header', () => {
    const shell = toDocumentWrite({ action: 'put', kind: 'shells', id: 'urn:s', doc: { modelType: 'AssetAdministrationShell', id: 'urn:s' } }, r);
    assert.equal(isSingleDocumentWrite(shell), true);
    assert.ok(shell.action === 'put');
    assert.equal('expected' in shell, false, 'a new document expects absence (no key: BSON would store undefined as null)');
    assert.equal(isSingleDocumentWrite(toDocumentWrite({ action: 'put', kind: 'submodels', id: 'urn:sm', doc: submodelDoc() }, r)), true);
    const patchEffect = (elements: [number, Record<string, unknown>][]): Effect => ({ action: 'patch', kind: 'submodels', id: 'urn:sm', version: 'v1', elements: new Map(elements), previous: before({ version: 'v1', count: 10 }) });
    const onePatch = toDocumentWrite(patchEffect([[4, property('E', 'x')]]), r);
    assert.equal(isSingleDocumentWrite(onePatch), false);
    assert.equal(isOneElementPatch(onePatch), true);
    assert.ok(onePatch.action === 'patch');
    assert.deepEqual([onePatch.revision, onePatch.expected], ['r-new', 'r-old']);
    const twoPatches = toDocumentWrite(patchEffect([[9, property('J', 'x')], [0, property('A', 'y')]]), r);
    assert.equal(isOneElementPatch(twoPatches), false);
    assert.ok(twoPatches.action === 'patch');
    assert.deepEqual(twoPatches.patches.map((p) => p.position), [0, 9], 'patches in position order');
    const deleteSplit = toDocumentWrite({ action: 'delete', kind: 'submodels', id: 'urn:sm', previous: before({ version: 'v1', count: 3 }) }, r);
    assert.deepEqual(deleteSplit, { action: 'delete', kind: 'submodels', id: 'urn:sm', dropVersion: 'v1', expected: 'r-old' });
    assert.equal(isSingleDocumentWrite(deleteSplit), false);
    assert.equal(isSingleDocumentWrite(toDocumentWrite({ action: 'delete', kind: 'shells', id: 'urn:s', previous: before(null) }, r)), true);
  });

  it('addresses each replaced element by version and position and sets only its idShort and content', () => {
    assert.deepEqual(patchOperations('v1', [{ position: 3, idShort: 'D', element: property('D', 'x') }]), [
      { updateOne: { filter: { version: 'v1', position: 3 }, update: { $set: { idShort: 'D', element: property('D', 'x') } } } },
    ]);
  });
});

describe('header writes and their conditions', () => {
  const shellPut = (previous?: ExistingDocument) =>
    toDocumentWrite({ action: 'put', kind: 'shells', id: 'urn:s', doc: { modelType: 'AssetAdministrationShell', id: 'urn:s' }, ...(previous ? { previous } : {}) }, r);
  const patch = toDocumentWrite({ action: 'patch', kind: 'submodels', id: 'urn:sm', version: 'v1', elements: new Map([[0, property('A', 'a')]]), previous: before({ version: 'v1', count: 1 }) }, r);
  const del = toDocumentWrite({ action: 'delete', kind: 'shells', id: 'urn:s', previous: before(null) }, r);

  it('inserts where the plan saw no document, and otherwise writes only on the revision the plan saw', () => {
    const created = shellPut();
    assert.ok(created.action === 'put');
    assert.deepEqual(conditionalHeaderOperation(created), { insertOne: { document: created.stored } });
    const replaced = shellPut(before(null));
    assert.ok(replaced.action === 'put');
    assert.deepEqual(conditionalHeaderOperation(replaced), { replaceOne: { filter: { _id: 'urn:s', revision: 'r-old' }, replacement: replaced.stored } });
    assert.deepEqual(conditionalHeaderOperation(patch), { updateOne: { filter: { _id: 'urn:sm', revision: 'r-old' }, update: { $set: { revision: 'r-new' } } } });
    assert.deepEqual(conditionalHeaderOperation(del), { deleteOne: { filter: { _id: 'urn:s', revision: 'r-old' } } });
  });

  it('matches a document stored before revisions existed only while it still has none', () => {
    const legacy = toDocumentWrite({ action: 'delete', kind: 'shells', id: 'urn:s', previous: before(null, UNREVISED) }, r);
    assert.deepEqual(conditionalHeaderOperation(legacy), { deleteOne: { filter: { _id: 'urn:s', revision: { $exists: false } } } });
  });

  it('writes unconditionally and idempotently for the journal, the element replace setting the new revision', () => {
    const put = shellPut(before(null));
    assert.ok(put.action === 'put');
    assert.deepEqual(headerOperation(put), { replaceOne: { filter: { _id: 'urn:s' }, replacement: put.stored, upsert: true } });
    assert.deepEqual(headerOperation(patch), { updateOne: { filter: { _id: 'urn:sm' }, update: { $set: { revision: 'r-new' } } } });
    assert.ok(patch.action === 'patch');
    assert.equal(headerOperation({ ...patch, revision: undefined }), undefined, 'a journal record that is not the last of its patch');
    assert.deepEqual(headerOperation(del), { deleteOne: { filter: { _id: 'urn:s' } } });
  });

  it('reads a single-operation bulk result as condition held or missed', () => {
    const counts = (insertedCount: number, matchedCount: number, deletedCount: number) => ({ insertedCount, matchedCount, deletedCount });
    assert.equal(conditionHeld(conditionalHeaderOperation(shellPut()), counts(1, 0, 0)), true);
    assert.equal(conditionHeld(conditionalHeaderOperation(shellPut(before(null))), counts(0, 1, 0)), true);
    assert.equal(conditionHeld(conditionalHeaderOperation(shellPut(before(null))), counts(0, 0, 0)), false);
    assert.equal(conditionHeld(conditionalHeaderOperation(patch), counts(0, 0, 0)), false);
    assert.equal(conditionHeld(conditionalHeaderOperation(del), counts(0, 0, 1)), true);
    assert.equal(conditionHeld(conditionalHeaderOperation(del), counts(0, 1, 0)), false);
  });
});

describe('journal records', () => {
  it('stage puts without their elements and one record per patch, in op order, and read back as the same writes', () => {
    const put = toDocumentWrite({ action: 'put', kind: 'submodels', id: 'urn:sm', doc: submodelDoc([property('A', '1'), property('B', '2')]), previous: before({ version: 'old', count: 1 }) }, fresh('new'));
    const patch = toDocumentWrite({ action: 'patch', kind: 'submodels', id: 'urn:other', version: 'v9', elements: new Map([[1, property('B', 'b')], [0, property('A', 'a')]]), previous: before({ version: 'v9', count: 2 }) }, r);
    const del = toDocumentWrite({ action: 'delete', kind: 'shells', id: 'urn:s', previous: before(null) }, r);
    const created = toDocumentWrite({ action: 'put', kind: 'shells', id: 'urn:new', doc: { modelType: 'AssetAdministrationShell', id: 'urn:new' } }, r);
    const records = stagedRecords('batch-1', [put, patch, del, created]);
    assert.deepEqual(records.map((r) => [r.seq, r.action, r.batch]), [[0, 'put', 'batch-1'], [1, 'patch', 'batch-1'], [2, 'patch', 'batch-1'], [3, 'delete', 'batch-1'], [4, 'put', 'batch-1']]);
    assert.equal('elements' in records[0], false, 'element documents are inserted directly, not staged');
    // The header's revision changes after all elements of the patch did, never in between.
    assert.deepEqual(records.slice(1, 3).map((r) => (r as { revision?: string }).revision), [undefined, 'r-new']);

    // As recovery sees them: out of MongoDB (through BSON, with the _id the driver adds).
    const back = records.map((r) => BSON.deserialize(BSON.serialize({ _id: new BSON.ObjectId(), ...r })) as StagedRecord);
    const writes = back.map(writeOfRecord);
    assert.ok(put.action === 'put' && patch.action === 'patch');
    assert.deepEqual(writes[0], { ...put, elements: [] });
    const { revision: _revision, ...patchWithoutRevision } = patch;
    assert.deepEqual(writes.slice(1, 3), [
      { ...patchWithoutRevision, patches: [patch.patches[0]] },
      { ...patch, patches: [patch.patches[1]] },
    ]);
    assert.deepEqual(writes[3], del);
    assert.deepEqual(writes[4], { ...created, elements: [] });
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
