/**
 * The benchmark run. Seeds two data directories (1,000 and 100,000 small submodels) through the store API in
 * child processes, then runs three phases, each against fresh child processes: the built AAS server (dist/) and a
 * raw node:http server that answers with the very bytes captured from it. autocannon loads them from this
 * process, over loopback only.
 *
 * 1. GET /submodels/{id} of a 50-element submodel (POSTed first: must be 201): AAS server vs raw server.
 * 2. GET /submodels?limit=100, first page: AAS server on 1k vs on 100k, then the two raw servers.
 * 3. The same for the middle page, reached by following the server's own cursors.
 * 4. PATCH …/{idShortPath}/$value of the last Property of a 10-element and of a 10,000-element submodel.
 * Compared targets are measured in alternating rounds (load.ts). Targets: the single GET at ≥ 0.5× the raw
 * server's requests/s; list latency (mean and p99) at 100k ≤ 1.5× at 1k; the PATCH on 10,000 elements within 3×
 * of the PATCH on 10 (mean latency and requests/s).
 *
 * Usage (after `npm run build`): node --import tsx bench/run.ts [--quick] [--cpu-prof] [--no-readme]
 *   --quick      1k vs 10k, 4 s per target; for trying the harness, never written to the README
 *   --cpu-prof   runs the AAS servers under `node --cpu-prof` and summarises their self time during the timed
 *                load; the figures are distorted by the profiler, so only the README's profile section is written
 * Temporary directories and child processes are removed on every exit, also on failure or Ctrl-C.
 */
import { deepStrictEqual } from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { encodeId } from '../src/model/identifiers.js';
import {
  BASE_PATH,
  PROJECT_DIR,
  SERVER_ENTRY,
  capture,
  cleanEnvironment,
  startAasServer,
  startRawServer,
  type Capture,
  type RunningChild,
} from './bench-servers.js';
import { ChildProcesses } from './child-processes.js';
import { summariseCpuProfile } from './cpu-profile-summary.js';
import { measure, measurePair, type LoadOptions, type LoadResult, type TimeWindow } from './load.js';
import {
  machineLine,
  measurementsTable,
  profileMarkdown,
  replaceReadmeSection,
  targetsTable,
  type ScenarioResult,
  type Target,
} from './results-report.js';
import { countElements, fiftyElementSubmodel, smallSubmodelId } from './submodel-fixtures.js';

const PAGE_LIMIT = 100;
const LARGE_SUBMODEL_ID = 'urn:example:bench:technical-data:robot-arm-7';
const README = join(PROJECT_DIR, 'bench', 'README.md');

interface Dataset {
  count: number;
  dir: string;
  /** Submodels added over HTTP during the run (the 50-element one). */
  extra: number;
}

type Prepared = { path: string; response: Capture };

const log = (message: string) => process.stderr.write(`${message}\n`);
const count = (n: number) => n.toLocaleString('en-US');
const stored = (d: Dataset) => d.count + d.extra;

function expectStatus(c: Capture, status: number, what: string): void {
  if (c.status !== status) throw new Error(`${what}: expected ${status}, got ${c.status}: ${c.body.toString('utf8').slice(0, 2000)}`);
}

/** POSTs the 50-element submodel (must be 201 under strict validation), then captures its GET. */
async function prepareSingleGet(origin: string, dataset: Dataset): Promise<Prepared> {
  const doc = fiftyElementSubmodel(LARGE_SUBMODEL_ID);
  if (countElements(doc.submodelElements) !== 50) throw new Error('the large submodel must have 50 elements');
  const posted = await capture(`${origin}${BASE_PATH}/submodels`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(doc),
  });
  expectStatus(posted, 201, 'POST of the 50-element submodel');
  dataset.extra += 1;
  const path = `${BASE_PATH}/submodels/${encodeId(LARGE_SUBMODEL_ID)}`;
  const response = await capture(origin + path);
  expectStatus(response, 200, 'GET of the 50-element submodel right after its POST');
  deepStrictEqual(JSON.parse(response.body.toString('utf8')), doc, 'GET must return the posted submodel');
  return { path, response };
}

