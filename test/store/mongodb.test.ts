/**
 * The MongoDB store: the shared contract suite against a real MongoDB named by AAS_TEST_MONGODB_URI (each case in
 * a fresh database, dropped afterwards), plus what only this backend promises: indexes and query plans, crash
 * recovery of the batch journal and of attachment uploads, the writer lease, refusal of field names MongoDB
 * cannot store. On a replica set the contract runs twice, with transactions and with the journal, and two stores
 * on one database (two server instances) race each other: conditional updates of one submodel, creates of one id,
 * and each one's writes reaching the other's `remoteChanges` but not its own.
 *
 * Without AAS_TEST_MONGODB_URI the server-backed suites are skipped (MongoDB is the one component CI on this
 * machine cannot have, so AAS_TEST_REQUIRE_ALL does not turn this skip into a failure). The behaviour without a
 * reachable server (start-up does not wait, every operation is 503, ping rejects) is tested always, against a
 * closed port on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { GridFSBucket, MongoClient, ObjectId, type Document } from 'mongodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { BadRequest, Conflict, ServiceUnavailable, StaleRevision } from '../../src/errors.js';
import type { Submodel, SubmodelElement } from '../../src/model/types.js';
import { openMongoStore, type MongoRemoteChanges, type MongoStoreOptions } from '../../src/store/mongodb/index.js';
import { translateDriverError } from '../../src/store/mongodb/driver-errors.js';
import { COLLECTIONS, INDEX_DEFINITIONS } from '../../src/store/mongodb/index-definitions.js';
import { toDocumentWrite } from '../../src/store/mongodb/document-writes.js';
import { stagedRecords } from '../../src/store/mongodb/batch-journal.js';
import type { AasStore, RemoteChange, WriteOp } from '../../src/store/store.js';
import { storeContract } from './contract.js';
import { globalRef, shell, submodel } from './contract-fixtures.js';
import { freePort } from '../free-port.js';

const URI = process.env.AAS_TEST_MONGODB_URI;
const SKIP_LINE = 'skipped: no MongoDB (set AAS_TEST_MONGODB_URI)';


describe('MongoDB store without a reachable server', () => {
  it('opens at once, answers every operation with ServiceUnavailable, rejects ping with the reason, and closes', async () => {
    const logged: string[] = [];
    const started = Date.now();
    const store = await openMongoStore({
      uri: `mongodb://127.0.0.1:${await freePort()}/?directConnection=true`,
      database: 'aas_unreachable',
      serverSelectionTimeoutMS: 200,
      log: (entry) => logged.push(`${entry.level}: ${entry.message}`),
    });
    assert.ok(Date.now() - started < 150, 'openMongoStore waited for the server');
    try {
      await assert.rejects(store.ping(), (e: unknown) => e instanceof ServiceUnavailable && /MongoDB is not available: .*ECONNREFUSED/.test(e.message));
      const operations: [string, () => Promise<unknown>][] = [
        ['get', () => store.shells.get('urn:x')],
        ['list', () => store.submodels.list({}, { limit: 10 })],
        ['getTopLevelElement', () => store.submodels.getTopLevelElement('urn:x', 'A')],
        ['write', () => store.write([{ kind: 'shells', op: 'create', doc: shell('urn:x') }])],
        ['isEmpty', () => store.isEmpty()],
        ['count', () => store.conceptDescriptions.count()],
        ['attachments.names', () => store.attachments.names({ kind: 'submodels', id: 'urn:x' })],
        ['attachments.owners', () => store.attachments.owners()],
        ['attachments.put', () => store.attachments.put({ owner: { kind: 'submodels', id: 'urn:x' }, name: 'f' }, Readable.from([Buffer.from('x')]), { contentType: 'text/plain', fileName: 'f' }, 10)],
        ['assetConnections.list', () => store.assetConnections.list()],
        ['assetConnections.put', () => store.assetConnections.put({ id: 'c' }, 'create')],
      ];
      for (const [name, operation] of operations) await assert.rejects(operation(), ServiceUnavailable, name);
      // Contract checks that need no server still answer as every backend does.
      await assert.rejects(store.submodels.list({}, { limit: 0 }), BadRequest);
      assert.deepEqual(await store.write([]), []);
      assert.ok(logged.some((line) => /^warn: MongoDB store not ready/.test(line)), logged.join('\n'));
    } finally {
      const closing = Date.now();
      await store.close();
      assert.ok(Date.now() - closing < 2000, 'close waited for the server');
    }
    await assert.rejects(store.ping(), ServiceUnavailable);
  });
});

/** Topology of the server under test: a replica set (or mongos) offers transactions. */
async function probe(uri: string): Promise<{ transactions: boolean }> {
  const client = new MongoClient(uri, { serverSelectionTimeoutMS: 10_000 });
  try {
    const hello = await client.db('admin').command({ hello: 1 });
    return { transactions: typeof hello.setName === 'string' || hello.msg === 'isdbgrid' };
  } finally {
    await client.close();
  }
}

