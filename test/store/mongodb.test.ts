/**
 * The MongoDB store: the shared contract suite against a real MongoDB named by AAS_TEST_MONGODB_URI (each case in
 * a fresh database, dropped afterwards), plus what only this backend promises: indexes and query plans, crash
 * recovery of the batch journal and of attachment uploads, the writer lease, refusal of field names MongoDB
 * cannot store. On a replica set the contract runs twice, with transactions and with the journal.
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
import { BadRequest, Conflict, ServiceUnavailable } from '../../src/errors.js';
import { openMongoStore, type MongoStoreOptions } from '../../src/store/mongodb/index.js';
import { translateDriverError } from '../../src/store/mongodb/driver-errors.js';
import { COLLECTIONS, INDEX_DEFINITIONS } from '../../src/store/mongodb/index-definitions.js';
import { toDocumentWrite } from '../../src/store/mongodb/document-writes.js';
import { stagedRecords } from '../../src/store/mongodb/batch-journal.js';
import type { AasStore } from '../../src/store/store.js';
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

    it('lets a second server read but not write while the first holds the writer lease; writes after a clean close', async () => {
      await store.write([{ kind: 'shells', op: 'upsert', doc: shell('urn:lease') }]);
      const second = await openMongoStore({ uri, database });
      try {
        assert.deepEqual(await second.shells.get('urn:lease'), shell('urn:lease'));
        await assert.rejects(second.write([{ kind: 'shells', op: 'upsert', doc: shell('urn:lease:2') }]), (e: unknown) => e instanceof ServiceUnavailable && /write lease/.test(e.message));
        await store.close();
        await second.write([{ kind: 'shells', op: 'upsert', doc: shell('urn:lease:2') }]);
        assert.equal(await second.shells.has('urn:lease:2'), true);
      } finally {
        await second.close();
        store = await openMongoStore({ uri, database });
      }
    });
  });

  describe('MongoDB store recovery of what a crash left', () => {
    /** Writes the state a server killed mid-batch leaves, then opens a store on it and lets it do one write. */
    async function crashedThenReopened(state: 'staging' | 'committed'): Promise<{ store: AasStore; database: string }> {
      const database = freshDatabase();
      const db = admin.db(database);
      const batch = randomUUID();
      const put = toDocumentWrite(
        { action: 'put', kind: 'submodels', id: 'urn:crash', doc: { modelType: 'Submodel', id: 'urn:crash', submodelElements: [{ modelType: 'Property', idShort: 'P', valueType: 'xs:int', value: '7' }] } },
        () => 'crash-version',
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
