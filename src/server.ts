/**
 * Wiring: store → validation → services → HTTP, plus the start-up loads (preload directory, demo data).
 * `startServer` is what main.ts, the HTTP tests and the benchmarks run.
 */
import { readdir, readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ConfigError, type Config } from './config.js';
import { EventBus } from './events/bus.js';
import { AssetConnectionService } from './connectors/opcua/asset-connections.js';
import { loadConnectionFile } from './connectors/opcua/connection-file.js';
import { demoConnection } from './demo/demo-connection.js';
import { createRequestListener } from './http/app.js';
import type { Services } from './http/route.js';
import { createLogger, type Logger } from './logger.js';
import { projectFile } from './project-files.js';
import { AttachmentSweep } from './services/attachment-sweep.js';
import { AttachmentService } from './services/attachments.js';
import { ConceptDescriptionRepository } from './services/concept-description-repository.js';
import { importEnvironment } from './services/environment-import.js';
import { createOperationService } from './services/operations/index.js';
import { ShellRepository } from './services/shell-repository.js';
import { SubmodelElementService } from './services/submodel-elements.js';
import { SubmodelRepository } from './services/submodel-repository.js';
import { openEmbeddedStore } from './store/embedded/sqlite-store.js';
import type { AasStore } from './store/store.js';
import { Validator } from './validation/validator.js';

export interface RunningServer {
  /** `http://host:port` as reachable from this machine. */
  origin: string;
  /** origin + API base path. */
  baseUrl: string;
  services: Services;
  close(): Promise<void>;
}

async function openStore(config: Config): Promise<AasStore> {
  if (config.store === 'mongodb') {
    throw new ConfigError('AAS_STORE=mongodb: the MongoDB backend is not part of this server version yet; use embedded');
  }
  return openEmbeddedStore({ dataDir: config.dataDir });
}

type ImportDeps = Parameters<typeof importEnvironment>[0];

/** Loads every `*.json` environment of the directory, in name order; a bad file is logged and skipped. */
async function preload(deps: ImportDeps, dir: string, logger: Logger): Promise<void> {
  const files = (await readdir(dir)).filter((f) => f.toLowerCase().endsWith('.json')).sort();
  for (const file of files) {
    try {
      const summary = await importEnvironment(deps, JSON.parse(await readFile(join(dir, file), 'utf8')));
      logger.info({ file, ...summary, warnings: summary.warnings.length }, 'preloaded environment');
      for (const w of summary.warnings) logger.warn({ file, path: w.path }, w.message);
    } catch (e) {
      const details = (e as { details?: unknown }).details;
      logger.error({ file, err: (e as Error).message, details }, 'preload failed; file skipped, nothing of it stored');
    }
  }
}

export async function startServer(config: Config, logger: Logger = createLogger(config.logLevel)): Promise<RunningServer> {
  const store = await openStore(config);
  try {
    const events = new EventBus((err) => logger.error({ err }, 'event subscriber failed'));
    const validator = new Validator(config.validation);
    // Every write goes through the sweeping store: no write leaves attachments that no document references.
    const sweep = new AttachmentSweep(store, (err, owner) => logger.warn({ err, owner }, 'attachment sweep failed; retried on the next write or start'));
    const deps = { store: sweep.store, validator, events };
    const submodels = new SubmodelRepository(deps);
    const shells = new ShellRepository(deps, submodels);
    // A Blob's bytes become base64 inside its submodel: half the JSON body limit keeps that submodel sendable.
    const attachmentLimits = { file: config.attachmentLimit, blob: Math.min(config.attachmentLimit, Math.floor(config.bodyLimit / 2)) };
    const elements = new SubmodelElementService(submodels, validator);
    const operations = createOperationService(config, { submodels, validator, logger });
    const assetConnections = new AssetConnectionService({
      store: sweep.store,
      submodels,
      elements,
      events,
      operations,
      logger,
      pkiDir: config.opcuaPkiDir ?? join(config.dataDir, 'opcua-pki'),
    });
    const services: Services = {
      config,
      store: sweep.store,
      submodels,
      elements,
      shells,
      attachments: new AttachmentService({ store: sweep.store, sweep, submodels, shells, limits: attachmentLimits }),
      conceptDescriptions: new ConceptDescriptionRepository(deps),
      operations,
      assetConnections,
    };

    if (config.preloadDir) await preload(deps, config.preloadDir, logger);
    if (config.demo && (await store.isEmpty())) {
      const summary = await importEnvironment(deps, JSON.parse(await readFile(projectFile('src/demo/environment.json'), 'utf8')));
      logger.info({ ...summary, warnings: summary.warnings.length }, 'demo environment loaded into the empty store');
      await store.assetConnections.put(demoConnection(config.demoOpcuaEndpoint), 'create');
    }

    // What a crash left between storing bytes and referencing them (or dropping a reference and the bytes).
    const swept = await sweep.sweepAll();
    if (swept > 0) logger.info({ swept }, 'removed attachments no document references');

    await assetConnections.start(await loadConnectionFile(config.assetConnectionsFile, logger));

    const server = createServer(createRequestListener(services, logger));
    server.listen(config.port, config.host);
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    const { port } = server.address() as AddressInfo;
    const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
    const origin = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
    logger.info({ origin, basePath: config.basePath, store: config.store, validation: config.validation }, 'AAS server listening');
    return {
      origin,
      baseUrl: origin + config.basePath,
      services,
      async close() {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await services.assetConnections.close();
        await services.operations.close();
        await store.close();
      },
    };
  } catch (e) {
    await store.close();
    throw e;
  }
}