if (URI === undefined) {
  console.log(SKIP_LINE);
  describe('store contract: MongoDB', { skip: SKIP_LINE }, () => {});
  describe('MongoDB store specifics', { skip: SKIP_LINE }, () => {});
} else {
  const { transactions } = await probe(URI);
  const expected = process.env.AAS_TEST_MONGODB_TOPOLOGY;
  if (expected !== undefined) {
    assert.equal(transactions ? 'replicaSet' : 'standalone', expected, 'AAS_TEST_MONGODB_TOPOLOGY names the deployment the tests must see');
  }
  serverSuites(URI, transactions);
}

function serverSuites(uri: string, transactions: boolean): void {
  const admin = new MongoClient(uri);
  const databases: string[] = [];
  const freshDatabase = () => {
    const name = `aas_test_${process.pid}_${randomUUID().slice(0, 8)}`;
    databases.push(name);
    return name;
  };
  after(async () => {
    for (const name of databases) await admin.db(name).dropDatabase().catch(() => undefined);
    await admin.close();
  });

  const opener = (options: Partial<MongoStoreOptions>) => async () => {
    const database = freshDatabase();
    const store = await openMongoStore({ uri, database, ...options });
    return {
      store,
      cleanup: async () => {
        await store.close();
        await admin.db(database).dropDatabase();
      },
    };
  };

  storeContract(`MongoDB (${transactions ? 'replica set, transactions' : 'standalone, journal'})`, opener({}));
  if (transactions) storeContract('MongoDB (replica set, journal)', opener({ batchAtomicity: 'journal' }));

  describe('MongoDB store specifics', () => {
    let store: AasStore;
    let database: string;
    before(async () => {
      database = freshDatabase();
      store = await openMongoStore({ uri, database });
      await store.ping();
    });
    after(async () => {
      await store?.close();
    });
    const db = () => admin.db(database);

    it('creates every index of index-definitions.ts', async () => {
      for (const { collection, indexes } of INDEX_DEFINITIONS) {
        const existing = await db().collection(collection).listIndexes().toArray();
        for (const index of indexes) {
          assert.ok(existing.some((e) => JSON.stringify(e.key) === JSON.stringify(index.key)), `${collection} ${JSON.stringify(index.key)}`);
        }
      }
    });

    it('lists through indexes in id order: no collection scan, no in-memory sort', async () => {
      await store.write(
        Array.from({ length: 30 }, (_, i) => ({
          kind: 'submodels' as const,
          op: 'create' as const,
          doc: submodel(`urn:plan:${i}`, { idShort: i % 2 ? 'Odd' : 'Even', semanticId: globalRef(`urn:sem:${i % 3}`) }),
        })),
      );
      const explainStages = async (filter: Document) => {
        const plan = await db().collection(COLLECTIONS.submodels).find(filter).sort({ _id: 1 }).limit(6).explain('queryPlanner');
        return JSON.stringify(plan.queryPlanner.winningPlan);
      };
      const { listFilter } = await import('../../src/store/mongodb/list-query.js');
      const { submodelFilterTerms } = await import('../../src/store/embedded/index-terms.js');
      for (const filter of [{}, { idShort: 'Odd' }, { semanticId: { keyValue: 'urn:sem:1' } }, { idShort: 'Odd', semanticId: { keyValue: 'urn:sem:1' } }]) {
        const stages = await explainStages(listFilter(submodelFilterTerms(filter), 'urn:plan:1'));
        assert.match(stages, /IXSCAN/, JSON.stringify(filter));
        assert.doesNotMatch(stages, /COLLSCAN|"stage":"SORT"/, JSON.stringify(filter));
      }
    });

    it('stores a submodel as a header plus one document per element, and returns no bookkeeping field', async () => {
      const doc = { ...submodel('urn:layout', { idShort: 'L' }), submodelElements: [{ modelType: 'Property', idShort: 'P', valueType: 'xs:int', value: '1' }] };
      await store.write([{ kind: 'submodels', op: 'create', doc: doc as never }]);
      const header = await db().collection(COLLECTIONS.submodels).findOne({ _id: 'urn:layout' as never });
      assert.deepEqual(header?.doc.submodelElements, []);
      assert.equal(header?.layout.count, 1);
      assert.equal(await db().collection(COLLECTIONS.submodelElements).countDocuments({ version: header?.layout.version }), 1);
      const got = (await store.submodels.get('urn:layout')) as unknown as Record<string, unknown>;
      assert.deepEqual(Object.keys(got), Object.keys(doc));
      assert.equal('_id' in got, false);
    });

    it("refuses a field name starting with '$' with BadRequest and stores nothing", async () => {
      const bad = { ...shell('urn:dollar'), extensions: [{ name: 'x', $value: 1 }] };
      await assert.rejects(store.write([{ kind: 'shells', op: 'create', doc: bad as never }]), BadRequest);
      assert.equal(await store.shells.has('urn:dollar'), false);
    });

    it('maps a real duplicate key error of this server to Conflict', async () => {
      const collection = db().collection<{ _id: string }>('duplicateProbe');
      await collection.insertOne({ _id: 'one' });
      const error = await collection.insertOne({ _id: 'one' }).then(() => undefined, (e: unknown) => e);
      assert.ok(translateDriverError(error, 'taken') instanceof Conflict);
    });

    it('with the journal (standalone): lets a second server read but not write while the first holds the writer lease; writes after a clean close', async () => {
      const leased = freshDatabase();
      const first = await openMongoStore({ uri, database: leased, batchAtomicity: 'journal' });
      await first.write([{ kind: 'shells', op: 'upsert', doc: shell('urn:lease') }]);
      const second = await openMongoStore({ uri, database: leased, batchAtomicity: 'journal' });
      try {
        assert.deepEqual(await second.shells.get('urn:lease'), shell('urn:lease'));
        await assert.rejects(second.write([{ kind: 'shells', op: 'upsert', doc: shell('urn:lease:2') }]), (e: unknown) => e instanceof ServiceUnavailable && /write lease/.test(e.message));
        await first.close();
        await second.write([{ kind: 'shells', op: 'upsert', doc: shell('urn:lease:2') }]);
        assert.equal(await second.shells.has('urn:lease:2'), true);
      } finally {
        await first.close();
        await second.close();
      }
    });

    if (!transactions) {
      it('on a standalone server: remoteChanges never opens a change stream, and the log says why', async () => {
        const logged: string[] = [];
        const quiet = await openMongoStore({ uri, database: freshDatabase(), log: (entry) => logged.push(entry.message) });
        try {
          const off = quiet.remoteChanges!.subscribe(() => assert.fail('nothing can be reported on a standalone server'));
          await waitFor(() => logged.some((line) => /standalone server: it has no change streams/.test(line)), 10_000);
          const opened = await Promise.race([(quiet.remoteChanges as MongoRemoteChanges).whenOpen().then(() => true), sleep(300, false)]);
          assert.equal(opened, false);
          off();
        } finally {
          await quiet.close();
        }
      });
    }
  });

  if (transactions) twoInstanceSuite(uri, freshDatabase);

  describe('MongoDB store recovery of what a crash left', () => {
    /** Writes the state a server killed mid-batch leaves, then opens a store on it and lets it do one write. */
    async function crashedThenReopened(state: 'staging' | 'committed'): Promise<{ store: AasStore; database: string }> {
      const database = freshDatabase();
      const db = admin.db(database);
      const batch = randomUUID();
      const put = toDocumentWrite(
        { action: 'put', kind: 'submodels', id: 'urn:crash', doc: { modelType: 'Submodel', id: 'urn:crash', submodelElements: [{ modelType: 'Property', idShort: 'P', valueType: 'xs:int', value: '7' }] } },
        { revision: 'dead-server.1', version: () => 'crash-version' },
      );
      await db.collection(COLLECTIONS.batchJournal).insertOne({ _id: 'batch' as never, batch, state, owner: 'dead-server', startedAt: new Date() });
      await db.collection(COLLECTIONS.batchStaging).insertMany(stagedRecords(batch, [put]) as Document[]);
      if (put.action === 'put') await db.collection(COLLECTIONS.submodelElements).insertMany(put.elements.map((e) => ({ ...e })));
      const store = await openMongoStore({ uri, database });
      await store.write([{ kind: 'conceptDescriptions', op: 'delete', id: 'urn:none' }]);
      return { store, database };
    }

    it('rolls a committed batch forward', async () => {
      const { store, database } = await crashedThenReopened('committed');
      try {
        assert.deepEqual(await store.submodels.get('urn:crash'), {
          modelType: 'Submodel',
          id: 'urn:crash',
          submodelElements: [{ modelType: 'Property', idShort: 'P', valueType: 'xs:int', value: '7' }],
        });
        assert.equal(await admin.db(database).collection(COLLECTIONS.batchJournal).countDocuments(), 0);
        assert.equal(await admin.db(database).collection(COLLECTIONS.batchStaging).countDocuments(), 0);
      } finally {
        await store.close();
      }
    });

    it('rolls an uncommitted batch back, including its element documents', async () => {
      const { store, database } = await crashedThenReopened('staging');
      try {
        assert.equal(await store.submodels.has('urn:crash'), false);
        assert.equal(await admin.db(database).collection(COLLECTIONS.submodelElements).countDocuments({ version: 'crash-version' }), 0);
        assert.equal(await admin.db(database).collection(COLLECTIONS.batchJournal).countDocuments(), 0);
      } finally {
        await store.close();
      }
    });

    it('removes an upload that was staged but never committed', async () => {
      const database = freshDatabase();
      const db = admin.db(database);
      const fileId = new ObjectId();
      await db.collection(COLLECTIONS.attachmentPending).insertOne({ _id: fileId, owner: 'dead-server', since: new Date(), reason: 'staged' });
      const upload = new GridFSBucket(db, { bucketName: 'attachments' }).openUploadStreamWithId(fileId, fileId.toHexString());
      await new Promise<void>((resolve, reject) => upload.end(Buffer.alloc(1000, 1), () => resolve()).on('error', reject));
      const store = await openMongoStore({ uri, database });
      try {
        await store.write([{ kind: 'conceptDescriptions', op: 'delete', id: 'urn:none' }]);
        assert.equal(await db.collection('attachments.files').countDocuments({ _id: fileId }), 0);
        assert.equal(await db.collection('attachments.chunks').countDocuments({ files_id: fileId }), 0);
        assert.equal(await db.collection(COLLECTIONS.attachmentPending).countDocuments(), 0);
      } finally {
        await store.close();
      }
    });
  });
}

