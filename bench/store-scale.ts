/**
 * Scale sanity of the embedded store (not part of `npm test`; it takes about a minute):
 *   node --import tsx bench/store-scale.ts [count=100000] [batch=500]
 * Inserts `count` small submodels and `count` small shells in batches, and times keyset pages at 1k and at
 * `count` documents, filtered pages, and reads by id. Prints one JSON line per measurement. Paging cost should
 * not grow with the collection (keyset paging on indexes); compare `page-1k` with `page-full`.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEmbeddedStore } from '../src/store/embedded/sqlite-store.js';
import type { AasStore, WriteOp } from '../src/store/store.js';
import { globalRef, shell, submodel } from '../test/store/contract-fixtures.js';

const total = Number(process.argv[2] ?? 100_000);
const batchSize = Number(process.argv[3] ?? 500);

function submodelId(i: number): string {
  return `https://example.com/ids/sm/${String((i * 7919) % total).padStart(7, '0')}/${i}`;
}
function shellId(i: number): string {
  return `https://example.com/ids/aas/${String((i * 104729) % total).padStart(7, '0')}/${i}`;
}

/** Half the submodels share one semanticId (an unselective filter); the rest spread over 1000 others. */
function submodelAt(i: number): WriteOp {
  const semanticId = i % 2 === 0 ? globalRef('urn:sem:common') : globalRef(`urn:sem:type:${i % 1000}`);
  return { kind: 'submodels', op: 'create', doc: submodel(submodelId(i), { idShort: `Sm${i % 50}`, semanticId }) };
}

/** Every shell has its own globalAssetId and a manufacturer (shared by all); one in 1000 is on line L7. */
function shellAt(i: number): WriteOp {
  const specificAssetIds = [{ name: 'manufacturer', value: 'ACME' }];
  if (i % 1000 === 7) specificAssetIds.push({ name: 'line', value: 'L7' });
  const doc = shell(shellId(i), { idShort: `Aas${i % 50}`, globalAssetId: `urn:asset:${i}`, specificAssetIds });
  return { kind: 'shells', op: 'create', doc };
}

async function insert(store: AasStore, from: number, to: number, opAt: (i: number) => WriteOp): Promise<number> {
  const start = performance.now();
  for (let i = from; i < to; i += batchSize) {
    const ops: WriteOp[] = [];
    for (let j = i; j < Math.min(to, i + batchSize); j++) ops.push(opAt(j));
    await store.write(ops);
  }
  return performance.now() - start;
}

/** Median and 95th percentile (ms) of `runs` calls of `fn(run)`. */
async function time(runs: number, fn: (run: number) => Promise<unknown>): Promise<{ medianMs: number; p95Ms: number }> {
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const start = process.hrtime.bigint();
    await fn(run);
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  samples.sort((a, b) => a - b);
  const at = (q: number) => Number(samples[Math.min(samples.length - 1, Math.floor(q * samples.length))].toFixed(3));
  return { medianMs: at(0.5), p95Ms: at(0.95) };
}

function report(name: string, values: object): void {
  console.log(JSON.stringify({ name, ...values }));
}

/**
 * Walks the whole collection in pages of 1000 (timed), then times `list({}, {limit: 100, after})` from 200
 * cursors spread over the stored ids, each of them followed by at least 100 documents.
 */
async function timePages(store: AasStore, stored: number, label: string): Promise<void> {
  const ids: string[] = [];
  const walkStart = performance.now();
  for (let after: string | undefined; ; ) {
    const page = await store.submodels.list({}, after === undefined ? { limit: 1000 } : { limit: 1000, after });
    ids.push(...page.items.map((doc) => doc.id));
    if (page.next === undefined) break;
    after = page.next;
  }
  const walkMs = Math.round(performance.now() - walkStart);
  if (ids.length !== stored) throw new Error(`walked ${ids.length} of ${stored} documents`);
  const cursors = Array.from({ length: 200 }, (_, run) => ids[Math.floor((run * (stored - 100)) / 200)]);
  const result = await time(cursors.length, async (run) => {
    const page = await store.submodels.list({}, { limit: 100, after: cursors[run] });
    if (page.items.length !== 100) throw new Error('short page');
  });
  report(label, { stored, limit: 100, ...result, fullWalkMs: walkMs });
}

