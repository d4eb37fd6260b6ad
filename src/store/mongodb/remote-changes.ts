/**
 * `AasStore.remoteChanges` of the MongoDB store: other instances' changes, read from a change stream.
 *
 * The stream is opened when the first listener subscribes and closed when the last one leaves (or the store
 * closes). It needs a replica set or a sharded cluster: on a standalone server (which has no oplog) nothing is
 * ever reported, and the log says so once. That is decided when the store has reached MongoDB, which may be after
 * the server subscribed (openMongoStore does not wait for MongoDB), so the feed exists on every MongoDB store
 * and simply stays silent on a standalone server.
 *
 * Robustness: the driver resumes the stream by itself after a resumable error (a network blip, an election).
 * When that fails too (MongoDB unreachable for longer), the feed waits with backoff until the store can reach
 * MongoDB again and re-opens the stream after the last event it saw (`startAfter` with the last resume token,
 * which also works after an invalidation), so a change made meanwhile is still reported. Only when the oplog no
 * longer reaches back that far are those changes lost; the feed then starts from the present and logs a warning.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { MongoServerError, type ChangeStream, type ResumeToken } from 'mongodb';
import type { RemoteChange } from '../store.js';
import type { MongoConnection, MongoStoreLog } from './connection.js';
import { OwnDeletes, remoteChangePipeline, toRemoteChange, type ChangeEventView } from './remote-change-events.js';

type Listener = (change: RemoteChange) => void;

/** Server codes that mean the resume token cannot be used any more: start from the present. */
const TOKEN_LOST_CODES = new Set([
  260, // InvalidResumeToken
  280, // ChangeStreamFatalError
  286, // ChangeStreamHistoryLost
]);

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5_000;

/** One run of the stream, from a start to the matching stop. */
interface Run {
  stopped: boolean;
  stream?: ChangeStream;
  wake?: AbortController;
}

export interface RemoteChangeFeedDeps {
  connection: MongoConnection;
  /** The writer tag of this store's revisions (revisions.ts): events with it are this instance's own. */
  writer: string;
  ownDeletes: OwnDeletes;
  log: MongoStoreLog;
}

export class RemoteChangeFeed {
  private readonly listeners = new Set<Listener>();
  private run: Run | undefined;
  private running: Promise<void> | undefined;
  private resumeToken: ResumeToken | undefined;
  private toldStandalone = false;
  /** Resolves once the stream is open (tests wait for it before they write). */
  private opened: { promise: Promise<void>; resolve: () => void } = deferred();

  constructor(private readonly deps: RemoteChangeFeedDeps) {}

  subscribe(listener: Listener): () => void {
    // A wrapper per subscription, so the same function subscribed twice is two subscriptions.
    const entry: Listener = (change) => listener(change);
    this.listeners.add(entry);
    this.start();
    return () => {
      this.listeners.delete(entry);
      if (this.listeners.size === 0) void this.stop();
    };
  }

  /** Resolves when the change stream is open (never on a standalone server). */
  whenOpen(): Promise<void> {
    return this.opened.promise;
  }

  async stop(): Promise<void> {
    const run = this.run;
    if (run === undefined) return;
    this.run = undefined;
    run.stopped = true;
    run.wake?.abort();
    this.deps.ownDeletes.active = false;
    this.deps.ownDeletes.clear();
    await run.stream?.close().catch(() => undefined);
    await this.running;
  }

  private start(): void {
    if (this.run !== undefined) return;
    const run: Run = { stopped: false };
    this.run = run;
    this.opened = deferred();
    this.deps.ownDeletes.active = true;
    const previous = this.running ?? Promise.resolve();
    // After the previous run has wound down, so two runs never read at once.
    this.running = previous.then(() => this.loop(run)).finally(() => {
      if (this.run === undefined || this.run === run) this.running = undefined;
    });
  }

  private async loop(run: Run): Promise<void> {
    let failures = 0;
    while (!run.stopped && !this.deps.connection.isClosed) {
      try {
        await this.deps.connection.ready();
        if (!this.deps.connection.changeStreamsAvailable) {
          this.tellStandalone();
          this.deps.ownDeletes.active = false;
          return;
        }
        const options = this.resumeToken === undefined ? {} : { startAfter: this.resumeToken };
        const stream = this.deps.connection.db.watch(remoteChangePipeline(this.deps.writer), options);
        run.stream = stream;
        if (run.stopped) break;
        // The first read runs the stream's aggregate on the server (and waits at most one empty batch): once it
        // returns, every later write is seen.
        const first = await stream.tryNext();
        this.opened.resolve();
        if (failures > 0) this.deps.log({ level: 'info', message: 'MongoDB change stream open again; remote changes are reported' });
        failures = 0;
        if (first !== null) this.received(stream, first);
        for await (const event of stream) {
          this.received(stream, event);
          if (run.stopped) break;
        }
        // Only a stop ends the stream on purpose; anything else is re-opened after a pause, like a failure.
        if (!run.stopped) throw new Error('The MongoDB change stream ended');
      } catch (error) {
        if (run.stopped) break;
        this.resumeToken = run.stream?.resumeToken ?? this.resumeToken;
        if (error instanceof MongoServerError && typeof error.code === 'number' && TOKEN_LOST_CODES.has(error.code)) {
          this.resumeToken = undefined;
          this.deps.log({ level: 'warn', message: 'MongoDB change stream could not resume where it stopped; changes by other instances in between are not reported', err: error });
        }
        failures++;
        if (failures % 10 === 1) {
          this.deps.log({ level: 'warn', message: `MongoDB change stream failed (attempt ${failures}); re-opening`, err: error });
        }
        run.wake = new AbortController();
        const delay = Math.min(FIRST_RETRY_MS * 2 ** (failures - 1), MAX_RETRY_MS);
        await sleep(delay, undefined, { signal: run.wake.signal }).catch(() => undefined);
      } finally {
        await run.stream?.close().catch(() => undefined);
        run.stream = undefined;
      }
    }
  }

  private received(stream: ChangeStream, event: unknown): void {
    this.resumeToken = stream.resumeToken ?? this.resumeToken;
    this.deliver(event as ChangeEventView);
  }

  private tellStandalone(): void {
    if (this.toldStandalone) return;
    this.toldStandalone = true;
    this.deps.log({
      level: 'info',
      message: 'MongoDB is a standalone server: it has no change streams, so changes by other server instances are not reported (with one writing instance there are none)',
    });
  }

  private deliver(event: ChangeEventView): void {
    const change = toRemoteChange(event);
    if (change === undefined) return;
    if (change.type === 'deleted' && this.deps.ownDeletes.consume(change.kind, change.id)) return;
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (error) {
        this.deps.log({ level: 'error', message: 'A listener of remote changes threw', err: error });
      }
    }
  }
}

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
