/**
 * Load measurements with autocannon (programmatic API, in the benchmark's own process, so the client never
 * shares an event loop with the server under test): a short warm-up whose figures are thrown away, then timed
 * runs. Latencies are taken per response from autocannon's `response` event, in fractional milliseconds,
 * because its own latency histogram rounds to whole milliseconds, too coarse for the 1–5 ms latencies here.
 *
 * Two targets that are compared are measured in alternating rounds A B B A (each round half of a target's
 * duration), so that drift on a shared machine (another process, a slow stretch) falls on both alike instead of
 * on whichever was measured second.
 */
import autocannon from 'autocannon';

export interface LoadOptions {
  connections: number;
  /** Timed seconds per target. */
  durationSeconds: number;
  warmupSeconds: number;
}

/** A time span in `process.hrtime.bigint()` nanoseconds. */
export interface TimeWindow {
  fromNs: bigint;
  toNs: bigint;
}

export interface LoadResult {
  requestsPerSecond: number;
  meanMs: number;
  p99Ms: number;
  requests: number;
  /** When the timed runs (not the warm-up) took place. */
  windows: TimeWindow[];
}

/** A URL to GET, or a request with a method and a JSON body sent as it is on every request. */
export type LoadTarget = string | { url: string; method: 'PATCH' | 'PUT' | 'POST'; body: string };

const urlOf = (target: LoadTarget) => (typeof target === 'string' ? target : target.url);

function runOnce(target: LoadTarget, connections: number, seconds: number, onLatency?: (ms: number) => void): Promise<autocannon.Result> {
  const request = typeof target === 'string' ? { url: target } : { ...target, headers: { 'content-type': 'application/json' } };
  return new Promise((resolve, reject) => {
    const instance = autocannon({ ...request, connections, duration: seconds, pipelining: 1 }, (error, result) =>
      error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(result),
    );
    if (onLatency) {
      instance.on('response', (_client, statusCode, _bytes, responseTime) => {
        if (statusCode >= 200 && statusCode < 300) onLatency(responseTime);
      });
    }
  });
}

function checkClean(url: string, r: autocannon.Result): void {
  const problems = [
    r.errors > 0 ? `${r.errors} errors` : '',
    r.timeouts > 0 ? `${r.timeouts} timeouts` : '',
    r.non2xx > 0 ? `${r.non2xx} non-2xx responses` : '',
  ].filter(Boolean);
  if (problems.length > 0) throw new Error(`load on ${url}: ${problems.join(', ')}`);
}

/** Latencies and time of one target, gathered over one or more timed rounds. */
class Samples {
  readonly latencies: number[] = [];
  readonly windows: TimeWindow[] = [];
  seconds = 0;

  readonly url: string;

  constructor(readonly target: LoadTarget) {
    this.url = urlOf(target);
  }

  async round(connections: number, seconds: number): Promise<void> {
    const fromNs = process.hrtime.bigint();
    const result = await runOnce(this.target, connections, seconds, (ms) => this.latencies.push(ms));
    this.windows.push({ fromNs, toNs: process.hrtime.bigint() });
    checkClean(this.url, result);
    this.seconds += result.duration;
  }

  result(): LoadResult {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    if (sorted.length === 0) throw new Error(`load on ${this.url}: no responses`);
    const mean = sorted.reduce((sum, ms) => sum + ms, 0) / sorted.length;
    // Nearest-rank percentile.
    const p99 = sorted[Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)];
    return { requestsPerSecond: sorted.length / this.seconds, meanMs: mean, p99Ms: p99, requests: sorted.length, windows: this.windows };
  }
}

async function warmUp(target: LoadTarget, options: LoadOptions): Promise<void> {
  if (options.warmupSeconds > 0) checkClean(urlOf(target), await runOnce(target, options.connections, options.warmupSeconds));
}

export async function measure(target: LoadTarget, options: LoadOptions): Promise<LoadResult> {
  await warmUp(target, options);
  const samples = new Samples(target);
  await samples.round(options.connections, options.durationSeconds);
  return samples.result();
}

/** Measures two targets in rounds A B B A, each round half of `durationSeconds`. */
export async function measurePair(targetA: LoadTarget, targetB: LoadTarget, options: LoadOptions): Promise<[LoadResult, LoadResult]> {
  await warmUp(targetA, options);
  await warmUp(targetB, options);
  const a = new Samples(targetA);
  const b = new Samples(targetB);
  for (const target of [a, b, b, a]) await target.round(options.connections, options.durationSeconds / 2);
  return [a.result(), b.result()];
}
