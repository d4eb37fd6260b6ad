/**
 * Child process: fills an empty data directory with `count` small submodels through the store API (HTTP would
 * take minutes for 100,000), then closes the store so a server can open the directory.
 *
 * Usage: node --import tsx bench/seed-store.ts <dataDir> <count>
 * Prints one JSON line: { count, stored, storedWhenAcknowledged, ms }.
 *
 * Every document goes through the project's strict validator first, so the benchmark never measures data the
 * server would have refused. `storedWhenAcknowledged` is the count right after the last write resolved: the
 * store contract says a resolved write is applied and durable, so anything less is a store bug worth reporting
 * (the seeding then waits for the count instead of silently benchmarking a partial data set).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { openEmbeddedStore } from '../src/store/embedded/sqlite-store.js';
import type { WriteOp } from '../src/store/store.js';
import { Validator } from '../src/validation/validator.js';
import { smallSubmodel } from './submodel-fixtures.js';

const BATCH = 1000;
const SETTLE_TIMEOUT_MS = 60_000;

async function seed(dataDir: string, count: number): Promise<void> {
  const started = performance.now();
  const validator = new Validator('strict');
  const store = await openEmbeddedStore({ dataDir });
  try {
    if (!(await store.isEmpty())) throw new Error(`${dataDir} is not empty`);
    for (let first = 1; first <= count; first += BATCH) {
      const ops: WriteOp[] = [];
      for (let i = first; i < Math.min(first + BATCH, count + 1); i++) {
        const doc = smallSubmodel(i);
        validator.validate('Submodel', doc);
        ops.push({ kind: 'submodels', op: 'create', doc });
      }
      await store.write(ops);
    }
    const storedWhenAcknowledged = await store.submodels.count();
    let stored = storedWhenAcknowledged;
    const deadline = Date.now() + SETTLE_TIMEOUT_MS;
    while (stored < count && Date.now() < deadline) {
      await sleep(20);
      stored = await store.submodels.count();
    }
    if (stored !== count) throw new Error(`expected ${count} stored submodels, found ${stored}`);
    const ms = Math.round(performance.now() - started);
    process.stdout.write(`${JSON.stringify({ count, stored, storedWhenAcknowledged, ms })}\n`);
  } finally {
    await store.close();
  }
}

const [dataDir, countArg] = process.argv.slice(2);
const count = Number(countArg);
if (!dataDir || !Number.isSafeInteger(count) || count < 1) {
  process.stderr.write('usage: seed-store.ts <dataDir> <count>\n');
  process.exit(2);
}
seed(dataDir, count).catch((e: unknown) => {
  process.stderr.write(`seeding failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