const dataDir = await mkdtemp(join(tmpdir(), 'aas-scale-'));
const store = await openEmbeddedStore({ dataDir });
try {
  const firstThousand = Math.min(1000, total);
  await insert(store, 0, firstThousand, submodelAt);
  await timePages(store, firstThousand, 'page-1k');

  const submodelMs = await insert(store, firstThousand, total, submodelAt);
  report('insert-submodels', { count: total - firstThousand, batchSize, ms: Math.round(submodelMs) });
  const shellMs = await insert(store, 0, total, shellAt);
  report('insert-shells', { count: total, batchSize, ms: Math.round(shellMs) });

  await timePages(store, total, 'page-full');
  const common = { semanticId: { reference: globalRef('urn:sem:common') } };
  const rare = { semanticId: { reference: globalRef('urn:sem:type:123') } };
  const pageOf = async (list: () => Promise<{ items: unknown[] }>, label: string, extra: object = {}) =>
    report(label, { stored: total, ...(await time(100, list)), items: (await list()).items.length, ...extra });

  await pageOf(() => store.submodels.list(common, { limit: 100 }), 'filter-semanticId-50%');
  const middle = submodelId(total / 2);
  await pageOf(() => store.submodels.list(common, { limit: 100, after: middle }), 'filter-semanticId-50%-mid');
  await pageOf(() => store.submodels.list(rare, { limit: 100 }), 'filter-semanticId-0.1%');
  const rareKey = { semanticId: { keyValue: 'urn:sem:type:123' } };
  await pageOf(() => store.submodels.list(rareKey, { limit: 100 }), 'filter-keyValue-0.1%');
  // Sm8 is on 2% of the submodels, all of them even (common semanticId); Sm7 only on odd ones (none match)
  await pageOf(() => store.submodels.list({ idShort: 'Sm8', ...common }, { limit: 100 }), 'filter-idShort+semanticId');
  await pageOf(
    () => store.submodels.list({ idShort: 'Sm7', ...common }, { limit: 100 }),
    'filter-idShort+semanticId-disjoint',
  );
  const unique = [{ name: 'globalAssetId', value: `urn:asset:${total - 3}` }];
  await pageOf(() => store.shells.list({ assetIds: unique }, { limit: 100 }), 'filter-assetIds-unique');
  const manufacturer = { name: 'manufacturer', value: 'ACME' };
  await pageOf(() => store.shells.list({ assetIds: [manufacturer] }, { limit: 100 }), 'filter-assetIds-100%');
  const commonAndRare = [manufacturer, { name: 'line', value: 'L7' }];
  await pageOf(() => store.shells.list({ assetIds: commonAndRare }, { limit: 100 }), 'filter-assetIds-100%-and-0.1%');
  const threeCriteria = [...commonAndRare, ...unique];
  await pageOf(() => store.shells.list({ assetIds: threeCriteria }, { limit: 100 }), 'filter-assetIds-3-criteria');

  report('get', { stored: total, ...(await time(1000, (run) => store.submodels.get(submodelId((run * 31) % total)))) });
  const ids = Array.from({ length: 100 }, (_, i) => submodelId((i * 997) % total));
  report('getMany-100', { stored: total, ...(await time(100, () => store.submodels.getMany(ids))) });
  report('count', { stored: total, ...(await time(20, () => store.submodels.count())) });
  const file = await stat(join(dataDir, 'aas.sqlite'));
  report('file', { megabytes: Math.round(file.size / 1e5) / 10 });
} finally {
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
}
