/**
 * The MongoDB store (`AAS_STORE=mongodb`): the store contract on one MongoDB database, standalone or replica set.
 * The design (collections, indexes, batches, failure behaviour) is described in docs/mongodb.md.
 *
 * `openMongoStore` returns without waiting for MongoDB: connecting, creating indexes and recovering what a crash
 * left happen in the background and are retried until they succeed; meanwhile operations reject with
 * ServiceUnavailable and `ping()` (the /ready probe) rejects with the reason.
 */
import { randomUUID } from 'node:crypto';
import { GridFSBucket, type Collection, type Db, type GridFSChunk, type GridFSFile } from 'mongodb';
import type { AssetAdministrationShell, ConceptDescription } from '../../model/types.js';
import { conceptDescriptionFilterTerms, shellFilterTerms, submodelFilterTerms } from '../embedded/index-terms.js';
import type { AasStore, ConceptDescriptionFilter, ShellFilter, WriteOp, WriteOutcome } from '../store.js';
import { BatchJournal, type JournalDocument, type StagedRecord } from './batch-journal.js';
import { BatchWriter, type BatchAtomicity } from './batch-writer.js';
import { MongoConfigDocuments, type StoredConfigDocument } from './config-documents.js';
import { MongoConnection, type MongoStoreLog } from './connection.js';
import type { IdentifiableKind, StoredElement, StoredIdentifiable } from './document-layout.js';
import type { WriteTargets } from './document-writes.js';
import { GridFsAttachments, type AttachmentKeyDocument, type PendingFileDocument } from './gridfs-attachments.js';
import { MongoIdentifiableCollection } from './identifiable-collection.js';
import { ATTACHMENT_BUCKET, COLLECTIONS, INDEX_DEFINITIONS } from './index-definitions.js';
import { MongoSubmodelCollection } from './submodel-collection.js';
import { WriterLease, type LeaseDocument } from './writer-lease.js';

export interface MongoStoreOptions {
  /** MongoDB connection string (`MONGODB_URI`), e.g. `mongodb://127.0.0.1:27017/?directConnection=true`. */
  uri: string;
  /** Database name (`AAS_MONGODB_DATABASE`). */
  database: string;
  /** How long an operation waits for a reachable server before it fails with ServiceUnavailable; default 5000. */
  serverSelectionTimeoutMS?: number;
  /** How multi-document batches are made atomic; default `auto` (transactions on a replica set, else the journal). */
  batchAtomicity?: BatchAtomicity;
  /** Term of the writer lease: after a crash, another server may write after this long; default 10000. */
  writerLeaseMs?: number;
  /** Receives the store's own events (not ready / ready again, lease taken over, batch recovered). */
  log?: MongoStoreLog;
}

export const DEFAULT_SERVER_SELECTION_TIMEOUT_MS = 5_000;
export const DEFAULT_WRITER_LEASE_MS = 10_000;

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
  readonly attachments: GridFsAttachments;
  readonly assetConnections: MongoConfigDocuments<{ id: string }>;
  private readonly connection: MongoConnection;
  private readonly lease: WriterLease;
  private readonly writer: BatchWriter;
  private readonly log: MongoStoreLog;

  constructor(options: MongoStoreOptions) {
    const log = options.log ?? (() => undefined);
    this.log = log;
    const instance = randomUUID();
    this.connection = new MongoConnection({
      uri: options.uri,
      database: options.database,
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMS ?? DEFAULT_SERVER_SELECTION_TIMEOUT_MS,
      log,
      prepare: async (db) => {
        await ensureIndexes(db);
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
    };
    const elements = collection<StoredElement>(COLLECTIONS.submodelElements);
    const targets: WriteTargets = { identifiables: (kind) => identifiables[kind], elements };

    this.lease = new WriterLease(
      collection<LeaseDocument>(COLLECTIONS.writerLease),
      instance,
      options.writerLeaseMs ?? DEFAULT_WRITER_LEASE_MS,
      () => this.writer.markRecoveryDue(),
      log,
    );
    const journal = new BatchJournal(collection<JournalDocument>(COLLECTIONS.batchJournal), collection<StagedRecord>(COLLECTIONS.batchStaging), targets, instance);
    this.writer = new BatchWriter({
      connection: this.connection,
      lease: this.lease,
      journal,
      targets,
      atomicity: options.batchAtomicity ?? 'auto',
      collectAttachmentGarbage: () => this.attachments.collectGarbage(),
      log,
    });

    this.shells = new MongoIdentifiableCollection(this.connection, identifiables.shells, shellFilterTerms);
    this.submodels = new MongoSubmodelCollection(this.connection, identifiables.submodels, submodelFilterTerms, elements);
    this.conceptDescriptions = new MongoIdentifiableCollection(this.connection, identifiables.conceptDescriptions, conceptDescriptionFilterTerms);
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
    // Each renewal tick also finishes a recovery that a failed write left due (so readers do not wait for the
    // next write to see a committed batch completed).
    this.lease.start(() => {
      if (!this.connection.isPrepared) return false;
      if (this.writer.isRecoveryDue && this.lease.isHeld) void this.recoverIfDue();
      return true;
    });
  }

  private async recoverIfDue(): Promise<void> {
    try {
      await this.connection.run(() => this.writer.exclusive(async () => undefined));
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
    if (this.connection.isPrepared) {
      try {
        await this.lease.release();
      } catch (error) {
        this.log({ level: 'warn', message: 'MongoDB store: could not release the writer lease; it lapses by itself', err: error });
      }
    }
    await this.connection.close();
  }
}
