/**
 * The MongoDB client of one store, and the store's start-up work on it, without ever blocking start-up.
 *
 * `start()` returns at once. In the background the connection connects, asks the server what it is (replica set
 * or standalone) and prepares the database (indexes, see index-definitions.ts); a failed attempt is retried with
 * backoff until it succeeds, each failure reported through the log callback. Until then every operation rejects
 * with ServiceUnavailable (503): an operation waits for an attempt already under way (bounded by
 * serverSelectionTimeoutMS) and otherwise fails at once with the last reason, so a down MongoDB does not make
 * requests pile up.
 *
 * Why the explicit `connect()`: when the driver's first (implicit) connection fails, it keeps a closed topology
 * and every later operation fails with "Topology is closed"; only a new `connect()` starts over. Once connected,
 * the driver itself re-establishes connections after an outage, and operations in between fail with server
 * selection errors, which driver-errors.ts turns into ServiceUnavailable.
 */
import { MongoClient, type Db } from 'mongodb';
import { ServiceUnavailable } from '../../errors.js';
import { isTopologyClosed, translateDriverError, unavailable } from './driver-errors.js';

export interface MongoStoreLogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
  err?: unknown;
}

export type MongoStoreLog = (entry: MongoStoreLogEntry) => void;

export interface ConnectionOptions {
  uri: string;
  database: string;
  serverSelectionTimeoutMS: number;
  log: MongoStoreLog;
  /** Start-up work on the database (indexes); must be idempotent, it runs again after a reconnect. */
  prepare: (db: Db) => Promise<void>;
}

const FIRST_RETRY_MS = 250;
const MAX_RETRY_MS = 5_000;

export class MongoConnection {
  readonly client: MongoClient;
  readonly db: Db;
  /**
   * Whether the deployment offers multi-document transactions and change streams (a replica set, `hello` names
   * its `setName`, or a sharded cluster, `msg: 'isdbgrid'`); known once connected, false before.
   */
  transactionsAvailable = false;
  private prepared = false;
  private closed = false;
  private attempt: Promise<void> | undefined;
  private lastFailure: ServiceUnavailable | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryMs = FIRST_RETRY_MS;
  private failuresInARow = 0;

  constructor(private readonly options: ConnectionOptions) {
    this.client = new MongoClient(options.uri, {
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMS,
      // Durability: a write is acknowledged once a majority has it in the on-disk journal (a standalone is its own
      // majority), so a resolved write() survives a crash of the server process and a failover.
      writeConcern: { w: 'majority', journal: true },
      appName: 'aas-server',
    });
    this.db = this.client.db(options.database);
  }

  /** Starts connecting and preparing in the background. */
  start(): void {
    void this.tryPrepare().catch(() => undefined);
  }

  /** Change streams need an oplog: the same deployments as transactions. */
  get changeStreamsAvailable(): boolean {
    return this.transactionsAvailable;
  }

  get isPrepared(): boolean {
    return this.prepared;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Resolves when the database is prepared; ServiceUnavailable while it cannot be. */
  async ready(): Promise<void> {
    if (this.closed) throw new ServiceUnavailable('The MongoDB store is closed');
    if (this.prepared) return;
    if (this.attempt) return this.attempt;
    if (this.lastFailure) throw this.lastFailure;
    return this.tryPrepare();
  }

  /**
   * Runs `operation` once the database is prepared, with driver errors translated (driver-errors.ts). A topology
   * closed under the store (not by `close()`) sends the connection back to connecting.
   */
  async run<T>(operation: () => Promise<T>, conflictMessage?: string): Promise<T> {
    await this.ready();
    try {
      return await operation();
    } catch (error) {
      if (isTopologyClosed(error) && !this.closed) {
        this.prepared = false;
        this.scheduleRetry();
      }
      throw translateDriverError(error, conflictMessage);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.retryTimer);
    await this.attempt?.catch(() => undefined);
    await this.client.close();
  }

  private tryPrepare(): Promise<void> {
    if (this.attempt) return this.attempt;
    this.attempt = (async () => {
      try {
        await this.client.connect();
        const hello = await this.client.db('admin').command({ hello: 1 });
        this.transactionsAvailable = typeof hello.setName === 'string' || hello.msg === 'isdbgrid';
        await this.options.prepare(this.db);
        if (this.closed) return;
        this.prepared = true;
        this.lastFailure = undefined;
        this.retryMs = FIRST_RETRY_MS;
        if (this.failuresInARow > 0) this.options.log({ level: 'info', message: 'MongoDB reachable again; store ready' });
        this.failuresInARow = 0;
      } catch (error) {
        const failure = error instanceof ServiceUnavailable ? error : unavailable(error);
        this.lastFailure = failure;
        this.failuresInARow++;
        if (!this.closed) {
          // The first failure, then every tenth: a long outage should not flood the log.
          if (this.failuresInARow % 10 === 1) {
            this.options.log({
              level: this.failuresInARow === 1 ? 'warn' : 'error',
              message: `MongoDB store not ready (attempt ${this.failuresInARow}); retrying every ${MAX_RETRY_MS} ms at most`,
              err: error,
            });
          }
          this.scheduleRetry();
        }
        throw failure;
      } finally {
        this.attempt = undefined;
      }
    })();
    return this.attempt;
  }

  private scheduleRetry(): void {
    if (this.closed || this.retryTimer !== undefined) return;
    const delay = this.retryMs;
    this.retryMs = Math.min(this.retryMs * 2, MAX_RETRY_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.prepared && !this.closed) void this.tryPrepare().catch(() => undefined);
    }, delay);
    this.retryTimer.unref();
  }
}
