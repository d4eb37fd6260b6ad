/**
 * One writing server per database: a lease in the single document `writerLease/{ _id: 'writer' }`.
 *
 * Why: without transactions (standalone mongod), a batch's checks (create → absent, update → present) and its
 * writes are separate operations, so two servers writing one database could interleave them; and "roll forward
 * the journal a crash left" is only safe when no other server is in the middle of its own batch. The embedded
 * store has the same rule (one process per data directory, by file lock); here the lock is a lease, because a
 * crashed process cannot release anything.
 *
 * The holder renews the lease every quarter of its term; the server's clock (`$$NOW`) decides
 * expiry, so clocks of different hosts never matter. A server that does not hold the lease still serves reads; its
 * writes get ServiceUnavailable until the holder stops renewing (stopped cleanly: at once, since `release()` deletes
 * the lease; crashed: after one term). A server that takes the lease over runs recovery (journal, attachment
 * garbage) before its first write. Locally the lease counts as held for one term from the moment the renewal was
 * sent, which ends no later than the server's view of it.
 */
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Collection, Document } from 'mongodb';
import { ServiceUnavailable } from '../../errors.js';
import type { MongoStoreLog } from './connection.js';
import { isDuplicateKey } from './driver-errors.js';

const LEASE_ID = 'writer';

export interface LeaseDocument {
  _id: typeof LEASE_ID;
  owner: string;
  host: string;
  pid: number;
  renewedAt: Date;
  /** The owner before the lease last changed hands (null when it was created). */
  takenFrom?: string | null;
}

/**
 * The update that renews or takes the lease, as an aggregation pipeline on `{ _id: 'writer' }` with upsert.
 *
 * The condition (ours, or its term ran out by the server clock `$$NOW`) lives in the pipeline, not in the filter,
 * because MongoDB refuses `$expr` in the query of an upsert. All fields of one `$set` stage are computed from the
 * document as it was, so `takenFrom` records the owner before this update whenever the lease changes hands: the
 * caller reads `owner` (is it ours now?) and `takenFrom` (was it ours already?) from the document after the update.
 */
export function leaseUpdate(owner: string, leaseMs: number, host: string, pid: number): Document[] {
  const takeable = {
    $or: [
      { $eq: ['$owner', { $literal: owner }] },
      { $eq: [{ $type: '$renewedAt' }, 'missing'] },
      { $lt: ['$renewedAt', { $subtract: ['$$NOW', leaseMs] }] },
    ],
  };
  const ifTakeable = (value: unknown, otherwise: string) => ({ $cond: [takeable, value, otherwise] });
  // $literal: a value is never read as a field path or operator, whatever it holds.
  return [
    {
      $set: {
        owner: ifTakeable({ $literal: owner }, '$owner'),
        renewedAt: ifTakeable('$$NOW', '$renewedAt'),
        host: ifTakeable({ $literal: host }, '$host'),
        pid: ifTakeable({ $literal: pid }, '$pid'),
        takenFrom: ifTakeable({ $ifNull: ['$owner', null] }, '$takenFrom'),
      },
    },
  ];
}

export class WriterLease {
  /** performance.now() until which this server may write. */
  private validUntil = 0;
  private renewal: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private heldByOther = false;

  constructor(
    private readonly collection: Collection<LeaseDocument>,
    readonly owner: string,
    private readonly leaseMs: number,
    /** Called when the lease is taken (first time, or after another server held it); recovery is due. */
    private readonly onAcquired: () => void,
    private readonly log: MongoStoreLog,
  ) {}

  /** Renews in the background every quarter term; `beforeRenew` lets the store skip while MongoDB is not ready. */
  start(beforeRenew: () => boolean): void {
    this.timer = setInterval(() => {
      if (beforeRenew()) void this.renew().catch(() => undefined);
    }, Math.max(50, Math.floor(this.leaseMs / 4)));
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Whether this server may write now (locally: renewed within the last term). */
  get isHeld(): boolean {
    return this.remainingMs() > 0;
  }

  private remainingMs(): number {
    return this.validUntil - performance.now();
  }

  /** Makes sure the lease is held for at least half a term; ServiceUnavailable when another server holds it. */
  async ensure(): Promise<void> {
    if (this.remainingMs() > this.leaseMs / 2) return;
    await this.renew();
    this.assertHeld();
  }

  /** Before a commit point: throws unless the lease is still held for a safe margin. */
  assertHeld(): void {
    if (this.remainingMs() <= this.leaseMs / 4) {
      throw new ServiceUnavailable('This server lost its write lease on the MongoDB database; the write was not applied');
    }
  }

  /** Renews or takes the lease (one renewal at a time). */
  renew(): Promise<void> {
    this.renewal ??= this.renewOnce().finally(() => {
      this.renewal = undefined;
    });
    return this.renewal;
  }

  private async renewOnce(): Promise<void> {
    const sentAt = performance.now();
    let after: Pick<LeaseDocument, 'owner' | 'takenFrom'> | null = null;
    try {
      after = await this.collection.findOneAndUpdate({ _id: LEASE_ID }, leaseUpdate(this.owner, this.leaseMs, hostname(), process.pid), {
        upsert: true,
        returnDocument: 'after',
        projection: { _id: 0, owner: 1, takenFrom: 1 },
      });
    } catch (error) {
      // Two servers creating the lease at the same moment: the other one won.
      if (!isDuplicateKey(error)) throw error;
    }
    if (after?.owner !== this.owner) {
      this.validUntil = 0;
      if (!this.heldByOther) {
        this.heldByOther = true;
        this.log({ level: 'warn', message: 'Another server holds the write lease on this MongoDB database; this one serves reads only until the lease lapses' });
      }
      throw new ServiceUnavailable('Another server holds the write lease on this MongoDB database; try again later');
    }
    this.validUntil = sentAt + this.leaseMs;
    if (after.takenFrom !== this.owner) {
      const from = after.takenFrom;
      if (from) this.log({ level: 'info', message: `Took over the write lease on this MongoDB database from ${from}` });
      this.heldByOther = false;
      this.onAcquired();
    }
  }

  /** Gives the lease up, so another server can write at once (best effort: it lapses anyway). */
  async release(): Promise<void> {
    this.stop();
    if (this.remainingMs() <= 0) return;
    this.validUntil = 0;
    await this.collection.deleteOne({ _id: LEASE_ID, owner: this.owner });
  }
}
