/**
 * One asset connection at run time: an OPC UA client, its session and one subscription with a monitored item per
 * `subscribe` mapping, plus reads, write-back and method calls on that session.
 *
 * Life cycle: `connecting` → `connected`; on a lost connection (or a failed connect) every value turns stale,
 * the client is dropped whole, and a new one is built after a back-off (doubling from `reconnectDelay.initial` to
 * `.max`); each connect resolves nodes and targets anew, re-creates the subscription (whose first notifications
 * re-read every subscribed value) and re-reads the `read` mappings. node-opcua's own reconnection is off: one
 * path to recovery, the same for a restarted server and an unreachable one.
 *
 * A mapping that cannot work (unknown node, no such element, a value its target cannot hold) shows its error in
 * the status and the log; the connection and the other mappings keep working.
 */
import {
  AttributeIds,
  ClientMonitoredItemGroup,
  DataChangeFilter,
  DataChangeTrigger,
  DeadbandType,
  MessageSecurityMode,
  OPCUAClient,
  SecurityPolicy,
  TimestampsToReturn,
  UserTokenType,
  type ClientSession,
  type ClientSubscription,
  type DataValue,
  type OPCUACertificateManager,
} from 'node-opcua';
import { BadGateway } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { SubmodelElement } from '../../model/types.js';
import type { OperationInvocation, OperationOutcome } from '../../services/operations/index.js';
import type { AssetValue, AssetValueOutcome } from '../../services/submodel-elements.js';
import type { ResolvedConnection } from './connection-config.js';
import { resolveMappings } from './mapping-resolution.js';
import { MappingRuntime, statusText, type MappingStatus, type ModelValue } from './mapping-runtime.js';
import { callMethod, MethodRuntime, type MethodStatus } from './method-call.js';
import type { BindingProblem } from './model-bindings.js';

export type ConnectionState = 'connecting' | 'connected' | 'disconnected' | 'stopped';

export interface ConnectionStatus {
  id: string;
  endpointUrl: string;
  /** Where the connection is declared: the configuration file, or the REST API (the demo's is an API one). */
  source: 'file' | 'api';
  state: ConnectionState;
  /** When the state last changed. */
  since: string;
  /** Why the last connect failed or the connection was lost. */
  error?: string;
  /** Failed connects since the last success. */
  reconnectAttempts: number;
  nextAttemptAt?: string;
  counts: { updates: number; reads: number; writes: number; writeFailures: number; methodCalls: number; methodFailures: number };
  mappings: MappingStatus[];
  methods: MethodStatus[];
  /** Model-driven bindings that could not be made (a qualifier on the wrong element, a malformed NodeId, ...). */
  bindingProblems: BindingProblem[];
}

