/**
 * Which store instances are alive, for attachment garbage collection when several instances write one database
 * (batch-writer.ts, shared mode): each instance keeps a document `{ _id: instance, renewedAt }` in `instances`,
 * renewed by the server clock (`$$NOW`) every few seconds and deleted on a clean close. An upload another live
 * instance has staged but not yet committed is not garbage; one whose instance stopped beating is
 * (gridfs-attachments.ts). A TTL index removes the documents of instances that died long ago.
 */
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Collection, Document } from 'mongodb';

export interface InstanceDocument {
  _id: string;
  renewedAt: Date;
  host: string;
  pid: number;
}

/** The update that records a beat (a pipeline, so the server's clock is the one that counts). */
export function beatUpdate(host: string, pid: number): Document[] {
  return [{ $set: { renewedAt: '$$NOW', host: { $literal: host }, pid: { $literal: pid } } }];
}

/** The filter of the instances that beat within the last `aliveMs` by the server's clock. */
export function aliveFilter(aliveMs: number): Document {
  return { $expr: { $gt: ['$renewedAt', { $subtract: ['$$NOW', aliveMs] }] } };
}

export class InstanceHeartbeat {
  private lastBeat = -Infinity;

  constructor(
    private readonly collection: Collection<InstanceDocument>,
    readonly instance: string,
    /** Beats at most this often; an instance silent for three times as long counts as gone. */
    private readonly intervalMs: number,
  ) {}

  /** Beats when the last beat is older than the interval (cheap to call on every tick). */
  async beatIfDue(): Promise<void> {
    if (performance.now() - this.lastBeat < this.intervalMs) return;
    await this.beat();
  }

  async beat(): Promise<void> {
    const sentAt = performance.now();
    await this.collection.updateOne({ _id: this.instance }, beatUpdate(hostname(), process.pid), { upsert: true });
    this.lastBeat = sentAt;
  }

  /** The instances alive now, this one included. */
  async alive(): Promise<Set<string>> {
    const rows = await this.collection.find(aliveFilter(this.intervalMs * 3), { projection: { _id: 1 } }).toArray();
    return new Set([...rows.map((row) => row._id), this.instance]);
  }

  async end(): Promise<void> {
    this.lastBeat = -Infinity;
    await this.collection.deleteOne({ _id: this.instance });
  }
}
