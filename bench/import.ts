/**
 * Import throughput: how fast `npm run import` (the built `dist/cli/import.js`) takes a large package into a fresh
 * embedded store, and how much memory it needs doing so.
 *
 * The content is generated: N submodels (default 1,000) of 25 elements each (13 Properties of mixed xs types, a
 * MultiLanguageProperty, a File, a collection holding 5 Properties, a MultiLanguageProperty and a nested
 * collection of 2), N/10 shells referencing 10 submodels each, 200 concept descriptions (IEC 61360) that the
 * elements' semanticIds name, and 20 small PDF-like files the File elements point at. It is written four ways:
 * an AASX package with an XML AAS part and the files (`writeAasx`, the common case), the same environment as an
 * XML file and as a JSON file (no files: the importer reports them missing), and an empty JSON environment (the
 * fixed cost: process start, module loading, opening the store). Each runs in its own process on its own fresh
 * data directory, timed from spawn to exit; its peak RSS is the kernel's high-water mark (VmHWM in
 * /proc/<pid>/status) as read at the last of the samples taken every 20 ms (the maximum sampled VmRSS is printed
 * beside it). The four imports run in rounds (default 3), one of each per round, so that a slow stretch of a
 * shared machine falls on all of them; the table gives the median wall time and the highest peak RSS. After
 * every import the store is opened and checked: the counts, sample submodels equal to what was generated, and
 * for the package the attachments of a few File elements byte-for-byte.
 *
 * Usage (after `npm run build`): node --import tsx bench/import.ts [--submodels 1000] [--rounds 3] [--no-readme] [--cpu-prof]
 * `--cpu-prof` runs each import once more under `node --cpu-prof` and prints where its CPU time went.
 */