/** Polls `condition` until it holds; fails after `ms`. */
async function waitFor(condition: () => boolean, ms: number, what = 'condition'): Promise<void> {
  const until = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > until) assert.fail(`${what} did not hold within ${ms} ms`);
    await sleep(20);
  }
}

const property = (idShort: string, value: string) => ({ modelType: 'Property', idShort, valueType: 'xs:string', value }) as SubmodelElement;
const withElements = (id: string, ...elements: SubmodelElement[]) => ({ modelType: 'Submodel', id, submodelElements: elements }) as unknown as Submodel;

/** Two stores on one database of a replica set: two server instances behind a load balancer. */
function twoInstanceSuite(uri: string, freshDatabase: () => string): void {
  describe('MongoDB store: two instances writing one replica set', () => {
    let a: AasStore;
    let b: AasStore;
    before(async () => {
      const database = freshDatabase();
      // One after the other: two first starts creating the same indexes at once may need a retry of one of them.
      a = await openMongoStore({ uri, database });
      await a.ping();
      b = await openMongoStore({ uri, database });
      await b.ping();
    });
    after(async () => {
      await a?.close();
      await b?.close();
    });

    it('lets both write, and of two writes conditional on one revision of a submodel exactly one succeeds', async () => {
      const id = 'urn:race:sm';
      let current = withElements(id, property('A', '0'), property('B', '0'));
      await a.write([{ kind: 'submodels', op: 'create', doc: current }]);
      for (let round = 1; round <= 12; round++) {
        const revision = (await b.submodels.revision(id))!;
        const elementsOf = (doc: Submodel) => doc.submodelElements ?? [];
        // Each instance's write, and the document it leads to were it the only one. Shapes: two whole updates,
        // two element replaces, a whole update against an element replace.
        const candidates: [WriteOp, Submodel][] = ['a', 'b'].map((who, i) => {
          const value = `${who}${round}`;
          const shape = round % 3;
          if (shape === 0 || (shape === 2 && i === 0)) {
            const doc = withElements(id, ...elementsOf(current).map((e) => ({ ...e, value }) as SubmodelElement));
            return [{ kind: 'submodels', op: 'update', doc, ifRevision: revision }, doc];
          }
          // Element replaces of *different* elements still race: the revision is the whole submodel's.
          const idShort = i === 0 ? 'A' : 'B';
          const doc = withElements(id, ...elementsOf(current).map((e) => (e.idShort === idShort ? property(idShort, value) : e)));
          return [{ kind: 'submodelElement', op: 'replace', submodelId: id, element: property(idShort, value), ifRevision: revision }, doc];
        });
        const results = await Promise.allSettled([a.write([candidates[0][0]]), b.write([candidates[1][0]])]);
        const won = results.map((r) => r.status === 'fulfilled');
        assert.equal(won.filter(Boolean).length, 1, `round ${round}: ${results.map((r) => (r.status === 'rejected' ? String(r.reason) : 'ok')).join(' / ')}`);
        const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
        assert.ok(lost.reason instanceof StaleRevision, `round ${round}: ${String(lost.reason)}`);
        current = candidates[won.indexOf(true)][1];
        assert.deepEqual(await a.submodels.get(id), current, `round ${round}: the winner's write, nothing of the loser's`);
        assert.notEqual(await a.submodels.revision(id), revision);
      }
    });

    it('of two creates of one id, exactly one succeeds and the other is Conflict, for every kind of document', async () => {
      for (let round = 1; round <= 9; round++) {
        const id = `urn:race:dup:${round}`;
        const kind = (['shells', 'conceptDescriptions', 'submodels'] as const)[round % 3];
        const docOf = (idShort: string) =>
          kind === 'shells'
            ? { ...shell(id), idShort }
            : kind === 'submodels'
              ? { ...withElements(id, property('P', idShort)), idShort }
              : { modelType: 'ConceptDescription', id, idShort };
        const create = (idShort: string) => ({ kind, op: 'create', doc: docOf(idShort) }) as WriteOp;
        const results = await Promise.allSettled([a.write([create('A')]), b.write([create('B')])]);
        const won = results.findIndex((r) => r.status === 'fulfilled');
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, `round ${round} (${kind})`);
        assert.deepEqual((results[won] as PromiseFulfilledResult<unknown>).value, ['created']);
        const lost = results[1 - won] as PromiseRejectedResult;
        assert.ok(lost.reason instanceof Conflict && !(lost.reason instanceof StaleRevision), `round ${round} (${kind}): ${String(lost.reason)}`);
        const stored = kind === 'shells' ? await b.shells.get(id) : kind === 'submodels' ? await b.submodels.get(id) : await b.conceptDescriptions.get(id);
        assert.deepEqual(stored, docOf(won === 0 ? 'A' : 'B'));
      }
    });

    it("reports one instance's writes to the other's remoteChanges within seconds, and not to its own", async () => {
      const seenByA: RemoteChange[] = [];
      const seenByB: RemoteChange[] = [];
      const offA = a.remoteChanges!.subscribe((change) => seenByA.push(change));
      const offB = b.remoteChanges!.subscribe((change) => seenByB.push(change));
      try {
        const open = Promise.all([(a.remoteChanges as MongoRemoteChanges).whenOpen(), (b.remoteChanges as MongoRemoteChanges).whenOpen()]);
        assert.equal(await Promise.race([open.then(() => true), sleep(10_000, false)]), true, 'change streams open');
        // Each path of the writer: one document alone, a transaction with element documents, an element replace,
        // a delete alone and one in a transaction.
        await a.write([{ kind: 'shells', op: 'create', doc: shell('urn:rc:s') }]);
        await a.write([{ kind: 'submodels', op: 'create', doc: withElements('urn:rc:sm', property('A', '1')) }]);
        await a.write([{ kind: 'submodelElement', op: 'replace', submodelId: 'urn:rc:sm', element: property('A', '2') }]);
        await a.write([{ kind: 'shells', op: 'delete', id: 'urn:rc:s' }]);
        await a.write([{ kind: 'submodels', op: 'delete', id: 'urn:rc:sm' }]);
        await b.write([{ kind: 'conceptDescriptions', op: 'create', doc: { modelType: 'ConceptDescription', id: 'urn:rc:cd' } as never }]);
        await waitFor(() => seenByB.length >= 5, 5_000, `B saw ${JSON.stringify(seenByB)}`);
        assert.deepEqual(seenByB, [
          { type: 'created', kind: 'shells', id: 'urn:rc:s' },
          { type: 'created', kind: 'submodels', id: 'urn:rc:sm' },
          { type: 'updated', kind: 'submodels', id: 'urn:rc:sm' },
          { type: 'deleted', kind: 'shells', id: 'urn:rc:s' },
          { type: 'deleted', kind: 'submodels', id: 'urn:rc:sm' },
        ]);
        await waitFor(() => seenByA.length >= 1, 5_000, `A saw ${JSON.stringify(seenByA)}`);
        // Time for any echo of A's own writes to arrive, had the filter let one through.
        await sleep(500);
        assert.deepEqual(seenByA, [{ type: 'created', kind: 'conceptDescriptions', id: 'urn:rc:cd' }]);
        assert.equal(seenByB.length, 5, 'B does not hear its own write either');
      } finally {
        offA();
        offB();
      }
    });
  });
}
