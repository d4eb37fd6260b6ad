/**
 * `AasStore.write`: plan a batch, then apply it all or nothing, in one of two modes decided by what the deployment
 * offers (`hello`, connection.ts) and the `batchAtomicity` option:
 *
 * Shared (transactions: a replica set or sharded cluster, `auto` or `transaction`): every instance writes.
 * - One op on a shell or concept description: planned, then one conditional single-document write (insert where
 *   the plan saw no document, else replace/delete on the revision it saw).
 * - Anything else (submodels, element replaces, several ops): planned and applied inside one transaction (snapshot
 *   reads, conditional writes); a concurrent transaction on the same documents is a write conflict, which the
 *   driver's `withTransaction` retries from the plan.
 * - A condition that no longer holds (ConditionMissed, or a duplicate key on a create race) plans the batch again:
 *   the op then fails as the contract says (StaleRevision, Conflict) or succeeds on the new state. So two instances
 *   never lose an update silently, and of two creates of one id exactly one succeeds.
 *
 * Single (standalone server, or `journal`): one instance writes at a time, holding the writer lease; its writes
 * run one after another (`asWriter`), so the plan's checks (revisions included) hold until the batch is applied:
 * - a single-document write, or one element replace (element, then the header's revision), alone;
 * - anything else through the journal of batch-journal.ts.
 * An element replace that failed between its element and its revision leaves the submodel "owing" a revision;
 * it is given one before the next write (recovery), so no reader keeps a revision older than what it read.
 *
 * Deletes are announced to OwnDeletes before they are written, so the change stream does not report this
 * instance's own deletes as other instances' (remote-change-events.ts).
 */
import type { ClientSession, Collection, TransactionOptions } from 'mongodb';
import { Conflict } from '../../errors.js';
import type { WriteOp, WriteOutcome } from '../store.js';
import { STEP, type BatchJournal } from './batch-journal.js';
import { planBatch, type BatchPlan, type ExistingDocument, type PlanReader } from './batch-plan.js';
import type { MongoConnection, MongoStoreLog } from './connection.js';
import { KIND_LABELS, type IdentifiableKind, type StoredElement, type StoredIdentifiable } from './document-layout.js';
import {
  applyConditionally,
  applyWrite,
  headerOperation,
  isOneElementPatch,
  isSingleDocumentWrite,
  patchOperations,
  toDocumentWrite,
  type DocumentWrite,
  type WriteTargets,
} from './document-writes.js';
import { isDuplicateKey } from './driver-errors.js';
import type { OwnDeletes } from './remote-change-events.js';
import { ConditionMissed, newRevision, revisionOf } from './revisions.js';
import type { WriterLease } from './writer-lease.js';

/** How multi-document batches are made atomic: `auto` uses transactions where the deployment has them. */
export type BatchAtomicity = 'auto' | 'transaction' | 'journal';

/** Ids per `$in` query while planning (keeps each query document far below 16 MiB even for long ids). */
const IDS_PER_QUERY = 1000;

/** Plans of one batch in shared mode before it gives up on documents other writers keep changing. */
export const MAX_PLAN_ATTEMPTS = 8;

/** Snapshot reads, so a plan inside a transaction sees one consistent state; commits durable like every write. */
const TRANSACTION_OPTIONS: TransactionOptions = { readConcern: { level: 'snapshot' }, writeConcern: { w: 'majority', journal: true } };

/** The plan's view of the database (inside a transaction when `session` is given). */
export function mongoPlanReader(targets: WriteTargets, session?: ClientSession): PlanReader {
  const options = session ? { session } : {};
  return {
    async existing(kind: IdentifiableKind, ids: readonly string[]) {
      const found = new Map<string, ExistingDocument>();
      const collection: Collection<StoredIdentifiable> = targets.identifiables(kind);
      for (let at = 0; at < ids.length; at += IDS_PER_QUERY) {
        const chunk = ids.slice(at, at + IDS_PER_QUERY);
        const rows = collection.find({ _id: { $in: chunk } }, { ...options, projection: { _id: 1, layout: 1, revision: 1 } });
        for await (const row of rows) found.set(row._id, { layout: row.layout ?? null, revision: revisionOf(row) });
      }
      return found;
    },
    async elementPosition(version: string, idShort: string) {
      const elements: Collection<StoredElement> = targets.elements;
      const row = await elements.findOne({ version, idShort }, { ...options, sort: { position: 1 }, projection: { _id: 0, position: 1 } });
      return row?.position;
    },
  };
}

