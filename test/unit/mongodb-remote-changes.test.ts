/**
 * The MongoDB store's view of other instances' changes, without a server: revisions (format, writer prefix,
 * conditions), the change stream's pipeline (evaluated on change events of the shapes MongoDB documents, after a
 * BSON round trip as the server receives it), the mapping of events to RemoteChange, and the ledger of own deletes.
 * The store test (test/store/mongodb.test.ts) runs the same against a real replica set.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BSON, type Document } from 'mongodb';
import { isSingleDocumentBatch } from '../../src/store/mongodb/batch-writer.js';
import { OWN_DELETE_TTL_MS, OwnDeletes, remoteChangePipeline, toRemoteChange } from '../../src/store/mongodb/remote-change-events.js';
import { newRevision, newWriterTag, revisionFilter, revisionOf, UNREVISED, writerOfRevision } from '../../src/store/mongodb/revisions.js';

describe('revisions', () => {
  it('are fresh on every write and name their writer', () => {
    const writer = newWriterTag();
    assert.match(writer, /^[0-9a-f]{16}$/);
    assert.notEqual(newWriterTag(), writer);
    const revisions = new Set(Array.from({ length: 1000 }, () => newRevision(writer)));
    assert.equal(revisions.size, 1000);
    for (const revision of revisions) assert.equal(writerOfRevision(revision), writer);
    assert.equal(writerOfRevision('no-dot'), undefined);
  });

  it('read a document stored before revisions as UNREVISED, and condition on it as "still none"', () => {
    assert.equal(revisionOf({}), UNREVISED);
    assert.equal(revisionOf({ revision: null }), UNREVISED);
    assert.equal(revisionOf({ revision: 'w.1' }), 'w.1');
    assert.deepEqual(revisionFilter('urn:x', 'w.1'), { _id: 'urn:x', revision: 'w.1' });
    assert.deepEqual(revisionFilter('urn:x', UNREVISED), { _id: 'urn:x', revision: { $exists: false } });
  });
});

/** A value at a dotted path of a document. */
function at(doc: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((value, key) => (value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined), doc);
}

/** MongoDB's query semantics for the operators the pipeline's $match uses: equality, $in, $not with a regex, $or. */
function matches(doc: unknown, query: Document): boolean {
  return Object.entries(query).every(([key, condition]) => {
    if (key === '$or') return (condition as Document[]).some((branch) => matches(doc, branch));
    const value = at(doc, key);
    if (condition instanceof RegExp) return typeof value === 'string' && condition.test(value);
    if (condition !== null && typeof condition === 'object' && !Array.isArray(condition)) {
      return Object.entries(condition as Document).every(([op, arg]) => {
        if (op === '$in') return (arg as unknown[]).includes(value);
        if (op === '$not') return !(typeof value === 'string' && (arg as RegExp).test(value));
        throw new Error(`operator ${op} not modelled`);
      });
    }
    return value === condition;
  });
}

describe('remote change pipeline', () => {
  const me = 'aaaa000000000001';
  const other = 'bbbb000000000002';
  // As the server receives it: through BSON (the regexes must survive as regexes).
  const pipeline = BSON.deserialize(BSON.serialize({ p: remoteChangePipeline(me) }), { bsonRegExp: false }).p as Document[];
  const match = pipeline[0].$match as Document;
  const passes = (event: Document) => matches(event, match);
  const insert = (coll: string, revision?: string) => ({ operationType: 'insert', ns: { db: 'd', coll }, documentKey: { _id: 'urn:x' }, fullDocument: { _id: 'urn:x', ...(revision ? { revision } : {}) } });
  const update = (updatedFields: Document) => ({ operationType: 'update', ns: { db: 'd', coll: 'submodels' }, documentKey: { _id: 'urn:sm' }, updateDescription: { updatedFields, removedFields: [] } });

  it('passes other writers’ inserts and replaces of the three watched collections, not this writer’s', () => {
    for (const coll of ['shells', 'submodels', 'conceptDescriptions']) {
      assert.equal(passes(insert(coll, newRevision(other))), true, coll);
      assert.equal(passes(insert(coll, newRevision(me))), false, coll);
      assert.equal(passes({ ...insert(coll, newRevision(other)), operationType: 'replace' }), true, coll);
      assert.equal(passes({ ...insert(coll, newRevision(me)), operationType: 'replace' }), false, coll);
    }
    assert.equal(passes(insert('submodelElements', newRevision(other))), false, 'element documents are not watched');
    assert.equal(passes(insert('writerLease')), false);
    assert.equal(passes(insert('shells')), true, 'a document without revision was not written by this instance');
  });

  it('tells writers apart by the whole tag, not a prefix of it', () => {
    assert.equal(passes(insert('shells', `${me}0.x`)), true);
    assert.equal(passes(insert('shells', `${me.slice(0, 8)}.x`)), true);
  });

  it('passes updates whose new revision is another writer’s (an element replace of a submodel), not this writer’s', () => {
    assert.equal(passes(update({ revision: newRevision(other) })), true);
    assert.equal(passes(update({ revision: newRevision(me) })), false);
    assert.equal(passes(update({ idShort: 'x' })), true, 'an update without a revision is nobody’s of this store');
  });

  it('passes every delete (own ones are told apart by the ledger) and no other kind of event', () => {
    assert.equal(passes({ operationType: 'delete', ns: { db: 'd', coll: 'shells' }, documentKey: { _id: 'urn:x' } }), true);
    assert.equal(passes({ operationType: 'drop', ns: { db: 'd', coll: 'shells' } }), false);
  });

  it('projects the events down to what the mapping reads, keeping the resume token', () => {
    assert.deepEqual(pipeline[1], { $project: { _id: 1, operationType: 1, ns: 1, documentKey: 1 } });
    assert.throws(() => remoteChangePipeline('not-hex.*'), /hex/);
  });
});

