/**
 * What the server loads at start: the preload directory (AASX, XML, JSON), the demo data (into an empty store), the sweep of
 * attachments a crash left, and the asset connections. With the store unreachable (MongoDB down) the loads wait:
 * the server listens anyway, `/ready` says why it is not ready and requests get 503, and the loads are retried
 * until the store answers. Any other failure stops the start as before.
 */
import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { Config } from './config.js';
import type { AssetConnectionService } from './connectors/opcua/asset-connections.js';
import { loadConnectionFile } from './connectors/opcua/connection-file.js';
import { demoConnection } from './demo/demo-connection.js';
import { ServiceUnavailable } from './errors.js';
import { CONTENT_EXTENSIONS, openContentFile, type OpenedContent } from './interchange/content-file.js';
import type { Logger } from './logger.js';
import { projectFile } from './project-files.js';
import { importContent, type ContentImportDeps, type ImportReport } from './services/content-import.js';

export interface StartupDeps extends ContentImportDeps {
  assetConnections: AssetConnectionService;
}

const RETRY_MS = 2000;

/** What a preload directory or the demo is: the source of truth for what it holds, so existing ids are replaced. */
const REPLACE_ALL = { existing: 'replace', conceptDescriptions: 'replace' } as const;

function summary(report: ImportReport) {
  return {
    shells: report.created.shells.length + report.replaced.shells.length,
    submodels: report.created.submodels.length + report.replaced.submodels.length,
    conceptDescriptions: report.created.conceptDescriptions.length + report.replacedConceptDescriptions.length,
    files: report.files,
    warnings: report.warnings.length,
  };
}

/**
 * Loads every `*.aasx`, `*.xml` and `*.json` file of the directory, in name order, each as one atomic import with
 * its files; a bad file is logged with its problems and skipped whole.
 */
async function preload(deps: ContentImportDeps, dir: string, logger: Logger): Promise<void> {
  const files = (await readdir(dir)).filter((f) => CONTENT_EXTENSIONS.includes(extname(f).toLowerCase())).sort();
  for (const file of files) {
    let content: OpenedContent | undefined;
    try {
      content = await openContentFile(join(dir, file));
      const report = await importContent(deps, content, REPLACE_ALL);
      logger.info({ file, ...summary(report) }, 'preloaded');
      for (const w of report.warnings) logger.warn({ file, path: w.path }, w.message);
      for (const path of report.missingFiles) logger.warn({ file, path }, 'a File element refers to a file the package does not hold');
    } catch (e) {
      if (e instanceof ServiceUnavailable) throw e;
      const details = (e as { details?: unknown }).details;
      logger.error({ file, err: (e as Error).message, details }, 'preload failed; file skipped, nothing of it stored');
    } finally {
      content?.close();
    }
  }
}

async function load(config: Config, deps: StartupDeps, logger: Logger): Promise<void> {
  if (config.preloadDir) await preload(deps, config.preloadDir, logger);
  if (config.demo && (await deps.store.isEmpty())) {
    const environment = JSON.parse(await readFile(projectFile('src/demo/environment.json'), 'utf8')) as unknown;
    const report = await importContent(deps, { environment }, REPLACE_ALL);
    logger.info(summary(report), 'demo environment loaded into the empty store');
    await deps.store.assetConnections.put(demoConnection(config.demoOpcuaEndpoint), 'create');
  }
  // What a crash left between storing bytes and referencing them (or dropping a reference and the bytes).
  const swept = await deps.sweep.sweepAll();
  if (swept > 0) logger.info({ swept }, 'removed attachments no document references');
  await deps.assetConnections.start(await loadConnectionFile(config.assetConnectionsFile, logger));
}

export interface StartupLoads {
  /** Undefined once the loads are done; else why the server is not ready yet. */
  readonly pending: string | undefined;
  stop(): void;
}

/** Runs the loads now; if the store is unreachable, resolves at once and keeps retrying in the background. */
export async function runStartupLoads(config: Config, deps: StartupDeps, logger: Logger): Promise<StartupLoads> {
  let pending: string | undefined = 'the start-up loads have not run yet';
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const attempt = async (): Promise<void> => {
    try {
      await load(config, deps, logger);
      pending = undefined;
    } catch (e) {
      if (!(e instanceof ServiceUnavailable)) throw e;
      pending = `waiting for the store to load the start-up data: ${e.message}`;
      logger.warn({ err: e.message, retryInMs: RETRY_MS }, 'store unreachable at start; the server answers 503 until it is back');
      if (!stopped) timer = setTimeout(() => void attempt().catch((err: unknown) => logger.error({ err }, 'start-up load failed')), RETRY_MS);
    }
  };
  await attempt();
  return {
    get pending() {
      return pending;
    },
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