/**
 * True for a batch of one op on a shell, concept description or package record: always one document, planned outside
 * a transaction.
 */
export function isSingleDocumentBatch(ops: readonly WriteOp[]): boolean {
  return ops.length === 1 && (ops[0].kind === 'shells' || ops[0].kind === 'conceptDescriptions' || ops[0].kind === 'packages');
}

export interface BatchWriterDeps {
  connection: MongoConnection;
  lease: WriterLease;
  journal: BatchJournal;
  targets: WriteTargets;
  atomicity: BatchAtomicity;
  /** The tag of this instance's revisions (revisions.ts). */
  writer: string;
  ownDeletes: OwnDeletes;
  /** Removes attachment files a crash or failure left unreferenced (gridfs-attachments.ts). */
  collectAttachmentGarbage: () => Promise<void>;
  log: MongoStoreLog;
}

export class BatchWriter {
  private queue: Promise<unknown> = Promise.resolve();
  private recoveryDue = true;
  private recovery: Promise<void> | undefined;
  /** Submodels whose element was replaced but whose header revision may not have been changed (single mode). */
  private readonly owedRevisions = new Set<string>();
  private readonly reader: PlanReader;

  constructor(private readonly deps: BatchWriterDeps) {
    this.reader = mongoPlanReader(deps.targets);
  }

  /** Whether every instance writes (transactions); otherwise one at a time under the writer lease. */
  get shared(): boolean {
    const { atomicity, connection } = this.deps;
    return atomicity === 'transaction' || (atomicity === 'auto' && connection.transactionsAvailable);
  }

  /** A failed write may have left a journal or garbage behind; the next write cleans up first. */
  markRecoveryDue(): void {
    this.recoveryDue = true;
  }

  get isRecoveryDue(): boolean {
    return this.recoveryDue;
  }

  /**
   * Runs `fn` as a write of this store, after any due recovery. Single mode: alone among this store's writes and
   * while this server holds the writer lease. Shared mode: at once (its writes are conditional).
   */
  asWriter<T>(fn: () => Promise<T>): Promise<T> {
    if (this.shared) return this.recoverIfDue().then(fn);
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
    if (this.shared) {
      await this.recoverIfDue();
      return this.writeShared(ops);
    }
    return this.asWriter(async () => {
      const plan = await planBatch(ops, this.reader);
      const writes = this.toWrites(plan);
      await this.announced(writes, () => this.applyAlone(writes));
      return plan.outcomes;
    });
  }

  /** Recovery: the journal (single mode), owed revisions, attachment garbage. One at a time. */
  recoverIfDue(): Promise<void> {
    if (!this.recoveryDue) return Promise.resolve();
    this.recovery ??= this.recover().finally(() => {
      this.recovery = undefined;
    });
    return this.recovery;
  }

  private async recover(): Promise<void> {
    const journal = await this.deps.journal.recover();
    if (journal !== 'clean') this.deps.log({ level: 'warn', message: `MongoDB store: an unfinished batch was ${journal}` });
    for (const id of [...this.owedRevisions]) {
      await this.deps.targets.identifiables('submodels').updateOne({ _id: id }, { $set: { revision: newRevision(this.deps.writer) } });
      this.owedRevisions.delete(id);
    }
    await this.deps.collectAttachmentGarbage();
    this.recoveryDue = false;
  }

  private toWrites(plan: BatchPlan): DocumentWrite[] {
    return plan.effects.map((effect) => toDocumentWrite(effect, { revision: newRevision(this.deps.writer) }));
  }

