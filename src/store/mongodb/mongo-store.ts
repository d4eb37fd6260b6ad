/**
 * The MongoDB store (`AAS_STORE=mongodb`): the store contract on one MongoDB database, standalone or replica set.
 * The design (collections, indexes, batches, failure behaviour) is described in docs/mongodb.md.
 *
 * `openMongoStore` returns without waiting for MongoDB: connecting, creating indexes and recovering what a crash
 * left happen in the background and are retried until they succeed; meanwhile operations reject with
 * ServiceUnavailable and `ping()` (the /ready probe) rejects with the reason.
 *
 * Writers: on a replica set (or sharded cluster) every instance writes, with transactions and conditional writes
 * (batch-writer.ts, shared mode), beats a heartbeat (instance-heartbeat.ts) and reports other instances' changes
 * through `remoteChanges` (a change stream). On a standalone server one instance writes at a time, holding the
 * writer lease (writer-lease.ts), and `remoteChanges` stays silent.
 */
import { randomUUID } from 'node:crypto';
import { GridFSBucket, type Collection, type Db, type GridFSChunk, type GridFSFile } from 'mongodb';
import { ServiceUnavailable } from '../../errors.js';
import type { AssetAdministrationShell, ConceptDescription } from '../../model/types.js';
import { conceptDescriptionFilterTerms, packageFilterTerms, shellFilterTerms, submodelFilterTerms } from '../embedded/index-terms.js';
import type { AasStore, ConceptDescriptionFilter, PackageFilter, PackageRecord, RemoteChange, ShellFilter, WriteOp, WriteOutcome } from '../store.js';
import { BatchJournal, type JournalDocument, type StagedRecord } from './batch-journal.js';
import { BatchWriter, type BatchAtomicity } from './batch-writer.js';
import { MongoConfigDocuments, type StoredConfigDocument } from './config-documents.js';
import { MongoConnection, type MongoStoreLog } from './connection.js';
import type { IdentifiableKind, StoredElement, StoredIdentifiable } from './document-layout.js';
import type { WriteTargets } from './document-writes.js';
import { GridFsAttachments, type AttachmentKeyDocument, type PendingFileDocument } from './gridfs-attachments.js';
import { MongoIdentifiableCollection } from './identifiable-collection.js';
import { ATTACHMENT_BUCKET, COLLECTIONS, INDEX_DEFINITIONS } from './index-definitions.js';
import { InstanceHeartbeat, type InstanceDocument } from './instance-heartbeat.js';
import { OwnDeletes } from './remote-change-events.js';
import { RemoteChangeFeed } from './remote-changes.js';
import { newWriterTag } from './revisions.js';
import { MongoSubmodelCollection } from './submodel-collection.js';
import { WriterLease, type LeaseDocument } from './writer-lease.js';

export interface MongoStoreOptions {
  /** MongoDB connection string (`MONGODB_URI`), e.g. `mongodb://127.0.0.1:27017/?directConnection=true`. */
  uri: string;
  /** Database name (`AAS_MONGODB_DATABASE`). */
  database: string;
  /** How long an operation waits for a reachable server before it fails with ServiceUnavailable; default 5000. */
  serverSelectionTimeoutMS?: number;
  /**
   * How multi-document batches are made atomic; default `auto`: transactions where the deployment has them (every
   * instance writes), else the journal (one writing instance at a time). Every instance on one database must use
   * the same setting; `journal` on a replica set is for tests.
   */
  batchAtomicity?: BatchAtomicity;
  /** Term of the writer lease: after a crash, another server may write after this long; default 10000. */
  writerLeaseMs?: number;
  /** Receives the store's own events (not ready / ready again, lease taken over, batch recovered). */
  log?: MongoStoreLog;
}

export const DEFAULT_SERVER_SELECTION_TIMEOUT_MS = 5_000;
export const DEFAULT_WRITER_LEASE_MS = 10_000;

/** How often an instance that writes beside others collects attachment garbage besides start-up and failures. */
const SHARED_GARBAGE_INTERVAL_MS = 15 * 60_000;

/** `remoteChanges` of the MongoDB store, plus a way for tests to wait until the change stream is open. */
export interface MongoRemoteChanges {
  subscribe(listener: (change: RemoteChange) => void): () => void;
  /** Resolves once the change stream is open (never on a standalone server). */
  whenOpen(): Promise<void>;
}

