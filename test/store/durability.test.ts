/**
 * Durability of the embedded store: a writer process is killed with SIGKILL in the middle of a stream of
 * batches; on reopening, every batch it acknowledged is there and intact, and the batch it was writing is either
 * all there or not at all (store contract: write() resolves once the batch survives a crash).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openEmbeddedStore } from '../../src/store/embedded/sqlite-store.js';
import type { AasStore } from '../../src/store/store.js';
import { collectIds } from './contract-fixtures.js';
import {
  COUNTER_ID,
  DURABILITY_SEMANTIC_ID,
  counterShell,
  durabilityBatch,
  expectedSubmodels,
} from './fixtures/durability-batches.js';

const WRITER = fileURLToPath(new URL('./fixtures/durability-writer.ts', import.meta.url));

/**
 * Starts the writer at batch `first`, SIGKILLs it soon after it acknowledged `acksBeforeKill` batches, and
 * resolves with the last batch it acknowledged.
 */
function writeUntilKilled(
  dataDir: string,
  first: number,
  acksBeforeKill: number,
  killDelayMs: number,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dataDir, String(first)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let lastAcked = first - 1;
    let acks = 0;
    let stderr = '';
    let killed = false;
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^acked (\d+)$/.exec(line);
      if (!match) return;
      lastAcked = Number(match[1]);
      acks += 1;
      if (acks === acksBeforeKill && !killed) {
        killed = true;
        setTimeout(() => child.kill('SIGKILL'), killDelayMs);
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer ended by itself (code ${code}): ${stderr}`));
      else resolve(lastAcked);
    });
  });
}

/** The last batch whose effects the store shows, checking that the store shows exactly batches 0..that. */
async function verifyBatches(store: AasStore, lastAcked: number): Promise<number> {
  const counter = await store.shells.get(COUNTER_ID);
  assert.ok(counter !== undefined || lastAcked < 0, `acknowledged batch ${lastAcked} lost: no counter shell`);
  if (counter === undefined) {
    assert.equal(await store.submodels.count(), 0, 'submodels of an unacknowledged batch are half there');
    return -1;
  }
  const globalAssetId = (counter as unknown as { assetInformation: { globalAssetId: string } }).assetInformation
    .globalAssetId;
  const last = Number(/^urn:durability:batch:(\d+)$/.exec(globalAssetId)?.[1]);
  assert.ok(last >= lastAcked, `acknowledged batch ${lastAcked} lost: the store ends at batch ${last}`);
  assert.ok(last <= lastAcked + 1, `batch ${last} appeared though only ${lastAcked} was written last`);
  assert.deepEqual(counter, counterShell(last));

  // every document of batches 0..last is there and intact, nothing of a later (partial) batch is
  const expected = expectedSubmodels(last);
  const expectedIds = expected.map((doc) => doc.id);
  assert.equal(await store.submodels.count(), expected.length);
  assert.deepEqual(await collectIds(store.submodels, {}, 500), expectedIds);
  assert.deepEqual(await store.submodels.getMany(expectedIds), expected);
  // the side indexes agree with the documents
  const bySemantic = await collectIds(store.submodels, { semanticId: { keyValue: DURABILITY_SEMANTIC_ID } }, 500);
  assert.deepEqual(bySemantic, expectedIds);
  const byCounter = await store.shells.list(
    { assetIds: [{ name: 'globalAssetId', value: globalAssetId }] },
    { limit: 2 },
  );
  assert.deepEqual(byCounter.items.map((doc) => doc.id), [COUNTER_ID]);
  return last;
}

describe('embedded store durability', () => {
  it('keeps every acknowledged batch and no partial one across repeated kill -9 of the writer', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'aas-durability-'));
    try {
      let next = 0;
      // different kill points: right after an ack, and a little later (inside the next transaction or fsync)
      for (const [acksBeforeKill, killDelayMs] of [
        [25, 0],
        [40, 3],
        [15, 1],
      ]) {
        const lastAcked = await writeUntilKilled(dataDir, next, acksBeforeKill, killDelayMs);
        assert.ok(lastAcked >= next + acksBeforeKill - 1);
        const store = await openEmbeddedStore({ dataDir });
        try {
          next = (await verifyBatches(store, lastAcked)) + 1;
        } finally {
          await store.close();
        }
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('keeps everything over a clean close and reopen', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'aas-durability-'));
    try {
      const store = await openEmbeddedStore({ dataDir });
      for (let batch = 0; batch < 30; batch++) await store.write(durabilityBatch(batch));
      await store.close();
      const reopened = await openEmbeddedStore({ dataDir });
      try {
        assert.equal(await verifyBatches(reopened, 29), 29);
      } finally {
        await reopened.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
