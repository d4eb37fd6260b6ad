/**
 * `npm run import -- [--replace] FILE|DIR …`: imports AASX packages, AAS XML and JSON environments into the
 * configured store (AAS_STORE, AAS_DATA_DIR, MONGODB_URI, … from the environment, as the server reads them),
 * each file as one atomic import with its files, validated as the API validates (AAS_VALIDATION). A directory
 * stands for the content files in it. Shells and submodels that exist already are skipped (the file is left out
 * whole) unless `--replace`; concept descriptions that exist are kept. Progress on stderr while it runs, then a
 * summary of what was added, skipped and rejected, and why. Exit code 1 when a file was rejected.
 *
 * The embedded store admits one process: stop the server first (or import over its API).
 */
import { readdir, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { Conflict, ServiceError } from '../errors.js';
import { EventBus } from '../events/bus.js';
import { CONTENT_EXTENSIONS, openContentFile } from '../interchange/content-file.js';
import { AttachmentSweep } from '../services/attachment-sweep.js';
import { importContent, type ImportReport } from '../services/content-import.js';
import { openEmbeddedStore } from '../store/embedded/sqlite-store.js';
import { openMongoStore } from '../store/mongodb/index.js';
import type { AasStore } from '../store/store.js';
import { Validator } from '../validation/validator.js';

interface Outcome {
  file: string;
  result: 'added' | 'skipped' | 'rejected';
  why?: string[];
  report?: ImportReport;
}

/** The content files named: files as given, directories expanded to their content files (not recursively). */
async function contentFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    if ((await stat(path)).isDirectory()) {
      const names = (await readdir(path)).filter((n) => CONTENT_EXTENSIONS.includes(extname(n).toLowerCase())).sort();
      files.push(...names.map((n) => join(path, n)));
    } else {
      files.push(path);
    }
  }
  return files;
}

/** One line, rewritten in place on a terminal: `[=====     ] 120/300 name`. */
function progress(done: number, total: number, current: string): void {
  if (!process.stderr.isTTY) return;
  const width = 30;
  const filled = Math.round((done / Math.max(total, 1)) * width);
  process.stderr.write(`\r[${'='.repeat(filled)}${' '.repeat(width - filled)}] ${done}/${total} ${current.slice(-40).padEnd(40)}`);
}

async function openStore(): Promise<{ store: AasStore; validation: 'strict' | 'lenient'; fileLimit: number }> {
  const config = loadConfig(process.env, []);
  if (config.store === 'mongodb' && config.mongodbUri === undefined) throw new Error('AAS_STORE=mongodb needs MONGODB_URI');
  const store =
    config.store === 'mongodb'
      ? await openMongoStore({ uri: config.mongodbUri!, database: config.mongodbDatabase, serverSelectionTimeoutMS: config.mongodbTimeout })
      : await openEmbeddedStore({ dataDir: config.dataDir });
  return { store, validation: config.validation, fileLimit: config.attachmentLimit };
}

function reasons(error: unknown): string[] {
  const details = error instanceof ServiceError ? error.details.map((d) => d.text) : [];
  return [(error as Error).message, ...details];
}

async function main(): Promise<number> {
  const { values, positionals } = parseArgs({ options: { replace: { type: 'boolean', default: false } }, allowPositionals: true });
  if (positionals.length === 0) {
    process.stderr.write('usage: npm run import -- [--replace] FILE|DIR ...   (.aasx, .xml, .json)\n');
    return 2;
  }
  const files = await contentFiles(positionals);
  const { store, validation, fileLimit } = await openStore();
  const sweep = new AttachmentSweep(store, () => {});
  const deps = { store: sweep.store, sweep, validator: new Validator(validation), events: new EventBus(), fileLimit };
  const outcomes: Outcome[] = [];
  try {
    for (const [i, file] of files.entries()) {
      progress(i, files.length, file);
      let content;
      try {
        content = await openContentFile(file);
        const report = await importContent(deps, content, { existing: values.replace ? 'replace' : 'refuse', conceptDescriptions: 'keep' });
        outcomes.push({ file, result: 'added', report });
      } catch (error) {
        outcomes.push({ file, result: error instanceof Conflict ? 'skipped' : 'rejected', why: reasons(error) });
        if (!(error instanceof ServiceError)) throw error;
      } finally {
        content?.close();
      }
    }
    progress(files.length, files.length, '');
    if (process.stderr.isTTY) process.stderr.write('\n');
  } finally {
    await store.close();
  }
  printSummary(outcomes);
  return outcomes.some((o) => o.result === 'rejected') ? 1 : 0;
}

function printSummary(outcomes: readonly Outcome[]): void {
  const out = (line: string) => process.stdout.write(`${line}\n`);
  const count = (r: Outcome['result']) => outcomes.filter((o) => o.result === r).length;
  let shells = 0;
  let submodels = 0;
  let cds = 0;
  let files = 0;
  for (const { report } of outcomes) {
    if (!report) continue;
    shells += report.created.shells.length + report.replaced.shells.length;
    submodels += report.created.submodels.length + report.replaced.submodels.length;
    cds += report.created.conceptDescriptions.length;
    files += report.files;
  }
  out(`added ${count('added')} file(s): ${shells} shell(s), ${submodels} submodel(s), ${cds} new concept description(s), ${files} attached file(s)`);
  out(`skipped ${count('skipped')} file(s) (content exists already; --replace replaces it)`);
  out(`rejected ${count('rejected')} file(s)`);
  for (const o of outcomes) {
    if (o.result === 'added' && (o.report!.warnings.length > 0 || o.report!.missingFiles.length > 0)) {
      out(`  ${o.file}: added with ${o.report!.warnings.length} constraint warning(s), ${o.report!.missingFiles.length} missing file(s)`);
      for (const w of o.report!.warnings) out(`    ${w.path}: ${w.message}`);
      for (const m of o.report!.missingFiles) out(`    not in the package: ${m}`);
    }
    if (o.result !== 'added') {
      out(`  ${o.file}: ${o.result}`);
      for (const why of o.why ?? []) out(`    ${why}`);
    }
  }
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`import failed: ${(error as Error).message}\n`);
    process.exit(2);
  },
);