/** Creates every index of index-definitions.ts (idempotent: existing identical indexes are left as they are). */
export async function ensureIndexes(db: Db): Promise<void> {
  for (const { collection, indexes } of INDEX_DEFINITIONS) await db.collection(collection).createIndexes(indexes);
}

export async function openMongoStore(options: MongoStoreOptions): Promise<AasStore> {
  const store = new MongoStore(options);
  store.start();
  return store;
}

class MongoStore implements AasStore {
  readonly shells: MongoIdentifiableCollection<AssetAdministrationShell, ShellFilter>;
  readonly submodels: MongoSubmodelCollection;
  readonly conceptDescriptions: MongoIdentifiableCollection<ConceptDescription, ConceptDescriptionFilter>;
  readonly packages: MongoIdentifiableCollection<PackageRecord, PackageFilter>;
  readonly attachments: GridFsAttachments;
  readonly assetConnections: MongoConfigDocuments<{ id: string }>;
  /** Present on every MongoDB store (the topology is known only after connecting); silent on a standalone server. */
  readonly remoteChanges: MongoRemoteChanges;
  private readonly connection: MongoConnection;
  private readonly lease: WriterLease;
  private readonly heartbeat: InstanceHeartbeat;
  private readonly writer: BatchWriter;
  private readonly feed: RemoteChangeFeed;
  private readonly log: MongoStoreLog;
  private lastSharedGarbageRun = Date.now();

  constructor(options: MongoStoreOptions) {
    const log = options.log ?? (() => undefined);
    this.log = log;
    const instance = randomUUID();
    const writerTag = newWriterTag();
    const ownDeletes = new OwnDeletes();
    const leaseMs = options.writerLeaseMs ?? DEFAULT_WRITER_LEASE_MS;
    this.connection = new MongoConnection({
      uri: options.uri,
      database: options.database,
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? DEFAULT_SERVER_SELECTION_TIMEOUT_MS,
      log,
      prepare: async (db) => {
        if (options.batchAtomicity === 'transaction' && !this.connection.transactionsAvailable) {
          throw new ServiceUnavailable("batchAtomicity 'transaction' needs a replica set or sharded cluster; this MongoDB is a standalone server");
        }
        await ensureIndexes(db);
        if (this.writer.shared) {
          // Before the store serves: announce this instance, finish what a crash left (a journal from an earlier
          // single-writer deployment, attachment garbage of instances that are gone).
          await this.heartbeat.beat();
          await this.writer.recoverIfDue();
          return;
        }
        // Take the lease now if it is free, so what a crash left is recovered at start-up, not at the first write.
        void this.lease.renew().then(() => this.recoverIfDue(), () => undefined);
      },
    });
    const db = this.connection.db;
    const collection = <T extends object>(name: string) => db.collection<T>(name);
    const identifiables: Record<IdentifiableKind, Collection<StoredIdentifiable>> = {
      shells: collection<StoredIdentifiable>(COLLECTIONS.shells),
      submodels: collection<StoredIdentifiable>(COLLECTIONS.submodels),
      conceptDescriptions: collection<StoredIdentifiable>(COLLECTIONS.conceptDescriptions),
      packages: collection<StoredIdentifiable>(COLLECTIONS.packages),
    };
    const elements = collection<StoredElement>(COLLECTIONS.submodelElements);
    const targets: WriteTargets = { identifiables: (kind) => identifiables[kind], elements };

    this.lease = new WriterLease(collection<LeaseDocument>(COLLECTIONS.writerLease), instance, leaseMs, () => this.writer.markRecoveryDue(), log);
    this.heartbeat = new InstanceHeartbeat(collection<InstanceDocument>(COLLECTIONS.instances), instance, Math.max(50, Math.floor(leaseMs / 2)));
    const journal = new BatchJournal(collection<JournalDocument>(COLLECTIONS.batchJournal), collection<StagedRecord>(COLLECTIONS.batchStaging), targets, instance);
    this.writer = new BatchWriter({
      connection: this.connection,
      lease: this.lease,
      journal,
      targets,
      atomicity: options.batchAtomicity ?? 'auto',
      writer: writerTag,
      ownDeletes,
      collectAttachmentGarbage: async () => this.attachments.collectGarbage(this.writer.shared ? await this.heartbeat.alive() : undefined),
      log,
    });
    this.feed = new RemoteChangeFeed({ connection: this.connection, writer: writerTag, ownDeletes, log });
    this.remoteChanges = {
      subscribe: (listener) => this.feed.subscribe(listener),
      whenOpen: () => this.feed.whenOpen(),
    };

    this.shells = new MongoIdentifiableCollection(this.connection, identifiables.shells, shellFilterTerms);
    this.submodels = new MongoSubmodelCollection(this.connection, identifiables.submodels, submodelFilterTerms, elements);
    this.conceptDescriptions = new MongoIdentifiableCollection(this.connection, identifiables.conceptDescriptions, conceptDescriptionFilterTerms);
    this.packages = new MongoIdentifiableCollection(this.connection, identifiables.packages, packageFilterTerms);
    this.attachments = new GridFsAttachments(
      this.connection,
      this.writer,
      {
        bucket: new GridFSBucket(db, { bucketName: ATTACHMENT_BUCKET, writeConcern: { w: 'majority', journal: true } }),
        keys: collection<AttachmentKeyDocument>(COLLECTIONS.attachmentKeys),
        pending: collection<PendingFileDocument>(COLLECTIONS.attachmentPending),
        files: collection<GridFSFile>(`${ATTACHMENT_BUCKET}.files`),
        chunks: collection<GridFSChunk>(`${ATTACHMENT_BUCKET}.chunks`),
      },
      instance,
    );
    this.assetConnections = new MongoConfigDocuments(this.connection, this.writer, collection<StoredConfigDocument>(COLLECTIONS.assetConnections), 'asset connection');
  }

