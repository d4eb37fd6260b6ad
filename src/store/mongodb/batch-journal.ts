/**
 * Atomic batches without transactions (a standalone mongod has none): a redo journal in two collections.
 *
 * 1. `batchJournal` gets its only document `{ _id: 'batch', batch, state: 'staging' }`.
 * 2. Every write of the batch is staged as one record in `batchStaging` (in op order, `seq`); a put's new element
 *    documents go straight into `submodelElements` under a fresh version, which no header names yet, so no reader
 *    sees them.
 * 3. Commit point: one single-document update sets the journal's state to `committed`.
 * 4. Roll forward: the staged records are applied in order (document-writes.ts `applyAfterStaging`, idempotent).
 * 5. The staged records, then the journal document, are deleted.
 *
 * A crash (or a lost connection) anywhere leaves a state that `recover()` finishes: a `staging` journal is rolled
 * back (its new element versions and records deleted: nobody saw them), a `committed` one is rolled forward again
 * from the start. The store runs `recover()` before its first write and after any failed batch, under its write
 * lock (writer-lease.ts), so no two batches ever interleave.
 *
 * Readers do not wait for the journal: during step 4 a reader can see some documents of the batch already
 * written and others not yet (each document is always whole, old or new). docs/mongodb.md says so.
 */
import { randomUUID } from 'node:crypto';
import type { Collection, ObjectId } from 'mongodb';
import { ServiceUnavailable } from '../../errors.js';
import type { ElementLayout, IdentifiableKind, StoredIdentifiable } from './document-layout.js';
import { isDuplicateKey } from './driver-errors.js';
import { applyAfterStaging, insertElements, type DocumentWrite, type ElementPatch, type StepOptions, type WriteTargets } from './document-writes.js';

const JOURNAL_ID = 'batch';

/**
 * Staging and roll-forward steps are acknowledged once applied, without waiting for the disk: the journal document's
 * commit (and finally its deletion) is written with the client's durable write concern (`w: majority, journal:
 * true`), and MongoDB's write-ahead log is sequential, so that one flush makes every earlier step durable too. A
 * crash before it leaves a journal that recovery rolls back (staging) or forward (committed) again. Two disk
 * flushes per batch instead of one per document.
 */
export const STEP: StepOptions = { writeConcern: { w: 1, journal: false } };

export interface JournalDocument {
  _id: typeof JOURNAL_ID;
  batch: string;
  state: 'staging' | 'committed';
  owner: string;
  startedAt: Date;
}

/** A staged write: the write's own fields (flattened, so a document nests as shallowly as possible) plus order. */
export type StagedRecord = {
  _id?: ObjectId;
  batch: string;
  seq: number;
} & (
  | { action: 'put'; kind: IdentifiableKind; id: string; stored: StoredIdentifiable; dropVersion?: string; expected?: string }
  | { action: 'patch'; kind: 'submodels'; id: string; version: string; patches: ElementPatch[]; revision?: string; expected: string }
  | { action: 'delete'; kind: IdentifiableKind; id: string; dropVersion?: string; expected: string }
);

/** Records per insertMany round trip while staging (the driver splits further by size if it must). */
const STAGE_CHUNK = 500;

/**
 * The records that stage `writes`: puts without their elements (inserted directly), one record per replaced
 * element. Only the last record of a patch carries the header's new revision: rolled forward in order, the
 * revision changes after all its elements did (document-writes.ts explains why that order).
 */
