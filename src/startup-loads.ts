/**
 * What the server loads at start: the preload directory, the demo data (into an empty store), the sweep of
 * attachments a crash left, and the asset connections. With the store unreachable (MongoDB down) the loads wait:
 * the server listens anyway, `/ready` says why it is not ready and requests get 503, and the loads are retried
 * until the store answers. Any other failure stops the start as before.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Config } from './config.js';
import type { AssetConnectionService } from './connectors/opcua/asset-connections.js';
import { loadConnectionFile } from './connectors/opcua/connection-file.js';
import { demoConnection } from './demo/demo-connection.js';
import { ServiceUnavailable } from './errors.js';
import { xmlToEnvironment } from './interchange/xml/index.js';
import type { Logger } from './logger.js';
import { projectFile } from './project-files.js';
import type { AttachmentSweep } from './services/attachment-sweep.js';
import { importEnvironment } from './services/environment-import.js';

type ImportDeps = Parameters<typeof importEnvironment>[0];

export interface StartupDeps extends ImportDeps {
  sweep: AttachmentSweep;
  assetConnections: AssetConnectionService;
}

const RETRY_MS = 2000;

/** The environment a preload file holds: JSON, or the AAS XML serialization (3.0 or 3.1). */
async function readEnvironmentFile(file: string): Promise<unknown> {
  const text = await readFile(file, 'utf8');
  return file.toLowerCase().endsWith('.xml') ? xmlToEnvironment(text) : JSON.parse(text);
}

/** Loads every `*.json` and `*.xml` environment of the directory, in name order; a bad file is logged and skipped. */
async function preload(deps: ImportDeps, dir: string, logger: Logger): Promise<void> {
  const files = (await readdir(dir)).filter((f) => /\.(json|xml)$/i.test(f)).sort();
  for (const file of files) {
    try {
      const summary = await importEnvironment(deps, await readEnvironmentFile(join(dir, file)));
      logger.info({ file, ...summary, warnings: summary.warnings.length }, 'preloaded environment');
      for (const w of summary.warnings) logger.warn({ file, path: w.path }, w.message);
    } catch (e) {
      if (e instanceof ServiceUnavailable) throw e;
      const details = (e as { details?: unknown }).details;
      logger.error({ file, err: (e as Error).message, details }, 'preload failed; file skipped, nothing of it stored');
    }
  }
}

async function load(config: Config, deps: StartupDeps, logger: Logger): Promise<void> {
  if (config.preloadDir) await preload(deps, config.preloadDir, logger);
  if (config.demo && (await deps.store.isEmpty())) {
    const summary = await importEnvironment(deps, JSON.parse(await readFile(projectFile('src/demo/environment.json'), 'utf8')));
    logger.info({ ...summary, warnings: summary.warnings.length }, 'demo environment loaded into the empty store');
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