  start(): void {
    this.connection.start();
    // Each tick (a quarter of the lease term) renews the lease (single mode) or the heartbeat (shared mode), and
    // finishes a recovery that a failed write left due (so readers do not wait for the next write to see a
    // committed batch completed).
    this.lease.start(() => {
      if (!this.connection.isPrepared) return false;
      if (this.writer.shared) {
        void this.sharedTick();
        return false;
      }
      if (this.writer.isRecoveryDue && this.lease.isHeld) void this.recoverIfDue();
      return true;
    });
  }

  private async sharedTick(): Promise<void> {
    try {
      await this.heartbeat.beatIfDue();
      if (Date.now() - this.lastSharedGarbageRun > SHARED_GARBAGE_INTERVAL_MS) {
        this.lastSharedGarbageRun = Date.now();
        this.writer.markRecoveryDue();
      }
      if (this.writer.isRecoveryDue) await this.writer.recoverIfDue();
    } catch (error) {
      this.log({ level: 'warn', message: 'MongoDB store: heartbeat or recovery failed; retried at the next tick', err: error });
    }
  }

  private async recoverIfDue(): Promise<void> {
    try {
      await this.connection.run(() => this.writer.asWriter(async () => undefined));
    } catch (error) {
      this.log({ level: 'warn', message: 'MongoDB store: recovery not possible yet; retried later', err: error });
    }
  }

  async write(ops: readonly WriteOp[]): Promise<WriteOutcome[]> {
    if (ops.length === 0) return [];
    return this.connection.run(() => this.writer.write(ops));
  }

  async ping(): Promise<void> {
    await this.connection.run(() => this.connection.db.command({ ping: 1 }));
  }

  async isEmpty(): Promise<boolean> {
    return this.connection.run(async () => {
      for (const name of [COLLECTIONS.shells, COLLECTIONS.submodels, COLLECTIONS.conceptDescriptions]) {
        if ((await this.connection.db.collection(name).findOne({}, { projection: { _id: 1 } })) !== null) return false;
      }
      return true;
    });
  }

  async close(): Promise<void> {
    if (this.connection.isClosed) return;
    this.lease.stop();
    await this.feed.stop();
    if (this.connection.isPrepared) {
      try {
        await this.lease.release();
        if (this.writer.shared) await this.heartbeat.end();
      } catch (error) {
        this.log({ level: 'warn', message: 'MongoDB store: could not release the writer lease or heartbeat; they lapse by themselves', err: error });
      }
    }
    await this.connection.close();
  }
}
