/**
 * OPC UA live sync under load: 1,000 monitored items changing at 10 Hz in a separate source process
 * (bench/opcua-source.ts), one asset connection in the built AAS server (dist/, its defaults: publishing interval
 * 50 ms, sampling interval 0), and this process polling `GET /submodels/{id}/$value` of the ten bound submodels
 * (100 Properties each) as fast as the server answers.
 *
 * Lag: every value is the source's wall-clock time of the change (also its source timestamp), so the first time a
 * value shows up in a `$value` response, (time the response arrived) − value is how long it took from the
 * device to being visible through the API; an upper bound, as it includes the poll's own round trip. Lost: the
 * changes the source made minus the notifications the connection counted (its status `updates`); a check that
 * every Property ends on its item's last value backs it. Server CPU and RSS come from /proc for the server's pid.
 *
 * Usage (after `npm run build`): node --import tsx bench/opcua-sync.ts [--seconds 30] [--items 1000] [--rate 10] [--no-readme]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { encodeId } from '../src/model/identifiers.js';
import { BASE_PATH, PROJECT_DIR, startAasServer } from './bench-servers.js';
import { ChildProcesses } from './child-processes.js';
import type { SourceReady, SourceStopped } from './opcua-source.js';
import { replaceReadmeSection } from './results-report.js';

const { values: args } = parseArgs({
  options: { seconds: { type: 'string', default: '30' }, 'publishing-interval': { type: 'string' }, 'poll-ms': { type: 'string', default: '10' }, items: { type: 'string', default: '1000' }, rate: { type: 'string', default: '10' }, 'no-readme': { type: 'boolean', default: false } },
});
const SECONDS = Number(args.seconds);
const ITEMS = Number(args.items);
const RATE = Number(args.rate);
const PER_SUBMODEL = 100;
const SUBMODELS = Math.ceil(ITEMS / PER_SUBMODEL);
const README = join(PROJECT_DIR, 'bench', 'README.md');

const submodelId = (s: number) => `urn:example:bench:opcua:line-${s}`;
const itemName = (i: number) => `Item.${String(i).padStart(4, '0')}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** CPU ticks (utime + stime) and resident set of a process, from /proc. */
function processSample(pid: number): { ticks: number; rssBytes: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const rssPages = Number(fields[21]);
  return { ticks: Number(fields[11]) + Number(fields[12]), rssBytes: rssPages * 4096 };
}
const CLOCK_TICKS = 100;

