/**
 * The OPC UA side of the live-sync benchmark: a child process hosting an OPC UA server on 127.0.0.1 whose
 * `items` Double variables (`nsu=urn:aas-server:bench;s=Item.0000` …) each change `rate` times per second.
 * Every new value is the wall-clock time of the change in ms, and so is its source timestamp, so a consumer
 * computes its lag as (time it saw the value) − value.
 *
 * Run by the benchmark with child_process.fork('bench/opcua-source.ts', args, { execArgv: ['--import', 'tsx'] }).
 * Options (argv wins over env): --items / OPCUA_SOURCE_ITEMS (1000), --rate / OPCUA_SOURCE_RATE_HZ (10),
 * --port / OPCUA_SOURCE_PORT (0: a free port), --tick-ms / OPCUA_SOURCE_TICK_MS (5).
 * IPC protocol, parent ⇄ child:
 *   child  → { type: 'ready', endpointUrl, items, rateHz, namespaceUri }      once the server listens
 *   parent → { type: 'start' }                                               begin changing values
 *   parent → { type: 'stop' }    child → { type: 'stopped', produced, … }    stop changing; the tally (SourceStopped)
 *   parent → { type: 'exit' }                                                shut the server down and exit
 * Without IPC (run by hand) it starts at once and prints the tally on Ctrl-C.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  DataType,
  LogLevel,
  makeAccessLevelFlag,
  OPCUACertificateManager,
  OPCUAServer,
  setLogLevel,
  StatusCodes,
  Variant,
  type UAVariable,
} from 'node-opcua';

const BENCH_NAMESPACE_URI = 'urn:aas-server:bench';

// The messages, for the benchmark to `import type` (a value import would run this script in the benchmark).
export interface SourceReady {
  type: 'ready';
  endpointUrl: string;
  items: number;
  rateHz: number;
  namespaceUri: string;
}

export interface SourceStopped {
  type: 'stopped';
  /** Changes made per item, index = item number. */
  produced: number[];
  /** CPU time of this whole process (source and OPC UA server) between start and stop, in microseconds. */
  cpuUser: number;
  cpuSystem: number;
  durationMs: number;
  /** What one timer tick (updating a slice of the items) cost, in ms. */
  tick: { count: number; itemsMean: number; meanMs: number; p50Ms: number; p99Ms: number; maxMs: number };
  /** How far production fell behind its schedule at worst, in ms (0 while the source keeps up). */
  behindMaxMs: number;
}

export type SourceCommand = { type: 'start' } | { type: 'stop' } | { type: 'exit' };

function option(name: string, envName: string, fallback: number, args: Record<string, string | undefined>): number {
  const raw = args[name] ?? process.env[envName];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`--${name} / ${envName} must be a non-negative number, got "${raw}"`);
  return n;
}

const { values: args } = parseArgs({
  options: { items: { type: 'string' }, rate: { type: 'string' }, port: { type: 'string' }, 'tick-ms': { type: 'string' } },
});
const items = Math.trunc(option('items', 'OPCUA_SOURCE_ITEMS', 1000, args));
const rateHz = option('rate', 'OPCUA_SOURCE_RATE_HZ', 10, args);
const port = Math.trunc(option('port', 'OPCUA_SOURCE_PORT', 0, args));
const tickMs = option('tick-ms', 'OPCUA_SOURCE_TICK_MS', 5, args);

// node-opcua's own warnings (NODE-OPCUA-W27 about Node 20's RSA PKCS#1 v1.5) would only clutter the benchmark.
if (process.env.NODEOPCUA_LOG_LEVEL === undefined) setLogLevel(LogLevel.Error);

const pkiDir = await mkdtemp(join(tmpdir(), 'aas-bench-opcua-source-'));
const serverCertificateManager = new OPCUACertificateManager({ rootFolder: join(pkiDir, 'PKI'), automaticallyAcceptUnknownCertificate: true });
const userCertificateManager = new OPCUACertificateManager({ rootFolder: join(pkiDir, 'UserPKI'), automaticallyAcceptUnknownCertificate: true });
const server = new OPCUAServer({ port, host: '127.0.0.1', hostname: '127.0.0.1', serverCertificateManager, userCertificateManager });
await server.initialize();
const addressSpace = server.engine.addressSpace!;
const ns = addressSpace.registerNamespace(BENCH_NAMESPACE_URI);
const folder = ns.addObject({ organizedBy: addressSpace.rootFolder.objects, browseName: 'Items', nodeId: 's=Items' });
const readOnly = makeAccessLevelFlag('CurrentRead');
const variables: UAVariable[] = [];
for (let i = 0; i < items; i++) {
  const name = `Item.${String(i).padStart(4, '0')}`;
  variables.push(ns.addVariable({
    componentOf: folder,
    browseName: name,
    nodeId: `s=${name}`,
    dataType: 'Double',
    accessLevel: readOnly,
    userAccessLevel: readOnly,
    minimumSamplingInterval: 0, // report each change as it happens, not by polling
    value: { dataType: DataType.Double, value: 0 },
  }));
}
await server.start();
const endpointUrl = server.getEndpointUrl();