describe('toRemoteChange', () => {
  const event = (operationType: string, coll: string, id: unknown = 'urn:x') => ({ operationType, ns: { db: 'd', coll }, documentKey: { _id: id } });

  it('maps insert to created, replace and update to updated, delete to deleted, per collection kind', () => {
    assert.deepEqual(toRemoteChange(event('insert', 'shells')), { type: 'created', kind: 'shells', id: 'urn:x' });
    assert.deepEqual(toRemoteChange(event('replace', 'conceptDescriptions')), { type: 'updated', kind: 'conceptDescriptions', id: 'urn:x' });
    assert.deepEqual(toRemoteChange(event('update', 'submodels')), { type: 'updated', kind: 'submodels', id: 'urn:x' });
    assert.deepEqual(toRemoteChange(event('delete', 'submodels')), { type: 'deleted', kind: 'submodels', id: 'urn:x' });
  });

  it('ignores other operations, other collections and ids that are not strings', () => {
    assert.equal(toRemoteChange(event('drop', 'shells')), undefined);
    assert.equal(toRemoteChange(event('invalidate', 'shells')), undefined);
    assert.equal(toRemoteChange(event('insert', 'submodelElements')), undefined);
    assert.equal(toRemoteChange(event('insert', 'shells', new BSON.ObjectId())), undefined);
    assert.equal(toRemoteChange({ operationType: 'insert' }), undefined);
  });
});

describe('OwnDeletes', () => {
  it('consumes exactly the deletes announced, once each', () => {
    const own = new OwnDeletes();
    own.active = true;
    own.announce('shells', 'urn:a');
    own.announce('shells', 'urn:a');
    own.announce('submodels', 'urn:a');
    assert.equal(own.size, 3);
    assert.equal(own.consume('conceptDescriptions', 'urn:a'), false);
    assert.equal(own.consume('shells', 'urn:a'), true);
    assert.equal(own.consume('shells', 'urn:a'), true);
    assert.equal(own.consume('shells', 'urn:a'), false, 'a third delete of urn:a is another writer’s');
    assert.equal(own.consume('submodels', 'urn:a'), true);
    assert.equal(own.size, 0);
  });

  it('forgets a withdrawn announcement (the write failed) and does nothing while inactive', () => {
    const own = new OwnDeletes();
    own.active = true;
    const withdraw = own.announce('shells', 'urn:a');
    withdraw();
    withdraw();
    assert.equal(own.consume('shells', 'urn:a'), false);
    own.active = false;
    own.announce('shells', 'urn:b');
    assert.equal(own.size, 0);
  });

  it('forgets announcements whose events never came', () => {
    let now = 1_000;
    const own = new OwnDeletes(() => now);
    own.active = true;
    own.announce('shells', 'urn:a');
    now += OWN_DELETE_TTL_MS + 1;
    own.announce('shells', 'urn:b');
    assert.equal(own.consume('shells', 'urn:a'), false);
    assert.equal(own.consume('shells', 'urn:b'), true);
  });
});

describe('isSingleDocumentBatch', () => {
  it('is one op on a shell or concept description, where a conditional write needs no transaction', () => {
    const shell = { kind: 'shells', op: 'delete', id: 'urn:s' } as const;
    assert.equal(isSingleDocumentBatch([shell]), true);
    assert.equal(isSingleDocumentBatch([{ kind: 'conceptDescriptions', op: 'delete', id: 'urn:c' }]), true);
    assert.equal(isSingleDocumentBatch([shell, shell]), false);
    assert.equal(isSingleDocumentBatch([{ kind: 'submodels', op: 'delete', id: 'urn:sm' }]), false, 'a submodel has element documents');
  });
});
