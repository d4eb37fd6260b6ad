/**
 * The asset connections of a server: those of the configuration file and those made over REST (kept in the
 * store), each with its explicit mappings plus the model-driven bindings its JSONPath finds. Changes over REST and
 * changes of bound submodels apply live: the affected connection is rebuilt, the others keep running.
 *
 * Towards the services this is three things: the value write gate (writes of `write` mappings go to the device
 * first), the read refresh of `read` mappings, and an operation handler for Operations mapped to methods.
 */
import { OPCUACertificateManager } from 'node-opcua';
import { BadRequest, Conflict, NotFound } from '../../errors.js';
import type { EventBus, RepositoryEvent } from '../../events/bus.js';
import type { Logger } from '../../logger.js';
import { locateElement } from '../../model/element-tree.js';
import type { Submodel, SubmodelElement } from '../../model/types.js';
import { KeyedLock } from '../../services/keyed-lock.js';
import type { OperationHandler, OperationService } from '../../services/operations/index.js';
import type { SubmodelElementService } from '../../services/submodel-elements.js';
import type { SubmodelRepository } from '../../services/submodel-repository.js';
import type { GatedChange, ValueWriteGate } from '../../services/value-write-gate.js';
import type { AasStore } from '../../store/store.js';
import { parseConnection, resolveConnection, withoutSecrets, type AssetConnectionConfig } from './connection-config.js';
import type { MappingRuntime } from './mapping-runtime.js';
import type { MethodRuntime } from './method-call.js';
import { routeLibraryLogs } from './library-logs.js';
import { bindingsOf, DEFAULT_BINDING_PATH, type BindingProblem } from './model-bindings.js';
import { OpcUaConnection, type ConnectionStatus } from './opcua-connection.js';

export interface AssetConnectionDeps {
  store: AasStore;
  submodels: SubmodelRepository;
  elements: SubmodelElementService;
  events: EventBus;
  operations: OperationService;
  logger: Logger;
  /** Certificate store of the OPC UA client. */
  pkiDir: string;
}

const key = (submodelId: string, path: string) => `${submodelId}\u0000${path}`;

/** How long bound-submodel changes settle before the connection is rebuilt (an import changes many at once). */
const REBIND_DELAY_MS = 200;

export class AssetConnectionService implements ValueWriteGate {
  /** Running connections with the configuration they were declared with (defaults and bindings not filled in). */
  private readonly connections = new Map<string, { declared: AssetConnectionConfig; connection: OpcUaConnection }>();
  private readonly fileIds = new Set<string>();
  private readonly lock = new KeyedLock();
  /** Made when the first connection starts: a server without connections never touches the PKI directory. */
  private certificates: Promise<OPCUACertificateManager> | undefined;
  private unsubscribe: (() => void) | undefined;
  private removeHandler: (() => void) | undefined;
  private readonly rebindTimers = new Map<string, NodeJS.Timeout>();
  /** Where each mapped element is served from, rebuilt whenever a connection starts or stops. */
  private properties = new Map<string, { connection: OpcUaConnection; runtime: MappingRuntime }>();
  private methods = new Map<string, { connection: OpcUaConnection; runtime: MethodRuntime }>();
  private writable = new Map<string, string[]>();
  private readable = new Set<string>();
  private closed = false;

  constructor(private readonly deps: AssetConnectionDeps) {
    routeLibraryLogs(deps.logger);
  }

  /** Starts the file's connections and the stored ones; a connection that cannot start is logged and skipped. */
  async start(fromFile: readonly AssetConnectionConfig[]): Promise<void> {
    for (const config of fromFile) {
      this.fileIds.add(config.id);
      await this.launch(config, 'file');
    }
    for (const stored of await this.deps.store.assetConnections.list()) {
      if (this.fileIds.has(stored.id)) {
        this.deps.logger.warn({ connection: stored.id }, 'asset connection in the store has the id of one in the configuration file; the file wins');
        continue;
      }
      try {
        await this.launch(parseConnection(stored), 'api');
      } catch (e) {
        this.deps.logger.error({ connection: stored.id, err: (e as Error).message, details: (e as { details?: unknown }).details }, 'stored asset connection is invalid; not started');
      }
    }
    this.unsubscribe = this.deps.events.subscribe((event) => this.onModelChange(event));
    this.removeHandler = this.deps.operations.handlers.register(this.operationHandler());
    this.deps.submodels.setValueWriteGate(this);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.unsubscribe?.();
    this.removeHandler?.();
    this.deps.submodels.setValueWriteGate(undefined);
    for (const timer of this.rebindTimers.values()) clearTimeout(timer);
    await Promise.all([...this.connections.values()].map((c) => c.connection.stop()));
    this.connections.clear();
    await (await this.certificates)?.dispose();
  }

  // ---- REST resource ----