export interface ConnectionDeps {
  logger: Logger;
  certificates: OPCUACertificateManager;
  /** Stores values the device reported (the services' fast path). */
  applyValues(submodelId: string, updates: AssetValue[]): Promise<AssetValueOutcome[]>;
  /** The element a mapping targets, if there is one. */
  element(submodelId: string, idShortPath: string): Promise<SubmodelElement | undefined>;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class OpcUaConnection {
  private state: ConnectionState = 'stopped';
  private since = new Date();
  private error: string | undefined;
  private attempts = 0;
  private nextAttemptAt: Date | undefined;
  /** Bumped by every connect attempt and by stop: callbacks of an older client see it and do nothing. */
  private generation = 0;
  private client: OPCUAClient | undefined;
  private session: ClientSession | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private readonly counts = { updates: 0, reads: 0, writes: 0, writeFailures: 0, methodCalls: 0, methodFailures: 0 };
  /** Values waiting to be stored, per submodel and path (a newer value of a path replaces the waiting one). */
  private pending = new Map<string, Map<string, { runtime: MappingRuntime; value: ModelValue }>>();
  private flushScheduled = false;
  private flushing = false;
  readonly mappings: MappingRuntime[];
  readonly methods: MethodRuntime[];

  constructor(
    readonly config: ResolvedConnection,
    readonly source: 'file' | 'api',
    private readonly deps: ConnectionDeps,
    private readonly bindingProblems: BindingProblem[] = [],
  ) {
    this.mappings = config.mappings.map((m) => new MappingRuntime(m));
    this.methods = config.methods.map((m) => new MethodRuntime(m));
  }

  get id(): string {
    return this.config.id;
  }

  get connected(): boolean {
    return this.state === 'connected';
  }

  start(): void {
    if (this.state !== 'stopped') return;
    void this.connect(++this.generation);
  }

  async stop(): Promise<void> {
    this.generation += 1;
    clearTimeout(this.retryTimer);
    this.setState('stopped');
    await this.dropClient();
  }

  status(): ConnectionStatus {
    return {
      id: this.id,
      endpointUrl: this.config.endpointUrl,
      source: this.source,
      state: this.state,
      since: this.since.toISOString(),
      ...(this.error !== undefined && { error: this.error }),
      reconnectAttempts: this.attempts,
      ...(this.nextAttemptAt !== undefined && this.state === 'disconnected' && { nextAttemptAt: this.nextAttemptAt.toISOString() }),
      counts: { ...this.counts },
      mappings: this.mappings.map((m) => ({ ...m.status })),
      methods: this.methods.map((m) => ({ ...m.status })),
      bindingProblems: this.bindingProblems,
    };
  }

  /** Writes an element's new value to its node; BadGateway (502) when the device refuses or cannot be reached. */
  async write(runtime: MappingRuntime, element: SubmodelElement): Promise<void> {
    const session = this.usableSession(`the value of ${runtime.mapping.idShortPath} was not written to the device`);
    if (!runtime.ready) throw new BadGateway(`The mapping of ${runtime.mapping.idShortPath} to ${runtime.mapping.nodeId} does not work (${runtime.status.error ?? 'not resolved'}); nothing was stored`);
    const variant = runtime.toDevice(element);
    let code;
    try {
      code = await withTimeout(session.write({ nodeId: runtime.nodeId!, attributeId: AttributeIds.Value, value: { value: variant } }), this.config.requestTimeout, 'the OPC UA write');
    } catch (e) {
      this.noteWriteFailure(runtime, (e as Error).message);
      throw new BadGateway(`Writing ${runtime.mapping.nodeId} failed: ${(e as Error).message}; nothing was stored`);
    }
    runtime.status.statusCode = code.name;
    if (!code.isGood()) {
      this.noteWriteFailure(runtime, `the device refused a write: ${statusText(code)}`);
      throw new BadGateway(`The OPC UA server refused the write of ${runtime.mapping.nodeId}: ${statusText(code)}; nothing was stored`);
    }
    runtime.status.writes += 1;
    this.counts.writes += 1;
  }

  /**
   * Reads the `read` mappings from the device and stores their values before an API read serves them. When the
   * connection is down or the read fails, the stored values are served (the status says stale and why).
   */
  async refresh(runtimes: readonly MappingRuntime[]): Promise<void> {
    const ready = runtimes.filter((r) => r.ready);
    if (ready.length === 0 || !this.connected || this.session === undefined) return;
    let values: DataValue[];
    try {
      values = await withTimeout(this.session.read(ready.map((r) => ({ nodeId: r.nodeId!, attributeId: AttributeIds.Value }))), this.config.requestTimeout, 'the OPC UA read');
    } catch (e) {
      for (const r of ready) {
        r.status.stale = true;
        r.status.error = `Reading failed: ${(e as Error).message}`;
      }
      return;
    }
    ready.forEach((r) => {
      r.status.reads += 1;
      this.counts.reads += 1;
    });
    await this.store(ready.map((runtime, i) => ({ runtime, value: this.take(runtime, values[i]) })));
  }

  async call(runtime: MethodRuntime, invocation: OperationInvocation): Promise<OperationOutcome> {
    this.counts.methodCalls += 1;
    runtime.status.calls += 1;
    try {
      const session = this.usableSession('the method was not called');
      if (runtime.methodId === undefined) throw new Error(`The method mapping does not work: ${runtime.status.error ?? 'not resolved'}`);
      const outcome = await withTimeout(callMethod(session, runtime, invocation), Math.min(invocation.timeoutMs, this.config.requestTimeout), 'the OPC UA method call');
      runtime.status.statusCode = 'Good';
      return outcome;
    } catch (e) {
      this.counts.methodFailures += 1;
      runtime.status.failures += 1;
      runtime.status.error = (e as Error).message;
      throw e;
    }
  }

  private usableSession(consequence: string): ClientSession {
    if (!this.connected || this.session === undefined) {
      throw new BadGateway(`Asset connection ${this.id} is ${this.state}${this.error ? ` (${this.error})` : ''}; ${consequence}`);
    }
    return this.session;
  }

  private noteWriteFailure(runtime: MappingRuntime, message: string): void {
    runtime.status.writeFailures += 1;
    this.counts.writeFailures += 1;
    this.deps.logger.warn({ connection: this.id, nodeId: runtime.mapping.nodeId, path: runtime.mapping.idShortPath }, `OPC UA write-back failed: ${message}`);
  }

  private setState(state: ConnectionState, error?: string): void {
    if (state !== this.state) this.since = new Date();
    this.state = state;
    if (state === 'connected' || error !== undefined) this.error = error;
  }

  private async connect(generation: number): Promise<void> {
    this.setState('connecting');
    const { config } = this;
    const client = OPCUAClient.create({
      applicationName: 'AAS Server',
      endpointMustExist: false,
      securityMode: MessageSecurityMode[config.securityMode],
      securityPolicy: SecurityPolicy[config.securityPolicy],
      connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
      keepSessionAlive: true,
      requestedSessionTimeout: 60_000,
      clientCertificateManager: this.deps.certificates,
    });
    this.client = client;
    const lost = () => this.onLost(generation, 'the connection to the OPC UA server was lost');
    client.on('connection_lost', lost);
    client.on('close', lost);
    // The client's callbacks check `generation`, so a dropped client's late events do nothing; an 'error' event
    // without a listener would crash the process.
    (client as unknown as NodeJS.EventEmitter).on('error', (err: Error) => this.deps.logger.debug({ connection: this.id, err }, 'OPC UA client error'));
    try {
      await withTimeout(client.connect(config.endpointUrl), config.requestTimeout * 2, 'connecting');
      const session = await withTimeout(
        client.createSession(config.user ? { type: UserTokenType.UserName, userName: config.user.username, password: config.user.password ?? '' } : undefined),
        config.requestTimeout,
        'creating the session',
      );
      if (generation !== this.generation) return;
      this.session = session;
      await resolveMappings(session, this.mappings, this.methods, this.deps.element);
      await this.subscribe(session, generation);
      if (generation !== this.generation) return;
      this.attempts = 0;
      this.setState('connected');
      this.deps.logger.info({ connection: this.id, endpointUrl: config.endpointUrl, mappings: this.mappings.length, methods: this.methods.length }, 'OPC UA connection established');
      for (const m of [...this.mappings, ...this.methods]) {
        if (m.status.error) this.deps.logger.warn({ connection: this.id, path: m.mapping.idShortPath }, `OPC UA mapping does not work: ${m.status.error}`);
      }
      await this.refresh(this.mappings.filter((m) => m.has('read')));
    } catch (e) {
      if (generation !== this.generation) return;
      this.retryLater(generation, `connect failed: ${(e as Error).message}`);
    }
  }

  private onLost(generation: number, reason: string): void {
    if (generation !== this.generation || this.state === 'stopped') return;
    if (this.state === 'connecting') return; // the pending connect fails and retries by itself
    this.retryLater(generation, reason);
  }

  private retryLater(generation: number, reason: string): void {
    const wasConnected = this.state === 'connected';
    for (const m of this.mappings) m.status.stale = true;
    const delay = Math.min(this.config.reconnectDelay.initial * 2 ** this.attempts, this.config.reconnectDelay.max);
    const quiet = !wasConnected && this.error === reason;
    this.attempts += 1;
    this.setState('disconnected', reason);
    this.nextAttemptAt = new Date(Date.now() + delay);
    const log = { connection: this.id, endpointUrl: this.config.endpointUrl, retryInMs: delay, attempt: this.attempts };
    if (quiet) this.deps.logger.debug(log, `OPC UA ${reason}`);
    else this.deps.logger.warn(log, `OPC UA ${reason}; retrying with back-off`);
    void this.dropClient();
    this.generation = generation + 1;
    const next = this.generation;
    this.retryTimer = setTimeout(() => void this.connect(next), delay);
  }

  private async dropClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.session = undefined;
    if (client === undefined) return;
    await withTimeout(client.disconnect(), 2000, 'disconnecting').catch(() => {});
  }