export function stagedRecords(batch: string, writes: readonly DocumentWrite[]): StagedRecord[] {
  const records: StagedRecord[] = [];
  const add = (record: DistributiveOmit<StagedRecord, 'batch' | 'seq'>) => records.push({ ...record, batch, seq: records.length } as StagedRecord);
  for (const write of writes) {
    if (write.action === 'put') {
      const { elements: _elements, ...rest } = write;
      add(rest);
    } else if (write.action === 'patch') {
      const { revision, ...rest } = write;
      write.patches.forEach((patch, i) => {
        const last = i === write.patches.length - 1;
        add({ ...rest, patches: [patch], ...(last && revision !== undefined ? { revision } : {}) });
      });
    } else {
      add(write);
    }
  }
  return records;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The write a staged record stands for (its new elements, if any, are in place already). */
export function writeOfRecord(record: StagedRecord): DocumentWrite {
  const { _id: _recordId, batch: _batch, seq: _seq, ...write } = record;
  return write.action === 'put' ? { ...write, elements: [] } : write;
}

export class BatchJournal {
  constructor(
    private readonly journal: Collection<JournalDocument>,
    private readonly staging: Collection<StagedRecord>,
    private readonly targets: WriteTargets,
    private readonly owner: string,
  ) {}

  /**
   * Applies `writes` all or nothing (after a crash, `recover` completes or undoes them). `beforeCommit` throws when
   * this server may no longer write (its lease is lost); the batch then stays uncommitted.
   */
  async run(writes: readonly DocumentWrite[], beforeCommit: () => void): Promise<void> {
    const batch = randomUUID();
    try {
      await this.journal.insertOne({ _id: JOURNAL_ID, batch, state: 'staging', owner: this.owner, startedAt: new Date() });
    } catch (error) {
      // Not a conflict of the caller's documents: an earlier batch is not finished (the store recovers it next).
      if (isDuplicateKey(error)) throw new ServiceUnavailable('An earlier batch is still being finished; try again');
      throw error;
    }
    const records = stagedRecords(batch, writes);
    for (let at = 0; at < records.length; at += STAGE_CHUNK) {
      await this.staging.insertMany(records.slice(at, at + STAGE_CHUNK).map((r) => ({ ...r })), { ...STEP, ordered: true });
    }
    // After the records: a rollback finds the new element versions through them.
    for (const write of writes) if (write.action === 'put') await insertElements(this.targets, write.elements, STEP);
    beforeCommit();
    const committed = await this.journal.updateOne({ _id: JOURNAL_ID, batch, state: 'staging' }, { $set: { state: 'committed' } });
    if (committed.matchedCount !== 1) throw new ServiceUnavailable('The batch lost its journal before it committed; nothing of it was applied');
    await this.rollForward(batch);
    await this.finish(batch);
  }

  /** Finishes what a crash or a failed batch left: roll back if uncommitted, forward if committed. */
  async recover(): Promise<'clean' | 'rolled back' | 'rolled forward'> {
    const journal = await this.journal.findOne({ _id: JOURNAL_ID });
    if (journal === null) {
      // Records without a journal cannot be applied or undone any more (only a hand-edited database has them).
      await this.staging.deleteMany({});
      return 'clean';
    }
    if (journal.state === 'committed') {
      await this.rollForward(journal.batch);
      await this.finish(journal.batch);
      return 'rolled forward';
    }
    await this.rollBack(journal.batch);
    await this.finish(journal.batch);
    return 'rolled back';
  }

  private async rollForward(batch: string): Promise<void> {
    for await (const record of this.staging.find({ batch }).sort({ seq: 1 })) {
      await applyAfterStaging(this.targets, writeOfRecord(record), STEP);
    }
  }

  private async rollBack(batch: string): Promise<void> {
    const puts = this.staging.find({ batch, action: 'put' }, { projection: { 'stored.layout': 1 } });
    for await (const record of puts) {
      const layout = (record as { stored?: { layout?: ElementLayout | null } }).stored?.layout;
      if (layout) await this.targets.elements.deleteMany({ version: layout.version }, STEP);
    }
  }

  /** The journal's deletion is durable, and with it every step before it. */
  private async finish(batch: string): Promise<void> {
    await this.staging.deleteMany({ batch }, STEP);
    await this.journal.deleteOne({ _id: JOURNAL_ID, batch });
  }
}
