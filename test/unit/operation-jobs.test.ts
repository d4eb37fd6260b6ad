/** The table of asynchronous invocations stays bounded: results expire, and it never holds more than its limit. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ServiceUnavailable } from '../../src/errors.js';
import type { OperationResult } from '../../src/services/operations/operation-execution.js';
import { OperationJobs } from '../../src/services/operations/operation-jobs.js';

const done: OperationResult = { executionState: 'Completed', success: true, outputArguments: [], inoutputArguments: [], messages: [] };

function clock() {
  let t = 1_000_000;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('OperationJobs', () => {
  it('finds a job by handle only for the Operation it was issued for', () => {
    const jobs = new OperationJobs({ ttlMs: 1000, maxJobs: 10 });
    const job = jobs.add('urn:sm', 'A.B');
    assert.match(job.handleId, /^[A-Za-z0-9_-]{22}$/);
    assert.equal(jobs.find(job.handleId, 'urn:sm', 'A.B'), job);
    assert.equal(jobs.find(job.handleId, 'urn:sm', 'A.C'), undefined);
    assert.equal(jobs.find(job.handleId, 'urn:other', 'A.B'), undefined);
    assert.equal(jobs.find('nope', 'urn:sm', 'A.B'), undefined);
    // Part 2 calls the path parameter base64url-encoded: that spelling of the handle works as well.
    assert.equal(jobs.find(Buffer.from(job.handleId).toString('base64url'), 'urn:sm', 'A.B'), job);
  });

  it('issues distinct handles', () => {
    const jobs = new OperationJobs({ ttlMs: 1000, maxJobs: 100 });
    const handles = new Set(Array.from({ length: 50 }, () => jobs.add('urn:sm', 'Op').handleId));
    assert.equal(handles.size, 50);
  });

  it('forgets a finished result after its time to live, never a running job', () => {
    const c = clock();
    const jobs = new OperationJobs({ ttlMs: 1000, maxJobs: 10 }, c.now);
    const finished = jobs.add('urn:sm', 'Op');
    const running = jobs.add('urn:sm', 'Op');
    jobs.finish(finished, done);
    c.advance(999);
    assert.equal(jobs.find(finished.handleId, 'urn:sm', 'Op')?.result, done);
    c.advance(1);
    assert.equal(jobs.find(finished.handleId, 'urn:sm', 'Op'), undefined);
    c.advance(10_000_000);
    assert.equal(jobs.find(running.handleId, 'urn:sm', 'Op'), running);
    assert.equal(jobs.size, 1);
  });

  it('makes room by dropping the oldest finished result when full', () => {
    const jobs = new OperationJobs({ ttlMs: 60_000, maxJobs: 3 });
    const [a, b, c] = [jobs.add('urn:sm', 'Op'), jobs.add('urn:sm', 'Op'), jobs.add('urn:sm', 'Op')];
    jobs.finish(b, done);
    jobs.finish(c, done);
    const d = jobs.add('urn:sm', 'Op');
    assert.equal(jobs.size, 3);
    assert.equal(jobs.find(b.handleId, 'urn:sm', 'Op'), undefined, 'b was the oldest finished one');
    for (const kept of [a, c, d]) assert.ok(jobs.find(kept.handleId, 'urn:sm', 'Op'));
  });

  it('refuses a new job with 503 while all held jobs still run', () => {
    const jobs = new OperationJobs({ ttlMs: 60_000, maxJobs: 2 });
    const first = jobs.add('urn:sm', 'Op');
    jobs.add('urn:sm', 'Op');
    assert.throws(() => jobs.add('urn:sm', 'Op'), (e: unknown) => e instanceof ServiceUnavailable && /2 asynchronous operations are running/.test((e as Error).message));
    jobs.finish(first, done);
    assert.doesNotThrow(() => jobs.add('urn:sm', 'Op'));
    assert.equal(jobs.size, 2);
  });
});