  /** One subscription, one monitored item group per distinct (sampling interval, deadband). */
  private async subscribe(session: ClientSession, generation: number): Promise<void> {
    const subscribed = this.mappings.filter((m) => m.ready && m.has('subscribe'));
    if (subscribed.length === 0) return;
    const subscription: ClientSubscription = await session.createSubscription2({
      requestedPublishingInterval: this.config.publishingInterval,
      requestedLifetimeCount: 1000,
      requestedMaxKeepAliveCount: 20,
      maxNotificationsPerPublish: 0,
      publishingEnabled: true,
      priority: 10,
    });
    subscription.on('terminated', () => this.onLost(generation, 'the OPC UA subscription ended'));
    const groups = new Map<string, MappingRuntime[]>();
    for (const m of subscribed) {
      const key = JSON.stringify([m.mapping.samplingInterval ?? 0, m.mapping.deadband ?? null]);
      groups.set(key, [...(groups.get(key) ?? []), m]);
    }
    for (const runtimes of groups.values()) {
      const { samplingInterval = 0, deadband } = runtimes[0].mapping;
      const filter = deadband
        ? new DataChangeFilter({ trigger: DataChangeTrigger.StatusValue, deadbandType: deadband.type === 'absolute' ? DeadbandType.Absolute : DeadbandType.Percent, deadbandValue: deadband.value })
        : undefined;
      const group = ClientMonitoredItemGroup.create(
        subscription,
        runtimes.map((m) => ({ nodeId: m.nodeId!, attributeId: AttributeIds.Value })),
        { samplingInterval, queueSize: 100, discardOldest: true, ...(filter && { filter }) },
        TimestampsToReturn.Both,
      );
      group.on('changed', (_item, dataValue, index) => {
        if (generation === this.generation) this.onValue(runtimes[index], dataValue);
      });
      await withTimeout(
        new Promise<void>((resolve, reject) => {
          group.once('initialized', () => resolve());
          group.once('err', (message) => reject(new Error(String(message))));
        }),
        this.config.requestTimeout,
        'creating monitored items',
      );
      group.monitoredItems.forEach((item, i) => {
        if (item.statusCode.isBad()) runtimes[i].fail(`monitoring ${runtimes[i].mapping.nodeId}: ${statusText(item.statusCode)}`, item.statusCode);
      });
    }
  }

