/**
 * Wiring: store → validation → services → HTTP, plus the start-up loads (preload directory, demo data).
 * `startServer` is what main.ts, the HTTP tests and the benchmarks run.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ConfigError, type Config } from './config.js';
import { EventBus } from './events/bus.js';
import { AssetConnectionService } from './connectors/opcua/asset-connections.js';
import { createRequestListener } from './http/app.js';
import type { Services } from './http/route.js';
import { createLogger, type Logger } from './logger.js';
import { AasxFileServer } from './services/aasx-file-server.js';
import { AttachmentSweep } from './services/attachment-sweep.js';
import { AttachmentService } from './services/attachments.js';
import { ConceptDescriptionRepository } from './services/concept-description-repository.js';
import { createOperationService } from './services/operations/index.js';
import { ShellRepository } from './services/shell-repository.js';
import { SubmodelElementService } from './services/submodel-elements.js';
import { SubmodelRepository } from './services/submodel-repository.js';
import { runStartupLoads, type StartupLoads } from './startup-loads.js';
import { openEmbeddedStore } from './store/embedded/sqlite-store.js';
import { openMongoStore } from './store/mongodb/index.js';
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

async function openStore(config: Config, logger: Logger): Promise<AasStore> {
  if (config.store === 'mongodb') {
    if (config.mongodbUri === undefined) throw new ConfigError('AAS_STORE=mongodb needs MONGODB_URI');
    // Returns at once; an unreachable MongoDB answers 503 until it is back (see docs/mongodb.md).
    return openMongoStore({
      uri: config.mongodbUri,
      database: config.mongodbDatabase,
      serverSelectionTimeoutMS: config.mongodbTimeout,
      log: (entry) => logger[entry.level]({ err: entry.err }, entry.message),
    });
  }
  return openEmbeddedStore({ dataDir: config.dataDir });
}

export async function startServer(config: Config, logger: Logger = createLogger(config.logLevel)): Promise<RunningServer> {
  const store = await openStore(config, logger);
  try {
    const events = new EventBus((err) => logger.error({ err }, 'event subscriber failed'));
    // Writes of other server instances on the same store (MongoDB replica set) reach this one's subscribers too.
    const stopRemoteChanges = store.remoteChanges?.subscribe((change) => events.emit(change));
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
    // Set once the start-up loads run; `ready` is asked only after that, but is defined before.
    const startup: { loads?: StartupLoads } = {};
    const services: Services = {
      config,
      store: sweep.store,
      submodels,
      elements,
      shells,
      attachments: new AttachmentService({ store: sweep.store, sweep, submodels, shells, limits: attachmentLimits }),
      conceptDescriptions: new ConceptDescriptionRepository(deps),
      packages: new AasxFileServer({ ...deps, sweep, fileLimit: config.attachmentLimit, packageLimit: config.packageLimit }),
      operations,
      assetConnections,
      async ready() {
        await store.ping();
        const pending = startup.loads === undefined ? 'the start-up loads have not run yet' : startup.loads.pending;
        if (pending !== undefined) throw new Error(pending);
      },
    };

    startup.loads = await runStartupLoads(config, { ...deps, sweep, assetConnections, fileLimit: config.attachmentLimit }, logger);

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
        startup.loads?.stop();
        stopRemoteChanges?.();
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
