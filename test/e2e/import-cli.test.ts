/**
 * `npm run import`: the command in a real process against a data directory, with an AASX package, a duplicate of
 * it, an invalid JSON environment and a directory argument; the summary says what was added, skipped and rejected
 * and why, the exit code says whether anything was rejected, and the store holds exactly what was added.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer as readAll } from 'node:stream/consumers';
import { after, before, describe, it } from 'node:test';
import { writeAasx } from '../../src/interchange/aasx/index.js';
import { openEmbeddedStore } from '../../src/store/embedded/sqlite-store.js';
import { MANUAL_PATH, PDF_BYTES, sampleEnvironment } from '../unit/aasx-fixtures.js';

const CLI = new URL('../../src/cli/import.ts', import.meta.url).pathname;

function runImport(args: string[], dataDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', CLI, ...args], { env: { ...process.env, AAS_DATA_DIR: dataDir, AAS_STORE: 'embedded' } }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

describe('npm run import', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aas-import-cli-'));
    const pdf = async (reference: string) => (reference === MANUAL_PATH ? { content: Readable.from([PDF_BYTES]), contentType: 'application/pdf' } : undefined);
    await writeFile(join(dir, 'pump.aasx'), await readAll(writeAasx(sampleEnvironment(), pdf)));
    await mkdir(join(dir, 'more'));
    await copyFile(join(dir, 'pump.aasx'), join(dir, 'more', 'pump-again.aasx'));
    await writeFile(join(dir, 'more', 'broken.json'), JSON.stringify({ submodels: [{ modelType: 'Submodel', id: 'urn:broken', idShort: '1bad' }] }));
    await writeFile(join(dir, 'more', 'notes.txt'), 'not content');
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('adds, skips and rejects with reasons, and stores exactly what it added', async () => {
    const data = join(dir, 'data');
    const run = await runImport([join(dir, 'pump.aasx'), join(dir, 'more')], data);
    assert.equal(run.code, 1, run.stderr);
    assert.match(run.stdout, /^added 1 file\(s\): 1 shell\(s\), 1 submodel\(s\), 1 new concept description\(s\), 1 attached file\(s\)$/m);
    assert.match(run.stdout, /^skipped 1 file\(s\)/m);
    assert.match(run.stdout, /^rejected 1 file\(s\)$/m);
    assert.match(run.stdout, /pump-again\.aasx: skipped\n\s+The content holds 2 shell\(s\) or submodel\(s\) that exist already/);
    assert.match(run.stdout, /broken\.json: rejected\n(.*\n)*\s+\$\.submodels\[0\]\.idShort/);

    const store = await openEmbeddedStore({ dataDir: data });
    try {
      const [submodel] = sampleEnvironment().submodels!;
      assert.deepEqual(await store.submodels.get(submodel.id), submodel);
      assert.equal(await store.submodels.has('urn:broken'), false);
      const file = await store.attachments.get({ owner: { kind: 'submodels', id: submodel.id }, name: MANUAL_PATH });
      assert.ok(file);
      assert.deepEqual(await readAll(file.content), PDF_BYTES);
    } finally {
      await store.close();
    }
    const again = await runImport(['--replace', join(dir, 'pump.aasx')], data);
    assert.equal(again.code, 0, again.stdout + again.stderr);
    assert.match(again.stdout, /^added 1 file\(s\)/m);
  });
});