/**
 * One run between 'start' and 'stop'. Changes are due evenly over time: by t ms after the start,
 * floor(t × items × rate / 1000) changes, item after item round-robin. Each tick makes the ones due since the
 * last, so every item changes `rate` times a second, slices of items change every few ms, and a late timer is
 * caught up by the next tick rather than lost.
 */
class ProductionRun {
  readonly produced = new Array<number>(items).fill(0);
  private readonly last = new Float64Array(items);
  private readonly startedAt = performance.now();
  private readonly cpuAtStart = process.cpuUsage();
  private readonly changesPerMs = (items * rateHz) / 1000;
  private made = 0;
  private readonly tickCosts: number[] = [];
  private behindMaxMs = 0;
  private readonly timer = setInterval(() => this.tick(), tickMs);

  private tick(): void {
    const t0 = performance.now();
    const due = Math.floor((t0 - this.startedAt) * this.changesPerMs);
    const count = due - this.made;
    if (count <= 0) return;
    for (let k = 0; k < count; k++) {
      const i = (this.made + k) % items;
      const now = Date.now();
      // A tick that catches up may change an item twice within one millisecond; an equal value would be no change
      // (no notification) yet counted as made, so the second one is a microsecond later.
      const value = Math.max(now, this.last[i] + 0.001);
      this.last[i] = value;
      variables[i].setValueFromSource(new Variant({ dataType: DataType.Double, value }), StatusCodes.Good, new Date(now));
      this.produced[i]++;
    }
    // The oldest change of this slice was due at made/changesPerMs; how late it came is how far behind we are.
    this.behindMaxMs = Math.max(this.behindMaxMs, t0 - this.startedAt - this.made / this.changesPerMs - tickMs);
    this.made = due;
    this.tickCosts.push(performance.now() - t0);
  }

  stop(): SourceStopped {
    clearInterval(this.timer);
    const durationMs = performance.now() - this.startedAt;
    const cpu = process.cpuUsage(this.cpuAtStart);
    const sorted = Float64Array.from(this.tickCosts).sort();
    const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : 0);
    const sum = this.tickCosts.reduce((a, b) => a + b, 0);
    return {
      type: 'stopped',
      produced: this.produced,
      cpuUser: cpu.user,
      cpuSystem: cpu.system,
      durationMs,
      tick: {
        count: sorted.length,
        itemsMean: sorted.length ? this.made / sorted.length : 0,
        meanMs: sorted.length ? sum / sorted.length : 0,
        p50Ms: at(0.5),
        p99Ms: at(0.99),
        maxMs: sorted.length ? sorted[sorted.length - 1] : 0,
      },
      behindMaxMs: Math.max(0, this.behindMaxMs),
    };
  }
}

let run: ProductionRun | undefined;
let exiting = false;

async function exit(code: number): Promise<never> {
  if (!exiting) {
    exiting = true;
    run?.stop();
    await server.shutdown(0).catch(() => undefined);
    await serverCertificateManager.dispose().catch(() => undefined);
    await rm(pkiDir, { recursive: true, force: true });
  }
  process.exit(code);
}

// Killed rather than told to exit: still close the port and remove the temporary certificates.
process.once('SIGTERM', () => void exit(0));

if (process.send) {
  process.on('message', (message: SourceCommand) => {
    if (message.type === 'start') {
      run?.stop();
      run = new ProductionRun();
    } else if (message.type === 'stop') {
      const tally = run?.stop();
      run = undefined;
      if (tally) process.send!(tally);
    } else if (message.type === 'exit') {
      void exit(0);
    }
  });
  // The benchmark died or dropped us: never outlive it.
  process.on('disconnect', () => void exit(0));
  const ready: SourceReady = { type: 'ready', endpointUrl, items, rateHz, namespaceUri: BENCH_NAMESPACE_URI };
  process.send(ready);
} else {
  process.stdout.write(`OPC UA bench source on ${endpointUrl}: ${items} items × ${rateHz} Hz; Ctrl-C stops\n`);
  run = new ProductionRun();
  process.once('SIGINT', () => {
    const { produced, ...tally } = run!.stop();
    run = undefined;
    const total = produced.reduce((a, b) => a + b, 0);
    process.stdout.write(`${JSON.stringify({ ...tally, producedTotal: total, changesPerSecond: total / (tally.durationMs / 1000) })}\n`);
    void exit(0);
  });
}