  /** Runs `apply` with the batch's deletes announced (withdrawn again if it fails). */
  private async announced<T>(writes: readonly DocumentWrite[], apply: () => Promise<T>): Promise<T> {
    const withdraw = writes.filter((w) => w.action === 'delete').map((w) => this.deps.ownDeletes.announce(w.kind, w.id));
    try {
      return await apply();
    } catch (error) {
      for (const undo of withdraw) undo();
      throw error;
    }
  }

  private async applyAlone(writes: readonly DocumentWrite[]): Promise<void> {
    const { lease, targets } = this.deps;
    if (writes.length === 0) return;
    try {
      if (writes.length === 1 && isSingleDocumentWrite(writes[0])) {
        lease.assertHeld();
        await applyWrite(targets, writes[0]);
        return;
      }
      if (writes.length === 1 && isOneElementPatch(writes[0])) {
        lease.assertHeld();
        await this.patchAlone(writes[0]);
        return;
      }
      await this.deps.journal.run(writes, () => lease.assertHeld());
    } catch (error) {
      this.recoveryDue = true;
      throw error;
    }
  }

  private async patchAlone(write: DocumentWrite): Promise<void> {
    if (write.action !== 'patch') throw new Error('patchAlone takes a patch');
    const { targets } = this.deps;
    try {
      // The element without waiting for the disk; the header's durable write flushes both (see STEP).
      await targets.elements.bulkWrite(patchOperations(write.version, write.patches), { ...STEP, ordered: true });
      await targets.identifiables('submodels').bulkWrite([headerOperation(write)!], { ordered: true });
    } catch (error) {
      // The element may be written and its revision not: recovery gives the submodel a new one.
      this.owedRevisions.add(write.id);
      throw error;
    }
  }

  private async writeShared(ops: readonly WriteOp[]): Promise<WriteOutcome[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        if (isSingleDocumentBatch(ops)) {
          const plan = await planBatch(ops, this.reader);
          const writes = this.toWrites(plan);
          if (writes.length === 0) return plan.outcomes;
          if (writes.length === 1 && isSingleDocumentWrite(writes[0])) {
            await this.announced(writes, () => applyConditionally(this.deps.targets, writes[0]));
            return plan.outcomes;
          }
        }
        return await this.inTransaction(ops);
      } catch (error) {
        const raced = error instanceof ConditionMissed || isDuplicateKey(error);
        if (!raced) throw error;
        if (attempt >= MAX_PLAN_ATTEMPTS) {
          const what = error instanceof ConditionMissed ? `${KIND_LABELS[error.kind]} '${error.id}'` : 'A document of this batch';
          throw new Conflict(`${what} kept being changed by other writers while this write was applied; try again`);
        }
        // Another writer got in between: plan again on the new state.
      }
    }
  }

  private async inTransaction(ops: readonly WriteOp[]): Promise<WriteOutcome[]> {
    const session: ClientSession = this.deps.connection.client.startSession();
    let withdraw: (() => void)[] = [];
    const withdrawAll = () => {
      for (const undo of withdraw) undo();
      withdraw = [];
    };
    try {
      // The driver runs the callback again on a transient error (a write conflict with a concurrent transaction,
      // an election): each run plans afresh on its own snapshot, and an aborted run leaves nothing behind.
      return await session.withTransaction(async () => {
        withdrawAll();
        const plan = await planBatch(ops, mongoPlanReader(this.deps.targets, session));
        const writes = this.toWrites(plan);
        withdraw = writes.filter((w) => w.action === 'delete').map((w) => this.deps.ownDeletes.announce(w.kind, w.id));
        for (const write of writes) await applyConditionally(this.deps.targets, write, { session });
        return plan.outcomes;
      }, TRANSACTION_OPTIONS);
    } catch (error) {
      withdrawAll();
      throw error;
    } finally {
      await session.endSession();
    }
  }
}
