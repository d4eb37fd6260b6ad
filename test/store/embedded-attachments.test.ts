/**
 * What only the embedded store promises about attachments: the bytes are files under <dataDir>/attachments/,
 * they survive a reopen, and whatever a crash leaves (staging files, files no row names) is removed at open.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { openEmbeddedStore } from '../../src/store/embedded/sqlite-store.js';
import type { AttachmentOwner } from '../../src/store/store.js';

const WRITER = fileURLToPath(new URL('./fixtures/attachment-writer.ts', import.meta.url));
const OWNER: AttachmentOwner = { kind: 'submodels', id: 'urn:example:sm:crash' };
const META = { contentType: 'text/plain', fileName: 'notes.txt' };

async function withDataDir(run: (dataDir: string) => Promise<void>): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'aas-attachments-'));
  try {
    await run(dataDir);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The files in attachments/ (not the staging folder) and in attachments/staging/. */
async function files(dataDir: string): Promise<{ stored: string[]; staging: string[] }> {
  const dir = join(dataDir, 'attachments');
  return {
    stored: (await readdir(dir)).filter((f) => f !== 'staging'),
    staging: await readdir(join(dir, 'staging')),
  };
}

/** Runs the writer fixture and SIGKILLs it while it is in the middle of staging an upload. */
function crashWhileStaging(dataDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line === 'staging') setTimeout(() => child.kill('SIGKILL'), 20);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`writer ended by itself (${code}): ${stderr}`))));
  });
}

describe('embedded store: attachment files', () => {
  it('keeps one file per attachment under <dataDir>/attachments/, over a reopen; delete removes the file', async () => {
    await withDataDir(async (dataDir) => {
      const first = await openEmbeddedStore({ dataDir });
      await first.attachments.put({ owner: OWNER, name: 'a' }, Readable.from([Buffer.from('alpha')]), META, 100);
      await first.attachments.put({ owner: OWNER, name: 'b' }, Readable.from([Buffer.from('beta')]), META, 100);
      // a replaced attachment leaves no second file behind
      await first.attachments.put({ owner: OWNER, name: 'b' }, Readable.from([Buffer.from('beta 2')]), META, 100);
      await first.close();
      assert.equal((await files(dataDir)).stored.length, 2);

      const second = await openEmbeddedStore({ dataDir });
      try {
        const b = await second.attachments.get({ owner: OWNER, name: 'b' });
        const chunks: Buffer[] = [];
        for await (const chunk of b!.content) chunks.push(chunk as Buffer);
        assert.equal(Buffer.concat(chunks).toString(), 'beta 2');
        await second.attachments.delete({ owner: OWNER, name: 'a' });
        assert.equal((await files(dataDir)).stored.length, 1);
      } finally {
        await second.close();
      }
    });
  });

  it('a download opened before a delete still reads to its end', async () => {
    await withDataDir(async (dataDir) => {
      const store = await openEmbeddedStore({ dataDir });
      try {
        await store.attachments.put({ owner: OWNER, name: 'x' }, Readable.from([Buffer.alloc(200_000, 7)]), META, 1 << 20);
        const open = await store.attachments.get({ owner: OWNER, name: 'x' });
        await store.attachments.delete({ owner: OWNER, name: 'x' });
        let size = 0;
        for await (const chunk of open!.content) size += (chunk as Buffer).length;
        assert.equal(size, 200_000);
      } finally {
        await store.close();
      }
    });
  });

  it('removes at open what a crash leaves: staging files, files no row names, rows whose file is gone', async () => {
    await withDataDir(async (dataDir) => {
      const first = await openEmbeddedStore({ dataDir });
      await first.attachments.put({ owner: OWNER, name: 'kept' }, Readable.from([Buffer.from('kept')]), META, 100);
      await first.attachments.put({ owner: OWNER, name: 'lost' }, Readable.from([Buffer.from('lost')]), META, 100);
      await first.close();
      const dir = join(dataDir, 'attachments');
      const [keptFile, lostFile] = await (async () => {
        const db = new Database(join(dataDir, 'aas.sqlite'), { readonly: true });
        try {
          const file = (name: string) => db.prepare('SELECT file FROM attachments WHERE name = ?').pluck().get(name) as string;
          return [file('kept'), file('lost')];
        } finally {
          db.close();
        }
      })();
      await writeFile(join(dir, 'staging', 'half-written'), 'partial upload'); // crash while staging
      await writeFile(join(dir, 'renamed-not-recorded'), 'bytes'); // crash between rename and row
      await rm(join(dir, lostFile)); // a row whose file is gone (only by tampering)

      const second = await openEmbeddedStore({ dataDir });
      try {
        assert.deepEqual(await files(dataDir), { stored: [keptFile], staging: [] });
        assert.deepEqual(await second.attachments.names(OWNER), ['kept']);
        assert.equal(await second.attachments.get({ owner: OWNER, name: 'lost' }), undefined);
      } finally {
        await second.close();
      }
    });
  });

  it('after SIGKILL in the middle of an upload: the committed attachment is intact, nothing else is left', async () => {
    await withDataDir(async (dataDir) => {
      await crashWhileStaging(dataDir);
      const before = await files(dataDir);
      assert.equal(before.staging.length, 1, 'the interrupted upload left its staging file (what this test is about)');
      const store = await openEmbeddedStore({ dataDir });
      try {
        assert.deepEqual(await store.attachments.names(OWNER), ['committed']);
        const got = await store.attachments.get({ owner: OWNER, name: 'committed' });
        assert.equal(got?.size, 4096);
        got!.content.destroy();
        const after = await files(dataDir);
        assert.equal(after.staging.length, 0);
        assert.equal(after.stored.length, 1);
      } finally {
        await store.close();
      }
    });
  });

  it('upgrades a version-1 store (no attachment table) and keeps its documents', async () => {
    await withDataDir(async (dataDir) => {
      const first = await openEmbeddedStore({ dataDir });
      await first.write([{ kind: 'submodels', op: 'create', doc: { modelType: 'Submodel', id: 'urn:v1' } as never }]);
      await first.close();
      const db = new Database(join(dataDir, 'aas.sqlite'));
      // Back to the version-1 schema: no attachments, no element rows of submodels (3), no asset connections (4),
      // no revisions (5), no package records (6).
      db.exec('DROP TABLE attachments; DROP TABLE submodel_elements; ALTER TABLE submodels DROP COLUMN elements_at; DROP TABLE asset_connections');
      db.exec('DROP TABLE packages; DROP TABLE package_terms');
      for (const table of ['shells', 'submodels', 'concept_descriptions']) db.exec(`ALTER TABLE ${table} DROP COLUMN revision`);
      db.pragma('user_version = 1');
      db.close();

      const second = await openEmbeddedStore({ dataDir });
      try {
        assert.equal(await second.submodels.has('urn:v1'), true);
        await second.attachments.put({ owner: OWNER, name: 'n' }, Readable.from([Buffer.from('x')]), META, 10);
        assert.deepEqual(await second.attachments.names(OWNER), ['n']);
      } finally {
        await second.close();
      }
    });
  });
});