import assert from 'node:assert/strict';
import { createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { cpus, release, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { buffer as readAll } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { writeAasx } from '../src/interchange/aasx/index.js';
import { environmentToXml } from '../src/interchange/xml/index.js';
import { childElements } from '../src/model/element-tree.js';
import type { AssetAdministrationShell, ConceptDescription, Environment, Reference, Submodel, SubmodelElement } from '../src/model/types.js';
import { openEmbeddedStore } from '../src/store/embedded/sqlite-store.js';
import { cleanEnvironment, PROJECT_DIR } from './bench-servers.js';
import { ChildProcesses } from './child-processes.js';
import { summariseCpuProfile } from './cpu-profile-summary.js';
import { profileMarkdown, replaceReadmeSection } from './results-report.js';

const { values: args } = parseArgs({
  options: {
    submodels: { type: 'string', default: '1000' },
    'no-readme': { type: 'boolean', default: false },
    rounds: { type: 'string', default: '3' },
    'cpu-prof': { type: 'boolean', default: false },
  },
});
const ROUNDS = Number(args.rounds);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) throw new Error('--rounds must be a positive integer');
const SUBMODELS = Number(args.submodels);
if (!Number.isInteger(SUBMODELS) || SUBMODELS < 10) throw new Error('--submodels must be an integer of at least 10');
const SUBMODELS_PER_SHELL = 10;
const SHELLS = Math.ceil(SUBMODELS / SUBMODELS_PER_SHELL);
const CONCEPT_DESCRIPTIONS = 200;
const PACKAGE_FILES = 20;
const IMPORT_CLI = join(PROJECT_DIR, 'dist', 'cli', 'import.js');
const README = join(PROJECT_DIR, 'bench', 'README.md');
const SAMPLE_MS = 20;

// --- the content ---------------------------------------------------------------------------------------------

const cdId = (i: number) => `0173-1#02-BAF${String(100 + (i % CONCEPT_DESCRIPTIONS)).padStart(3, '0')}#001`;
const submodelId = (i: number) => `https://example.com/ids/sm/${String(i).padStart(5, '0')}`;
const filePath = (k: number) => `/aasx/files/6f1c0d7a-0000-4000-8000-${String(k).padStart(12, '0')}/manual-${k}.pdf`;
const external = (value: string): Reference => ({ type: 'ExternalReference', keys: [{ type: 'GlobalReference', value }] });
const en = (text: string) => [{ language: 'en', text }];
const enDe = (english: string, german: string) => [...en(english), { language: 'de', text: german }];

/** Deterministic bytes that do not compress, like the deflated streams of a real PDF. */
function pdfLikeBytes(k: number): Buffer {
  const body = Buffer.alloc(4096 + ((k * 7919) % 36) * 1024);
  let x = 0x9e3779b9 ^ (k + 1);
  for (let i = 0; i < body.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    body[i] = x & 0xff;
  }
  return Buffer.concat([Buffer.from(`%PDF-1.7\n% manual ${k}\n`, 'latin1'), body, Buffer.from('\n%%EOF\n', 'latin1')]);
}

/** A value valid for its xs type (the validator checks value against valueType), varied per submodel. */
const PROPERTY_KINDS: ReadonlyArray<readonly [string, string, (i: number) => string]> = [
  ['SerialNumber', 'xs:string', (i) => `SN-${String(i).padStart(6, '0')}`],
  ['YearOfConstruction', 'xs:int', (i) => String(2000 + (i % 25))],
  ['RatedPower', 'xs:double', (i) => `${(i % 97) + 0.25}`],
  ['Certified', 'xs:boolean', (i) => (i % 3 === 0 ? 'false' : 'true')],
  ['CommissionedAt', 'xs:dateTime', (i) => `2024-05-${String((i % 28) + 1).padStart(2, '0')}T12:30:00Z`],
  ['Weight', 'xs:decimal', (i) => `${1000 + (i % 500)}.5`],
  ['DateOfManufacture', 'xs:date', (i) => `2023-${String((i % 12) + 1).padStart(2, '0')}-20`],
  ['ProductPage', 'xs:anyURI', (i) => `https://example.com/products/${i}`],
  ['OperatingHours', 'xs:long', (i) => String(9_007_199_254_740_000 + i)],
  ['Tolerance', 'xs:float', () => '0.125'],
  ['MaxSpeed', 'xs:unsignedShort', (i) => String(i % 65536)],
  ['ServiceInterval', 'xs:duration', (i) => `P${(i % 11) + 1}M`],
  ['ManufacturerName', 'xs:string', () => 'Example Machines GmbH'],
];

function property(idShort: string, valueType: string, value: string, semantic: number): SubmodelElement {
  return { modelType: 'Property', idShort, semanticId: external(cdId(semantic)), valueType, value } as SubmodelElement;
}

/** 25 elements at all levels. */
function submodelElements(i: number): SubmodelElement[] {
  const elements = PROPERTY_KINDS.map(([idShort, valueType, value], k) => property(idShort, valueType, value(i), i + k));
  elements.push({ modelType: 'MultiLanguageProperty', idShort: 'ProductDesignation', semanticId: external(cdId(i + 13)), value: enDe(`Robot arm RA-${i}`, `Roboterarm RA-${i}`) } as SubmodelElement);
  elements.push({ modelType: 'File', idShort: 'OperatingManual', semanticId: external(cdId(i + 14)), contentType: 'application/pdf', value: filePath(i % PACKAGE_FILES) } as SubmodelElement);
  const address = [property('Latitude', 'xs:double', `${48 + (i % 100) / 100}`, i + 15), property('Longitude', 'xs:double', `${9 + (i % 100) / 100}`, i + 16)];
  const contact = [
    property('Company', 'xs:string', 'Example Machines GmbH', i + 17),
    property('Street', 'xs:string', `Industriestraße ${(i % 200) + 1}`, i + 18),
    property('Zipcode', 'xs:string', String(70000 + (i % 9999)), i + 19),
    property('CityTown', 'xs:string', 'Stuttgart', i + 20),
    property('Phone', 'xs:string', `+49 711 ${100000 + i}`, i + 21),
    { modelType: 'MultiLanguageProperty', idShort: 'RoleOfContactPerson', semanticId: external(cdId(i + 22)), value: enDe('Service', 'Kundendienst') } as SubmodelElement,
    { modelType: 'SubmodelElementCollection', idShort: 'Address', semanticId: external(cdId(i + 23)), value: address } as SubmodelElement,
  ];
  elements.push({ modelType: 'SubmodelElementCollection', idShort: 'ContactInformation', semanticId: external(cdId(i + 24)), value: contact } as SubmodelElement);
  return elements;
}

const SUBMODEL_KINDS = ['Nameplate', 'TechnicalData', 'Documentation', 'Maintenance', 'Identification', 'CarbonFootprint', 'OperationalData', 'Contacts', 'Capabilities', 'Bom'];

function submodel(i: number): Submodel {
  const kind = SUBMODEL_KINDS[i % SUBMODEL_KINDS.length];
  return {
    modelType: 'Submodel',
    id: submodelId(i),
    idShort: kind,
    description: en(`${kind} of machine ${Math.floor(i / SUBMODELS_PER_SHELL)}`),
    administration: { version: '1', revision: String(i % 10) },
    kind: 'Instance',
    semanticId: external(`https://admin-shell.io/bench/${kind}/1/0`),
    submodelElements: submodelElements(i),
  } as Submodel;
}

function shell(j: number): AssetAdministrationShell {
  const refs = Array.from({ length: SUBMODELS_PER_SHELL }, (_, k) => j * SUBMODELS_PER_SHELL + k).filter((i) => i < SUBMODELS);
  return {
    modelType: 'AssetAdministrationShell',
    id: `https://example.com/ids/aas/${String(j).padStart(5, '0')}`,
    idShort: `Machine${j}`,
    assetInformation: { assetKind: 'Instance', globalAssetId: `https://example.com/ids/asset/${j}`, specificAssetIds: [{ name: 'serialNumber', value: `SN-${j}` }] },
    submodels: refs.map((i) => ({ type: 'ModelReference', keys: [{ type: 'Submodel', value: submodelId(i) }] })),
  } as AssetAdministrationShell;
}

function conceptDescription(i: number): ConceptDescription {
  return {
    modelType: 'ConceptDescription',
    id: cdId(i),
    idShort: `Concept${i}`,
    embeddedDataSpecifications: [
      {
        dataSpecification: external('https://admin-shell.io/DataSpecificationTemplates/DataSpecificationIec61360/3/0'),
        dataSpecificationContent: { modelType: 'DataSpecificationIec61360', preferredName: enDe(`Concept ${i}`, `Begriff ${i}`), definition: en(`What concept ${i} means.`), dataType: 'STRING' },
      },
    ],
  } as ConceptDescription;
}

function generate(): { environment: Environment; files: Map<string, Buffer> } {
  const files = new Map(Array.from({ length: PACKAGE_FILES }, (_, k) => [filePath(k), pdfLikeBytes(k)] as const));
  const environment = {
    assetAdministrationShells: Array.from({ length: SHELLS }, (_, j) => shell(j)),
    submodels: Array.from({ length: SUBMODELS }, (_, i) => submodel(i)),
    conceptDescriptions: Array.from({ length: CONCEPT_DESCRIPTIONS }, (_, i) => conceptDescription(i)),
  } as Environment;
  return { environment, files };
}

function countElements(elements: readonly SubmodelElement[]): number {
  return elements.reduce((n, e) => n + 1 + countElements(childElements(e)), 0);
}

// --- one import in a child process ---------------------------------------------------------------------------

interface Variant {
  name: string;
  file: string;
  /** What the store must hold afterwards. */
  expect: { submodels: number; shells: number; conceptDescriptions: number; attachments: boolean };
}

interface Measurement {
  /** Spawn to exit; the median over the rounds in a table row. */
  wallMs: number;
  /** VmHWM at the last sample, bytes. */
  peakRss: number;
  maxSampledRss: number;
  samples: number;
}

/** VmRSS and VmHWM in bytes, or undefined once the process is gone (or a zombie, which has no memory lines). */
function memoryOf(pid: number): { rss: number; hwm: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
    const rss = kb('VmRSS');
    const hwm = kb('VmHWM');
    return Number.isFinite(rss) && Number.isFinite(hwm) ? { rss: rss * 1024, hwm: hwm * 1024 } : undefined;
  } catch {
    return undefined;
  }
}

