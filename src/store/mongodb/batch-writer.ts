/**
 * `AasStore.write`: plan a batch, then apply it all or nothing, the cheapest way the deployment allows:
 *
 * - a batch whose net effect is one MongoDB document (a shell, a concept description, a submodel without
 *   elements, one element replace: the hot PATCH path) is one single-document write, atomic by itself;
 * - otherwise, on a replica set or sharded cluster: one multi-document transaction (readers see all or nothing);
 * - otherwise (standalone mongod, or `batchAtomicity: 'journal'`): the journal of batch-journal.ts.
 *
 * Every write of this store (batches, attachment commits and deletes, configuration documents) runs through
 * `exclusive`: one at a time, while this server holds the writer lease, after any recovery that is due. Batches
 * therefore plan on a state nobody else changes until they are applied, without locks inside MongoDB.
 */
import type { ClientSession, Collection } from 'mongodb';
import type { WriteOp, WriteOutcome } from '../store.js';
import type { BatchJournal } from './batch-journal.js';
import { planBatch, type ExistingDocument, type PlanReader } from './batch-plan.js';
import type { MongoConnection, MongoStoreLog } from './connection.js';
import type { IdentifiableKind, StoredElement, StoredIdentifiable } from './document-layout.js';
import { applyWrite, isSingleDocumentWrite, toDocumentWrite, type DocumentWrite, type WriteTargets } from './document-writes.js';
import type { WriterLease } from './writer-lease.js';

/** How multi-document batches are made atomic: `auto` uses transactions where the deployment has them. */
export type BatchAtomicity = 'auto' | 'transaction' | 'journal';

/** Ids per `$in` query while planning (keeps each query document far below 16 MiB even for long ids). */
const IDS_PER_QUERY = 1000;

/** The plan's view of the database. */
export function mongoPlanReader(targets: WriteTargets): PlanReader {
  return {
    async existing(kind: IdentifiableKind, ids: readonly string[]) {
      const found = new Map<string, ExistingDocument>();
      const collection: Collection<StoredIdentifiable> = targets.identifiables(kind);
      for (let at = 0; at < ids.length; at += IDS_PER_QUERY) {
        const chunk = ids.slice(at, at + IDS_PER_QUERY);
        const rows = collection.find({ _id: { $in: chunk } }, { projection: { _id: 1, layout: 1 } });
        for await (const row of rows) found.set(row._id, { layout: row.layout ?? null });
      }
      return found;
    },
    async elementPosition(version: string, idShort: string) {
      const elements: Collection<StoredElement> = targets.elements;
      const row = await elements.findOne({ version, idShort }, { sort: { position: 1 }, projection: { _id: 0, position: 1 } });
      return row?.position;
    },
  };
}

export interface BatchWriterDeps {
  connection: MongoConnection;
  lease: WriterLease;
  journal: BatchJournal;
  targets: WriteTargets;
  atomicity: BatchAtomicity;
  /** Removes attachment files a crash or failure left unreferenced (gridfs-attachments.ts). */
  collectAttachmentGarbage: () => Promise<void>;
  log: MongoStoreLog;
}

export class BatchWriter {
  private queue: Promise<unknown> = Promise.resolve();
  private recoveryDue = true;
  private readonly reader: PlanReader;

  constructor(private readonly deps: BatchWriterDeps) {
    this.reader = mongoPlanReader(deps.targets);
  }

  /** A failed write may have left a journal or garbage behind; the next exclusive run cleans up first. */
  markRecoveryDue(): void {
    this.recoveryDue = true;
  }

  get isRecoveryDue(): boolean {
    return this.recoveryDue;
  }

  /** Runs `fn` alone among this store's writes, holding the writer lease, after any due recovery. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(async () => {
      await this.deps.lease.ensure();
      await this.recoverIfDue();
      return fn();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  async write(ops: readonly WriteOp[]): Promise<WriteOutcome[]> {
    if (ops.length === 0) return [];
    return this.exclusive(async () => {
      const plan = await planBatch(ops, this.reader);
      const writes = plan.effects.map((effect) => toDocumentWrite(effect));
      try {
        await this.apply(writes);
      } catch (error) {
        this.recoveryDue = true;
        throw error;
      }
      return plan.outcomes;
    });
  }

  private async recoverIfDue(): Promise<void> {
    if (!this.recoveryDue) return;
    const journal = await this.deps.journal.recover();
    if (journal !== 'clean') this.deps.log({ level: 'warn', message: `MongoDB store: an unfinished batch was ${journal}` });
    await this.deps.collectAttachmentGarbage();
    this.recoveryDue = false;
  }

  private useTransactions(): boolean {
    const { atomicity, connection } = this.deps;
    return atomicity === 'transaction' || (atomicity === 'auto' && connection.transactionsAvailable);
  }

  private async apply(writes: readonly DocumentWrite[]): Promise<void> {
    const { lease, targets } = this.deps;
    if (writes.length === 0) return;
    if (writes.length === 1 && isSingleDocumentWrite(writes[0])) {
      lease.assertHeld();
      await applyWrite(targets, writes[0]);
      return;
    }
    if (this.useTransactions()) {
      await this.inTransaction(writes);
      return;
    }
    await this.deps.journal.run(writes, () => lease.assertHeld());
  }

  private async inTransaction(writes: readonly DocumentWrite[]): Promise<void> {
    const session: ClientSession = this.deps.connection.client.startSession();
    try {
      // The driver retries the callback on transient errors (write conflicts, elections); every write in it is
      // repeatable, and an aborted attempt leaves nothing behind.
      await session.withTransaction(async () => {
        this.deps.lease.assertHeld();
        for (const write of writes) await applyWrite(this.deps.targets, write, { session });
      });
    } finally {
      await session.endSession();
    }
  }
}
