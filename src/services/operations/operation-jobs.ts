/**
 * The asynchronous invocations a server knows (Part 2 invoke-async → handleId → operation-status /
 * operation-results), in memory and bounded: a finished job is kept for `ttlMs`, and at most `maxJobs` jobs are
 * held at once (when full, the oldest finished one makes room; when all are still running, a new one is refused
 * with 503). Results do not survive a restart: a handle is only meaningful to the process that issued it.
 */
import { randomBytes } from 'node:crypto';
import { ServiceUnavailable } from '../../errors.js';
import type { OperationResult } from './operation-execution.js';

export interface OperationJob {
  /** URL-safe token (base64url of 16 random bytes). */
  readonly handleId: string;
  readonly submodelId: string;
  readonly idShortPath: string;
  /** Set once the invocation has finished (in any state). */
  result?: OperationResult;
  finishedAt?: number;
}

export interface JobLimits {
  ttlMs: number;
  maxJobs: number;
}

export class OperationJobs {
  private readonly jobs = new Map<string, OperationJob>();

  constructor(private readonly limits: JobLimits, private readonly now: () => number = Date.now) {}

  /** Registers a running job; 503 when the table is full of running ones. */
  add(submodelId: string, idShortPath: string): OperationJob {
    this.sweep();
    if (this.jobs.size >= this.limits.maxJobs) {
      for (const [id, job] of this.jobs) {
        if (job.result) {
          this.jobs.delete(id);
          break;
        }
      }
    }
    if (this.jobs.size >= this.limits.maxJobs) {
      throw new ServiceUnavailable(`${this.limits.maxJobs} asynchronous operations are running already; try again later`);
    }
    const job: OperationJob = { handleId: randomBytes(16).toString('base64url'), submodelId, idShortPath };
    this.jobs.set(job.handleId, job);
    return job;
  }

  finish(job: OperationJob, result: OperationResult): void {
    job.result = result;
    job.finishedAt = this.now();
  }

  /**
   * The job of a handle issued for this Operation (same submodel and path), else undefined. The handle may also
   * come base64url-encoded, as the Part 2 HandleId parameter describes it.
   */
  find(handleId: string, submodelId: string, idShortPath: string): OperationJob | undefined {
    this.sweep();
    const job = this.jobs.get(handleId) ?? this.jobs.get(Buffer.from(handleId, 'base64url').toString('utf8'));
    return job && job.submodelId === submodelId && job.idShortPath === idShortPath ? job : undefined;
  }

  get size(): number {
    return this.jobs.size;
  }

  /** Drops finished jobs older than the time to live. */
  private sweep(): void {
    const oldest = this.now() - this.limits.ttlMs;
    for (const [id, job] of this.jobs) {
      if (job.finishedAt !== undefined && job.finishedAt <= oldest) this.jobs.delete(id);
    }
  }
}