async function runImport(children: ChildProcesses, file: string, dataDir: string, nodeFlags: string[] = []): Promise<Measurement> {
  const env = cleanEnvironment({ AAS_DATA_DIR: dataDir, AAS_STORE: 'embedded', AAS_VALIDATION: 'strict', AAS_LOG_LEVEL: 'warn' });
  const started = performance.now();
  const child = children.start('import', [...nodeFlags, IMPORT_CLI, file], env);
  const pid = child.process.pid!;
  // The summary's first line; the kept output is only the tail, which the list of missing files can fill.
  let head = '';
  child.process.stdout?.on('data', (chunk: Buffer) => {
    if (head.length < 4096) head += chunk.toString('utf8');
  });
  let peakRss = 0;
  let maxSampledRss = 0;
  let samples = 0;
  const sample = () => {
    const memory = memoryOf(pid);
    if (memory === undefined) return;
    samples++;
    peakRss = memory.hwm;
    maxSampledRss = Math.max(maxSampledRss, memory.rss);
  };
  sample();
  const timer = setInterval(sample, SAMPLE_MS);
  const code = await child.exited;
  const wallMs = performance.now() - started;
  clearInterval(timer);
  if (code !== 0) throw new Error(`import of ${file} exited with ${code}:\n${child.output().slice(-4000)}`);
  if (!/^added 1 file\(s\)/m.test(head)) throw new Error(`import of ${file} added nothing:\n${child.output().slice(-4000)}`);
  return { wallMs, peakRss, maxSampledRss, samples };
}