  /** Every connection's configuration (passwords left out), ordered by id. */
  list(): AssetConnectionConfig[] {
    return [...this.connections.values()].map((c) => withoutSecrets(c.declared)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  get(id: string): AssetConnectionConfig {
    return withoutSecrets(this.require(id).declared);
  }

  /** For /health: how many connections there are and how many are connected. */
  summary(): { total: number; connected: number } {
    const all = [...this.connections.values()];
    return { total: all.length, connected: all.filter((c) => c.connection.connected).length };
  }

  status(id: string): ConnectionStatus {
    return this.require(id).connection.status();
  }

  async create(body: unknown): Promise<AssetConnectionConfig> {
    const config = parseConnection(body);
    return this.lock.run(config.id, async () => {
      if (this.connections.has(config.id)) throw new Conflict(`An asset connection with id "${config.id}" already exists`);
      await this.deps.store.assetConnections.put(config, 'create');
      await this.launch(config, 'api');
      return withoutSecrets(config);
    });
  }

  /** Replaces (or creates) a REST connection; a password left out keeps the stored one of the same user. */
  async put(id: string, body: unknown): Promise<{ created: boolean }> {
    const config = parseConnection(body);
    if (config.id !== id) throw new BadRequest(`The id in the body ("${config.id}") differs from the id in the path ("${id}")`, [{ path: '$.id', text: `$.id: differs from "${id}" in the path` }]);
    return this.lock.run(id, async () => {
      this.refuseFileConnection(id);
      const current = this.connections.get(id);
      if (current && config.user && config.user.password === undefined && current.declared.user?.username === config.user.username) {
        config.user = { ...config.user, password: current.declared.user.password };
      }
      await this.deps.store.assetConnections.put(config, current ? 'update' : 'create');
      if (current) await this.halt(id);
      await this.launch(config, 'api');
      return { created: current === undefined };
    });
  }

  async delete(id: string): Promise<void> {
    await this.lock.run(id, async () => {
      this.require(id);
      this.refuseFileConnection(id);
      await this.deps.store.assetConnections.delete(id);
      await this.halt(id);
    });
  }

  // ---- what the services ask ----

  gatedPaths(submodelId: string): readonly string[] {
    return this.writable.get(submodelId) ?? [];
  }

  async accept(submodelId: string, changes: readonly GatedChange[]): Promise<void> {
    for (const change of changes) {
      const mapped = this.properties.get(key(submodelId, change.path));
      if (mapped?.runtime.has('write')) await mapped.connection.write(mapped.runtime, change.element);
    }
  }

  /** Whether a read of this submodel needs `refresh` first (cheap; asked on every read). */
  hasReadMappings(submodelId: string): boolean {
    return this.readable.has(submodelId);
  }

  /** Reads the `read` mappings at or below `path` (the whole submodel without one) from their devices. */
  async refresh(submodelId: string, path?: string): Promise<void> {
    const byConnection = new Map<OpcUaConnection, MappingRuntime[]>();
    for (const { connection, runtime } of this.properties.values()) {
      const target = runtime.mapping;
      if (target.submodelId !== submodelId || !runtime.has('read')) continue;
      if (path !== undefined && !isAtOrBelow(target.idShortPath, path)) continue;
      byConnection.set(connection, [...(byConnection.get(connection) ?? []), runtime]);
    }
    await Promise.all([...byConnection].map(([connection, runtimes]) => connection.refresh(runtimes)));
  }

  // ---- internals ----

  private require(id: string): { declared: AssetConnectionConfig; connection: OpcUaConnection } {
    const entry = this.connections.get(id);
    if (entry === undefined) throw new NotFound(`No asset connection "${id}"`);
    return entry;
  }

  private refuseFileConnection(id: string): void {
    if (this.fileIds.has(id)) throw new Conflict(`Asset connection "${id}" is defined in the configuration file; change it there`);
  }

  private async launch(config: AssetConnectionConfig, source: 'file' | 'api'): Promise<void> {
    if (this.closed) return;
    const resolved = resolveConnection(config);
    const problems: BindingProblem[] = [];
    if (config.model) {
      const bound = await this.bindings(config);
      const explicit = new Set([...resolved.mappings, ...resolved.methods].map((m) => key(m.submodelId, m.idShortPath)));
      resolved.mappings = [...resolved.mappings, ...bound.mappings.filter((m) => !explicit.has(key(m.submodelId, m.idShortPath)))];
      resolved.methods = [...resolved.methods, ...bound.methods.filter((m) => !explicit.has(key(m.submodelId, m.idShortPath)))];
      problems.push(...bound.problems);
      for (const p of bound.problems) this.deps.logger.warn({ connection: config.id, ...p }, 'OPC UA model binding not made');
    }
    const connection = new OpcUaConnection(resolved, source, {
      logger: this.deps.logger,
      certificates: await this.certificateManager(),
      applyValues: (submodelId, updates) => this.deps.elements.applyAssetValues(submodelId, updates),
      element: (submodelId, path) => this.element(submodelId, path),
    }, problems);
    this.connections.set(config.id, { declared: config, connection });
    this.reindex();
    connection.start();
  }

  /**
   * The client's certificate store. Server certificates are trusted on first use (and kept under `trusted/`);
   * for Sign or SignAndEncrypt the server must trust the client's certificate in `own/certs/`.
   */
  private certificateManager(): Promise<OPCUACertificateManager> {
    this.certificates ??= (async () => {
      const manager = new OPCUACertificateManager({ rootFolder: this.deps.pkiDir, automaticallyAcceptUnknownCertificate: true });
      await manager.initialize();
      return manager;
    })();
    return this.certificates;
  }

  private async halt(id: string): Promise<void> {
    const entry = this.connections.get(id);
    this.connections.delete(id);
    this.reindex();
    await entry?.connection.stop();
  }

  private reindex(): void {
    this.properties = new Map();
    this.methods = new Map();
    this.writable = new Map();
    this.readable = new Set();
    for (const { connection } of this.connections.values()) {
      for (const runtime of connection.mappings) {
        const { submodelId, idShortPath } = runtime.mapping;
        if (this.properties.has(key(submodelId, idShortPath))) {
          runtime.disable(`${idShortPath} of ${submodelId} is mapped by another connection too; this mapping is ignored`);
          continue;
        }
        this.properties.set(key(submodelId, idShortPath), { connection, runtime });
        if (runtime.has('write')) this.writable.set(submodelId, [...(this.writable.get(submodelId) ?? []), idShortPath]);
        if (runtime.has('read')) this.readable.add(submodelId);
      }
      for (const runtime of connection.methods) {
        const k = key(runtime.mapping.submodelId, runtime.mapping.idShortPath);
        if (!this.methods.has(k)) this.methods.set(k, { connection, runtime });
      }
    }
  }

  private async element(submodelId: string, path: string): Promise<SubmodelElement | undefined> {
    const submodel = await this.deps.store.submodels.get(submodelId);
    if (submodel === undefined) return undefined;
    try {
      return locateElement(submodel, path).element;
    } catch {
      return undefined;
    }
  }

  /** The model-driven bindings of a connection, over its submodels (all of them when it names none). */
  private async bindings(config: AssetConnectionConfig) {
    const path = config.model?.jsonPath ?? DEFAULT_BINDING_PATH;
    const found = { mappings: [] as ReturnType<typeof bindingsOf>['mappings'], methods: [] as ReturnType<typeof bindingsOf>['methods'], problems: [] as BindingProblem[] };
    const add = (submodel: Submodel) => {
      const b = bindingsOf(submodel, path);
      found.mappings.push(...b.mappings);
      found.methods.push(...b.methods);
      found.problems.push(...b.problems);
    };
    if (config.model?.submodelIds) {
      for (const submodel of await this.deps.store.submodels.getMany(config.model.submodelIds)) add(submodel);
      return found;
    }
    let after: string | undefined;
    do {
      const page = await this.deps.store.submodels.list({}, { limit: 100, after });
      page.items.forEach(add);
      after = page.next;
    } while (after !== undefined);
    return found;
  }

  /**
   * A submodel changed in structure (not values only): connections bound through the model to it, or mapping
   * into it, are rebuilt once the changes settle, so new or removed bindings and changed targets take effect.
   */
  private onModelChange(event: RepositoryEvent): void {
    if (event.kind !== 'submodels' || event.valuesOnly || this.closed) return;
    for (const { declared: config, connection } of this.connections.values()) {
      const boundHere = config.model !== undefined && (config.model.submodelIds?.includes(event.id) ?? true);
      const mapsHere = [...connection.mappings, ...connection.methods].some((m) => m.mapping.submodelId === event.id);
      if (!boundHere && !mapsHere) continue;
      clearTimeout(this.rebindTimers.get(config.id));
      this.rebindTimers.set(config.id, setTimeout(() => {
        this.rebindTimers.delete(config.id);
        void this.lock.run(config.id, async () => {
          const current = this.connections.get(config.id);
          if (current === undefined || this.closed) return;
          await this.halt(config.id);
          await this.launch(current.declared, current.connection.source);
        }).catch((err: unknown) => this.deps.logger.error({ connection: config.id, err }, 'rebuilding an asset connection failed'));
      }, REBIND_DELAY_MS));
    }
  }

  private operationHandler(): OperationHandler {
    return {
      name: 'opcua-method',
      handles: (target) => this.methods.has(key(target.submodelId, target.idShortPath)),
      invoke: (invocation) => {
        const mapped = this.methods.get(key(invocation.submodelId, invocation.idShortPath));
        if (mapped === undefined) throw new Error('The Operation is no longer mapped to an OPC UA method');
        return mapped.connection.call(mapped.runtime, invocation);
      },
    };
  }
}

function isAtOrBelow(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(`${prefix}.`) || path.startsWith(`${prefix}[`);
}