/** Follows the server's cursors from the first page to page `index` (0-based) and checks the page's ids. */
async function preparePage(origin: string, index: number): Promise<Prepared> {
  let path = `${BASE_PATH}/submodels?limit=${PAGE_LIMIT}`;
  for (let page = 0; ; page++) {
    const response = await capture(origin + path);
    expectStatus(response, 200, `GET ${path}`);
    const body = JSON.parse(response.body.toString('utf8')) as { paging_metadata: { cursor?: string }; result: { id: string }[] };
    if (page === index) {
      const expected = Array.from({ length: PAGE_LIMIT }, (_, i) => smallSubmodelId(index * PAGE_LIMIT + i + 1));
      deepStrictEqual(body.result.map((sm) => sm.id), expected, `page ${index} must hold the next ${PAGE_LIMIT} ids`);
      return { path, response };
    }
    const cursor = body.paging_metadata.cursor;
    if (!cursor) throw new Error(`the list ended after page ${page}, before page ${index}`);
    path = `${BASE_PATH}/submodels?limit=${PAGE_LIMIT}&cursor=${encodeURIComponent(cursor)}`;
  }
}

function newestModification(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

function checkBuild(): void {
  let built: number;
  try {
    built = statSync(SERVER_ENTRY).mtimeMs;
  } catch {
    throw new Error(`${SERVER_ENTRY} is missing: run \`npm run build\` first`);
  }
  if (newestModification(join(PROJECT_DIR, 'src')) > built) {
    log('warning: src/ has changed since dist/ was built; the run measures the older build (run `npm run build`)');
  }
}

/** What every phase needs. */
interface Run {
  children: ChildProcesses;
  workDir: string;
  load: LoadOptions;
  /** Set with --cpu-prof: AAS servers run under the profiler, raw servers are not measured. */
  profile: boolean;
  profiles: string[];
  servers: number;
}

interface AasServer extends RunningChild {
  profileDir?: string;
}

async function startServerOn(run: Run, dataset: Dataset): Promise<AasServer> {
  const profileDir = run.profile ? join(run.workDir, `cpu-profile-${run.servers++}`) : undefined;
  const server = await startAasServer(run.children, dataset.dir, { cpuProfileDir: profileDir });
  return { ...server, profileDir };
}

/** Stops the server; under --cpu-prof, summarises its profile over the timed load windows. */
async function stopServer(run: Run, server: AasServer, title: string, windows: TimeWindow[]): Promise<void> {
  await run.children.stop(server.child);
  if (!server.profileDir) return;
  const file = readdirSync(server.profileDir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no CPU profile was written into ${server.profileDir}`);
  run.profiles.push(profileMarkdown(title, summariseCpuProfile(join(server.profileDir, file), windows)));
}

/** Serves each prepared response from its own raw server and measures the two as a pair (not when profiling). */
async function rawPair(run: Run, prepared: Prepared[]): Promise<(LoadResult | undefined)[]> {
  if (run.profile) return prepared.map(() => undefined);
  const raws: RunningChild[] = [];
  for (const p of prepared) raws.push(await startRawServer(run.children, run.workDir, { [p.path]: p.response }));
  log('  raw node:http servers…');
  const results = await measurePair(raws[0].origin + prepared[0].path, raws[1].origin + prepared[1].path, run.load);
  for (const raw of raws) await run.children.stop(raw.child);
  return results;
}

/** Phase 1: GET of the 50-element submodel, AAS server against raw server. */
async function singleGetPhase(run: Run, dataset: Dataset): Promise<ScenarioResult> {
  const title = 'GET /submodels/{id} (50 elements)';
  const server = await startServerOn(run, dataset);
  const { path, response } = await prepareSingleGet(server.origin, dataset);
  log(`${title}, ${count(stored(dataset))} stored…`);
  let serverLoad: LoadResult;
  let rawLoad: LoadResult | undefined;
  if (run.profile) {
    serverLoad = await measure(server.origin + path, run.load);
  } else {
    const raw = await startRawServer(run.children, run.workDir, { [path]: response });
    [serverLoad, rawLoad] = await measurePair(server.origin + path, raw.origin + path, run.load);
    await run.children.stop(raw.child);
  }
  await stopServer(run, server, `${title}, ${count(stored(dataset))} stored`, serverLoad.windows);
  return { title, stored: stored(dataset), bodyBytes: response.body.length, server: serverLoad, raw: rawLoad };
}

/** Phases 2 and 3: one list page at both data set sizes, then the same bytes from raw servers. */
async function pagePhase(run: Run, title: string, pageIndex: (d: Dataset) => number, datasets: Dataset[]): Promise<ScenarioResult[]> {
  const servers: AasServer[] = [];
  const prepared: Prepared[] = [];
  for (const dataset of datasets) {
    const server = await startServerOn(run, dataset);
    servers.push(server);
    prepared.push(await preparePage(server.origin, pageIndex(dataset)));
  }
  log(`${title}, ${datasets.map((d) => count(stored(d))).join(' vs ')} stored: AAS servers…`);
  const serverLoads = await measurePair(servers[0].origin + prepared[0].path, servers[1].origin + prepared[1].path, run.load);
  const rawLoads = await rawPair(run, prepared);
  const results: ScenarioResult[] = [];
  for (const [i, dataset] of datasets.entries()) {
    await stopServer(run, servers[i], `${title}, ${count(stored(dataset))} stored`, serverLoads[i].windows);
    results.push({ title, stored: stored(dataset), bodyBytes: prepared[i].response.body.length, server: serverLoads[i], raw: rawLoads[i] });
  }
  return results;
}

/** A submodel of `n` xs:int Properties P0…P{n-1}, each with a semanticId, as a realistic flat data submodel. */
function flatSubmodel(id: string, n: number) {
  return {
    modelType: 'Submodel',
    id,
    idShort: 'Flat',
    submodelElements: Array.from({ length: n }, (_, i) => ({
      modelType: 'Property',
      idShort: `P${i}`,
      semanticId: { type: 'ExternalReference', keys: [{ type: 'GlobalReference', value: `urn:example:bench:cd:p${i}` }] },
      valueType: 'xs:int',
      value: String(i),
    })),
  };
}

/** Phase 4: PATCH $value of one Property in a 10- and in a 10,000-element submodel, measured as a pair. */
async function patchValuePhase(run: Run, dataset: Dataset): Promise<ScenarioResult[]> {
  const server = await startServerOn(run, dataset);
  const sizes = [10, 10_000];
  const requests: { url: string; method: 'PATCH'; body: string; bytes: number }[] = [];
  for (const n of sizes) {
    const doc = flatSubmodel(`urn:example:bench:flat:${n}`, n);
    const body = JSON.stringify(doc);
    const posted = await capture(`${server.origin}${BASE_PATH}/submodels`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    expectStatus(posted, 201, `POST of the ${n}-element submodel`);
    dataset.extra += 1;
    const url = `${server.origin}${BASE_PATH}/submodels/${encodeId(doc.id)}/submodel-elements/P${n - 1}/$value`;
    const patched = await capture(url, { method: 'PATCH', headers: { 'Content-Type': 'application/json' }, body: '4242' });
    expectStatus(patched, 204, `PATCH $value in the ${n}-element submodel`);
    const read = await capture(url);
    if (read.body.toString('utf8') !== '4242') throw new Error(`PATCH $value did not land in the ${n}-element submodel`);
    requests.push({ url, method: 'PATCH', body: '4242', bytes: body.length });
  }
  const title = (n: number) => `PATCH …/{path}/$value, ${count(n)}-element submodel`;
  log(`${title(sizes[0])} vs ${count(sizes[1])}…`);
  const loads = await measurePair(requests[0], requests[1], run.load);
  await stopServer(run, server, 'PATCH …/{path}/$value', [...loads[0].windows, ...loads[1].windows]);
  return sizes.map((n, i) => ({ title: title(n), stored: stored(dataset), bodyBytes: requests[i].bytes, server: loads[i] }));
}

function targets(results: ScenarioResult[]): Target[] {
  const [single, firstSmall, firstLarge, middleSmall, middleLarge, patchSmall, patchLarge] = results;
  const out: Target[] = [];
  if (single.raw) {
    out.push({ what: 'GET /submodels/{id}: server ÷ raw req/s', ratio: single.server.requestsPerSecond / single.raw.requestsPerSecond, limit: 0.5, kind: 'min' });
  }
  const sizes = `${count(firstLarge.stored)} ÷ ${count(firstSmall.stored)} stored`;
  for (const [page, little, big] of [['First page', firstSmall, firstLarge], ['Middle page', middleSmall, middleLarge]] as const) {
    out.push(
      { what: `${page}: mean latency ${sizes}`, ratio: big.server.meanMs / little.server.meanMs, limit: 1.5, kind: 'max' },
      { what: `${page}: p99 latency ${sizes}`, ratio: big.server.p99Ms / little.server.p99Ms, limit: 1.5, kind: 'max' },
    );
  }
  out.push(
    { what: 'PATCH $value: mean latency 10,000 ÷ 10 elements', ratio: patchLarge.server.meanMs / patchSmall.server.meanMs, limit: 3, kind: 'max' },
    { what: 'PATCH $value: req/s 10 ÷ 10,000 elements', ratio: patchSmall.server.requestsPerSecond / patchLarge.server.requestsPerSecond, limit: 3, kind: 'max' },
  );
  return out;
}

async function seed(run: Run, datasets: Dataset[]): Promise<void> {
  log(`seeding ${datasets.map((d) => count(d.count)).join(' and ')} submodels through the store API…`);
  const script = join(PROJECT_DIR, 'bench', 'seed-store.ts');
  const outputs = await Promise.all(
    datasets.map((d) => run.children.run(`seeding ${d.count}`, ['--import', 'tsx', script, d.dir, String(d.count)], cleanEnvironment())),
  );
  for (const output of outputs) {
    const report = JSON.parse(output.trim().split('\n').pop() ?? '{}') as { count: number; storedWhenAcknowledged: number; ms: number };
    log(`  ${count(report.count)} stored in ${report.ms} ms`);
    if (report.storedWhenAcknowledged !== report.count) {
      log(`  STORE BUG: only ${report.storedWhenAcknowledged} of ${report.count} submodels were readable when store.write() had resolved`);
    }
  }
}

async function main(children: ChildProcesses, workDir: string): Promise<void> {
  const { values } = parseArgs({
    options: { quick: { type: 'boolean' }, 'cpu-prof': { type: 'boolean' }, 'no-readme': { type: 'boolean' } },
  });
  const quick = values.quick === true;
  const run: Run = {
    children,
    workDir,
    load: quick ? { connections: 10, durationSeconds: 4, warmupSeconds: 1 } : { connections: 10, durationSeconds: 10, warmupSeconds: 3 },
    profile: values['cpu-prof'] === true,
    profiles: [],
    servers: 0,
  };
  checkBuild();
  const small: Dataset = { count: 1_000, dir: join(workDir, 'data-small'), extra: 0 };
  const large: Dataset = { count: quick ? 10_000 : 100_000, dir: join(workDir, 'data-large'), extra: 0 };
  await seed(run, [small, large]);

  const results = [
    await singleGetPhase(run, small),
    ...(await pagePhase(run, `GET /submodels?limit=${PAGE_LIMIT} (first page)`, () => 0, [small, large])),
    ...(await pagePhase(run, `GET /submodels?limit=${PAGE_LIMIT}&cursor=… (middle page)`, (d) => Math.floor(d.count / PAGE_LIMIT / 2), [small, large])),
    ...(await patchValuePhase(run, small)),
  ];

  const machine = machineLine(run.load, new Date());
  const measured = measurementsTable(results);
  const output = run.profile
    ? [`Run under \`node --cpu-prof\` (figures distorted by the profiler): ${machine}`, measured, ...run.profiles].join('\n\n')
    : [`Run: ${machine}`, measured, targetsTable(targets(results))].join('\n\n');
  process.stdout.write(`\n${output}\n`);
  if (!quick && values['no-readme'] !== true) {
    replaceReadmeSection(README, run.profile ? 'profile' : 'results', output);
    log(`\nwritten into ${README}`);
  }
}

const children = new ChildProcesses(PROJECT_DIR);
const workDir = mkdtempSync(join(tmpdir(), 'aas-bench-'));
const removeWorkDir = () => rmSync(workDir, { recursive: true, force: true });
// Whatever ends the run, no child process and no temporary directory may outlive it.
process.on('exit', () => {
  children.killAllNow();
  removeWorkDir();
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`\n${signal}: stopping`);
    void children.stopAll().finally(() => process.exit(130));
  });
}
main(children, workDir)
  .catch((e: unknown) => {
    log(`benchmark failed: ${(e as Error).stack ?? String(e)}`);
    process.exitCode = 1;
  })
  .finally(async () => {
    await children.stopAll();
    removeWorkDir();
  });