/** The store holds what the variant should have added; throws (assert) otherwise. */
async function verifyStore(dataDir: string, variant: Variant, content: { environment: Environment; files: Map<string, Buffer> }): Promise<string> {
  const store = await openEmbeddedStore({ dataDir });
  try {
    assert.equal(await store.submodels.count(), variant.expect.submodels, `${variant.name}: submodels`);
    assert.equal(await store.shells.count(), variant.expect.shells, `${variant.name}: shells`);
    assert.equal(await store.conceptDescriptions.count(), variant.expect.conceptDescriptions, `${variant.name}: concept descriptions`);
    if (variant.expect.submodels === 0) return 'empty, as imported';
    const sampleIds = [0, Math.floor(SUBMODELS / 2), SUBMODELS - 1];
    for (const i of sampleIds) assert.deepEqual(await store.submodels.get(submodelId(i)), content.environment.submodels![i], `${variant.name}: submodel ${i} as generated`);
    for (const i of sampleIds) {
      const key = { owner: { kind: 'submodels' as const, id: submodelId(i) }, name: filePath(i % PACKAGE_FILES) };
      const attachment = await store.attachments.get(key);
      if (!variant.expect.attachments) {
        attachment?.content.destroy();
        assert.equal(attachment, undefined, `${variant.name}: no attachment without files`);
        continue;
      }
      assert.ok(attachment, `${variant.name}: attachment of submodel ${i}`);
      assert.equal(attachment.contentType, 'application/pdf');
      assert.deepEqual(await readAll(attachment.content), content.files.get(key.name), `${variant.name}: attachment bytes of submodel ${i}`);
    }
    const files = variant.expect.attachments ? `, ${sampleIds.length} File attachments byte-equal` : '';
    return `${variant.expect.submodels} submodels, ${variant.expect.shells} shells, ${variant.expect.conceptDescriptions} CDs, ${sampleIds.length} submodels equal to the source${files}`;
  } finally {
    await store.close();
  }
}

// --- report --------------------------------------------------------------------------------------------------

const MiB = (bytes: number) => (bytes / 1024 ** 2).toFixed(0);
const thousands = (n: number) => Math.round(n).toLocaleString('en-US');
const seconds = (ms: number) => (ms / 1000).toFixed(2);

/** Median wall time and the highest peaks of several runs of one import. */
function overRounds(runs: readonly Measurement[]): Measurement {
  const walls = runs.map((r) => r.wallMs).sort((a, b) => a - b);
  const middle = walls.length >> 1;
  return {
    wallMs: walls.length % 2 === 1 ? walls[middle] : (walls[middle - 1] + walls[middle]) / 2,
    peakRss: Math.max(...runs.map((r) => r.peakRss)),
    maxSampledRss: Math.max(...runs.map((r) => r.maxSampledRss)),
    samples: Math.min(...runs.map((r) => r.samples)),
  };
}

function resultsMarkdown(rows: { variant: Variant; size: number; m: Measurement }[], elements: number, date: Date): string {
  const cpu = cpus();
  const lines = [
    `Run: ${date.toISOString().slice(0, 16).replace('T', ' ')} UTC · ${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'}) · ` +
      `Linux ${release()} · Node ${process.version} · embedded store, AAS_VALIDATION=strict · median of ${ROUNDS} round(s)`,
    '',
    `Content: ${thousands(SUBMODELS)} submodels with ${thousands(elements)} submodel elements (all levels), ${thousands(SHELLS)} shells, ` +
      `${CONCEPT_DESCRIPTIONS} concept descriptions; the package's ${PACKAGE_FILES} files become ${thousands(SUBMODELS)} attachments (one per File element).`,
    '',
    '| Imported file | Size | Wall time s | Elements/s | Submodels/s | Peak RSS MiB (VmHWM) | Max sampled RSS MiB |',
    '|---|--:|--:|--:|--:|--:|--:|',
  ];
  for (const { variant, size, m } of rows) {
    const empty = variant.expect.submodels === 0;
    const rate = (n: number) => (empty ? '–' : thousands(n / (m.wallMs / 1000)));
    lines.push(`| ${variant.name} | ${(size / 1024 ** 2).toFixed(2)} MiB | ${seconds(m.wallMs)} | ${rate(elements)} | ${rate(SUBMODELS)} | ${MiB(m.peakRss)} | ${MiB(m.maxSampledRss)} |`);
  }
  const wall = (name: string) => rows.find((r) => r.variant.name.startsWith(name))!.m.wallMs;
  const [aasx, xml, json, empty] = [wall('AASX'), wall('XML'), wall('JSON'), wall('Empty')];
  lines.push(
    '',
    '| Where the wall time goes (differences of the rows above) | s | share of the AASX import |',
    '|---|--:|--:|',
    ...([
      ['Process start, module loading, store open and close (empty environment)', empty],
      ['JSON parse, validation, document write (JSON − empty)', json - empty],
      ['XML parse instead of JSON parse (XML − JSON)', xml - json],
      ['Package read and attachments (AASX − XML)', aasx - xml],
    ] as const).map(([what, ms]) => `| ${what} | ${seconds(ms)} | ${((ms / aasx) * 100).toFixed(0)} % |`),
  );
  return lines.join('\n');
}