async function json(url: string, init?: RequestInit): Promise<unknown> {
  const res = await fetch(url, init);
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${init?.method ?? 'GET'} ${url}: ${res.status} ${text.slice(0, 500)}`);
  return text === '' ? undefined : JSON.parse(text);
}

function startSource(): Promise<{ child: ChildProcess; ready: SourceReady }> {
  const child = fork(join(PROJECT_DIR, 'bench', 'opcua-source.ts'), ['--items', String(ITEMS), '--rate', String(RATE)], {
    execArgv: ['--import', 'tsx'],
    cwd: PROJECT_DIR,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m: SourceReady) => resolve({ child, ready: m }));
    child.once('exit', (code) => reject(new Error(`the OPC UA source exited (${code})`)));
  });
}

function percentile(sorted: Float64Array, q: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
}

async function main(): Promise<void> {
  const workDir = mkdtempSync(join(tmpdir(), 'aas-bench-opcua-'));
  const children = new ChildProcesses(PROJECT_DIR);
  let source: ChildProcess | undefined;
  try {
    const started = await startSource();
    source = started.child;
    const { child, origin } = await startAasServer(children, join(workDir, 'data'));
    const api = origin + BASE_PATH;
    const post = (path: string, body: unknown) => json(api + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

    for (let s = 0; s < SUBMODELS; s++) {
      const elements = [];
      for (let i = s * PER_SUBMODEL; i < Math.min(ITEMS, (s + 1) * PER_SUBMODEL); i++) {
        elements.push({ modelType: 'Property', idShort: `P${String(i).padStart(4, '0')}`, valueType: 'xs:double', value: '0' });
      }
      await post('/submodels', { modelType: 'Submodel', id: submodelId(s), idShort: `Line${s}`, submodelElements: elements });
    }
    const mappings = Array.from({ length: ITEMS }, (_, i) => ({
      submodelId: submodelId(Math.floor(i / PER_SUBMODEL)),
      idShortPath: `P${String(i).padStart(4, '0')}`,
      nodeId: `nsu=${started.ready.namespaceUri};s=${itemName(i)}`,
      modes: ['subscribe'],
    }));
    const publishing = args['publishing-interval'] === undefined ? {} : { publishingInterval: Number(args['publishing-interval']) };
    await post('/asset-connections', { id: 'bench', endpointUrl: started.ready.endpointUrl, ...publishing, mappings });
    type Status = { state: string; mappings: { idShortPath: string; updates: number; value?: string; error?: string }[] };
    const status = () => json(`${api}/asset-connections/bench/status`) as Promise<Status>;
    for (let waited = 0; ; waited += 100) {
      const s = await status();
      if (s.state === 'connected' && s.mappings.every((m) => m.updates > 0)) break;
      if (waited > 30_000) throw new Error(`the connection did not come up: ${JSON.stringify({ state: s.state, errors: s.mappings.filter((m) => m.error).slice(0, 3) })}`);
      await sleep(100);
    }
    const initialUpdates = (await status()).mappings.map((m) => m.updates);

    const lastSeen = new Float64Array(ITEMS);
    const lags: number[] = [];
    let polls = 0;
    const ids = Array.from({ length: SUBMODELS }, (_, s) => encodeId(submodelId(s)));
    const cpuBefore = processSample(child.process.pid!);
    let rssPeak = cpuBefore.rssBytes;
    const t0 = Date.now();
    source.send({ type: 'start' });
    const pollMs = Number(args['poll-ms']);
    while (Date.now() - t0 < SECONDS * 1000) {
      const roundStart = Date.now();
      await Promise.all(ids.map(async (id, s) => {
        const values = (await json(`${api}/submodels/${id}/$value`)) as Record<string, number>;
        const arrived = Date.now();
        for (let k = 0; k < PER_SUBMODEL; k++) {
          const i = s * PER_SUBMODEL + k;
          const v = values[`P${String(i).padStart(4, '0')}`];
          if (v !== undefined && v > lastSeen[i]) {
            if (lastSeen[i] > 0 || arrived - t0 > 1000) lags.push(arrived - v);
            lastSeen[i] = v;
          }
        }
      }));
      polls += 1;
      await sleep(Math.max(0, pollMs - (Date.now() - roundStart)));
      if (polls % 20 === 0) rssPeak = Math.max(rssPeak, processSample(child.process.pid!).rssBytes);
    }
    const elapsed = (Date.now() - t0) / 1000;
    const cpuAfter = processSample(child.process.pid!);
    rssPeak = Math.max(rssPeak, cpuAfter.rssBytes);
    const stopped = await new Promise<SourceStopped>((resolve) => {
      source!.once('message', (m: SourceStopped) => resolve(m));
      source!.send({ type: 'stop' });
    });
    await sleep(1000);

    const final = await status();
    const received = final.mappings.map((m, i) => m.updates - initialUpdates[i]);
    const produced = stopped.produced.reduce((a, b) => a + b, 0);
    const lost = stopped.produced.reduce((sum, p, i) => sum + Math.max(0, p - received[i]), 0);
    let mismatched = 0;
    for (let s = 0; s < SUBMODELS; s++) {
      const values = (await json(`${api}/submodels/${ids[s]}/$value`)) as Record<string, number>;
      for (const m of final.mappings.slice(s * PER_SUBMODEL, (s + 1) * PER_SUBMODEL)) {
        if (String(values[m.idShortPath]) !== m.value) mismatched += 1;
      }
    }
    const sorted = Float64Array.from(lags).sort();
    const cpuPercent = ((cpuAfter.ticks - cpuBefore.ticks) / CLOCK_TICKS / elapsed) * 100;
    const sourceCpu = ((stopped.cpuUser + stopped.cpuSystem) / 1e6 / (stopped.durationMs / 1000)) * 100;
    const rows = [
      ['Monitored items × rate', `${ITEMS} × ${RATE} Hz (${Math.round(produced / (stopped.durationMs / 1000)).toLocaleString('en-US')} changes/s made)`],
      ['Measured for', `${elapsed.toFixed(1)} s; ${polls.toLocaleString('en-US')} polling rounds of ${SUBMODELS} \`GET …/$value\` (${((elapsed * 1000) / polls).toFixed(1)} ms a round)`],
      ['Lag source timestamp → visible via GET $value, p50', `${percentile(sorted, 0.5).toFixed(0)} ms`],
      ['Lag p99 (target ≤ 100 ms)', `${percentile(sorted, 0.99).toFixed(0)} ms`],
      ['Lag max', `${percentile(sorted, 1).toFixed(0)} ms (${lags.length.toLocaleString('en-US')} values observed)`],
      ['Updates lost (target 0)', `${lost} of ${produced.toLocaleString('en-US')} (received ${received.reduce((a, b) => a + b, 0).toLocaleString('en-US')})`],
      ['Properties not on their last value after the run', String(mismatched)],
      ['AAS server CPU', `${cpuPercent.toFixed(0)} % of one core`],
      ['AAS server RSS, peak', `${(rssPeak / 1024 ** 2).toFixed(0)} MiB`],
      ['Source process CPU (OPC UA server + changes)', `${sourceCpu.toFixed(0)} % of one core; tick p99 ${stopped.tick.p99Ms.toFixed(2)} ms, at most ${stopped.behindMaxMs.toFixed(0)} ms behind`],
    ];
    const table = ['| Measure | Result |', '|---|---|', ...rows.map(([a, b]) => `| ${a} | ${b} |`)].join('\n');
    const output = `Run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC · Node ${process.version}\n\n${table}`;
    process.stdout.write(`${output}\n`);
    if (!args['no-readme']) replaceReadmeSection(README, 'opcua', output);
  } finally {
    source?.send({ type: 'exit' });
    await children.stopAll();
    rmSync(workDir, { recursive: true, force: true });
  }
}

await main();
