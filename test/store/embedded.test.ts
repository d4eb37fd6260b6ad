/**
 * The embedded (SQLite) store: the shared contract suite in temporary directories, plus what only this backend
 * promises (one process per data directory, the file name, reopening).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DataDirectoryInUse, openEmbeddedStore } from '../../src/store/embedded/sqlite-store.js';
import { storeContract } from './contract.js';
import { globalRef, submodel } from './contract-fixtures.js';

async function temporaryDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'aas-embedded-store-'));
}

storeContract('embedded SQLite', async () => {
  const dataDir = await temporaryDataDir();
  const store = await openEmbeddedStore({ dataDir });
  return {
    store,
    cleanup: async () => {
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
});

const TRY_OPEN = fileURLToPath(new URL('./fixtures/try-open-store.ts', import.meta.url));

/** Runs a separate node process that tries to open the store in `dataDir`; resolves with what it printed. */
function openInOtherProcess(dataDir: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', TRY_OPEN, dataDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

describe('embedded store specifics', () => {
  it('stores in <dataDir>/aas.sqlite, creating the directory, and keeps everything over a clean reopen', async () => {
    const parent = await temporaryDataDir();
    const dataDir = join(parent, 'nested', 'data');
    try {
      const doc = submodel('urn:m:kept', { idShort: 'Kept', semanticId: globalRef('urn:sem:kept') });
      const first = await openEmbeddedStore({ dataDir });
      await first.write([{ kind: 'submodels', op: 'create', doc }]);
      await first.close();
      assert.ok(existsSync(join(dataDir, 'aas.sqlite')));

      const second = await openEmbeddedStore({ dataDir });
      try {
        assert.deepEqual(await second.submodels.get('urn:m:kept'), doc);
        const bySemantic = await second.submodels.list({ semanticId: { keyValue: 'urn:sem:kept' } }, { limit: 5 });
        assert.deepEqual(bySemantic.items, [doc]);
        assert.equal(await second.isEmpty(), false);
      } finally {
        await second.close();
      }
    } finally {
      await rm(parent, { recursive: true, force: true });
    }
  });

  it('refuses a second store on one directory, in this process and in another, while the first is open', async () => {
    const dataDir = await temporaryDataDir();
    const first = await openEmbeddedStore({ dataDir });
    try {
      await assert.rejects(openEmbeddedStore({ dataDir }), DataDirectoryInUse);
      // the failed attempt above must not have loosened the first store's lock
      const other = await openInOtherProcess(dataDir);
      assert.notEqual(other.code, 0, other.output);
      assert.match(other.output, /DataDirectoryInUse/);
      assert.match(other.output, /locked by another process/);
      // and the first store still works
      await first.write([{ kind: 'submodels', op: 'create', doc: submodel('urn:m:1') }]);
      await first.ping();
    } finally {
      await first.close();
    }
    try {
      const other = await openInOtherProcess(dataDir);
      assert.equal(other.code, 0, other.output);
      assert.match(other.output, /opened; 1 submodel/);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('rejects ping after close', async () => {
    const dataDir = await temporaryDataDir();
    try {
      const store = await openEmbeddedStore({ dataDir });
      await store.ping();
      await store.close();
      await assert.rejects(store.ping());
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