// --- the run -------------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  if (!existsSync(IMPORT_CLI)) throw new Error(`${IMPORT_CLI} is missing: run \`npm run build\` first`);
  const workDir = await mkdtemp(join(tmpdir(), 'aas-bench-import-'));
  const children = new ChildProcesses(PROJECT_DIR);
  const interrupted = () => children.killAllNow();
  process.once('exit', interrupted);
  try {
    const content = generate();
    const elements = content.environment.submodels!.reduce((n, sm) => n + countElements(sm.submodelElements ?? []), 0);
    const full = { submodels: SUBMODELS, shells: SHELLS, conceptDescriptions: CONCEPT_DESCRIPTIONS };
    const variants: Variant[] = [
      { name: `AASX package (XML part + ${PACKAGE_FILES} files)`, file: join(workDir, 'machines.aasx'), expect: { ...full, attachments: true } },
      { name: 'XML environment (no files)', file: join(workDir, 'machines.xml'), expect: { ...full, attachments: false } },
      { name: 'JSON environment (no files)', file: join(workDir, 'machines.json'), expect: { ...full, attachments: false } },
      { name: 'Empty JSON environment (fixed cost)', file: join(workDir, 'empty.json'), expect: { submodels: 0, shells: 0, conceptDescriptions: 0, attachments: false } },
    ];
    const source = async (reference: string) => {
      const bytes = content.files.get(reference);
      return bytes === undefined ? undefined : { content: Readable.from([bytes]), contentType: 'application/pdf' };
    };
    await pipeline(writeAasx(content.environment, source, { format: 'xml' }), createWriteStream(variants[0].file));
    await writeFile(variants[1].file, environmentToXml(content.environment));
    await writeFile(variants[2].file, `${JSON.stringify(content.environment, null, 2)}\n`);
    await writeFile(variants[3].file, '{}\n');
    process.stderr.write(`generated ${SUBMODELS} submodels (${elements} elements), ${SHELLS} shells, ${CONCEPT_DESCRIPTIONS} concept descriptions in ${workDir}\n`);

    const runs: Measurement[][] = variants.map(() => []);
    for (let round = 1; round <= ROUNDS; round++) {
      for (const [n, variant] of variants.entries()) {
        const dataDir = join(workDir, `data-${round}-${n}`);
        const m = await runImport(children, variant.file, dataDir);
        const checked = await verifyStore(dataDir, variant, content);
        await rm(dataDir, { recursive: true, force: true });
        process.stderr.write(`round ${round}, ${variant.name}: ${seconds(m.wallMs)} s, VmHWM ${MiB(m.peakRss)} MiB, max sampled VmRSS ${MiB(m.maxSampledRss)} MiB (${m.samples} samples); store checked: ${checked}\n`);
        runs[n].push(m);
      }
    }
    const rows = await Promise.all(variants.map(async (variant, n) => ({ variant, size: (await stat(variant.file)).size, m: overRounds(runs[n]) })));
    const output = resultsMarkdown(rows, elements, new Date());
    process.stdout.write(`${output}\n`);
    if (!args['no-readme']) replaceReadmeSection(README, 'import', output);

    if (args['cpu-prof']) {
      const profiles = join(workDir, 'profiles');
      await mkdir(profiles);
      for (const [n, variant] of variants.entries()) {
        const name = `import-${n}.cpuprofile`;
        const m = await runImport(children, variant.file, join(workDir, `profiled-${n}`), ['--cpu-prof', '--cpu-prof-dir', profiles, '--cpu-prof-name', name]);
        const title = `${variant.name}, under --cpu-prof: ${seconds(m.wallMs)} s`;
        process.stdout.write(`\n${profileMarkdown(title, summariseCpuProfile(join(profiles, name), [], 20))}\n`);
      }
    }
  } finally {
    await children.stopAll();
    process.off('exit', interrupted);
    await rm(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