  private take(runtime: MappingRuntime, dataValue: DataValue): ModelValue | undefined {
    this.counts.updates += 1;
    return runtime.fromDevice(dataValue);
  }

  private onValue(runtime: MappingRuntime, dataValue: DataValue): void {
    const value = this.take(runtime, dataValue);
    if (value === undefined) return;
    const { submodelId, idShortPath } = runtime.mapping;
    let paths = this.pending.get(submodelId);
    if (paths === undefined) this.pending.set(submodelId, (paths = new Map()));
    paths.set(idShortPath, { runtime, value });
    this.scheduleFlush();
  }

  /** The values of one publish (they arrive in one burst) are stored together, one batch per submodel. */
  private scheduleFlush(): void {
    if (this.flushScheduled || this.flushing) return;
    this.flushScheduled = true;
    setImmediate(() => void this.flush());
  }

  private async flush(): Promise<void> {
    this.flushScheduled = false;
    this.flushing = true;
    const batch = this.pending;
    this.pending = new Map();
    try {
      for (const updates of batch.values()) await this.store([...updates.values()]);
    } finally {
      this.flushing = false;
      if (this.pending.size > 0) this.scheduleFlush();
    }
  }

  /** Stores values (grouped by submodel); a value that cannot be stored puts its error in the mapping's status. */
  private async store(values: { runtime: MappingRuntime; value: ModelValue | undefined }[]): Promise<void> {
    const bySubmodel = new Map<string, { runtime: MappingRuntime; value: ModelValue }[]>();
    for (const v of values) {
      if (v.value === undefined) continue;
      const id = v.runtime.mapping.submodelId;
      bySubmodel.set(id, [...(bySubmodel.get(id) ?? []), { runtime: v.runtime, value: v.value }]);
    }
    for (const [submodelId, list] of bySubmodel) {
      try {
        const outcomes = await this.deps.applyValues(submodelId, list.map((v) => ({ path: v.runtime.mapping.idShortPath, value: v.value })));
        outcomes.forEach((o, i) => {
          if (o.error !== undefined) list[i].runtime.status.error = `Not stored: ${o.error}`;
        });
      } catch (e) {
        for (const v of list) v.runtime.status.error = `Not stored: ${(e as Error).message}`;
      }
    }
  }
}
