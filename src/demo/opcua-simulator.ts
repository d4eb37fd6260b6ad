/**
 * The demo machines' controllers as one OPC UA server: the CNC machine MC5 and the robot RA6 whose
 * OperationalData submodels are in src/demo/environment.json. The AAS server's OPC UA connector subscribes to these
 * nodes, writes FeedOverride back, and calls StartJob, so a user sees live values without owning a machine.
 *
 * NodeIds are strings in the namespace `urn:aas-server:demo-machines` (a mapping names them
 * `nsu=urn:aas-server:demo-machines;s=MC5.SpindleSpeed`); they are part of the demo's contract, do not rename them.
 */
import { join } from 'node:path';
import {
  DataType,
  makeAccessLevelFlag,
  OPCUACertificateManager,
  OPCUAServer,
  standardUnits,
  StatusCodes,
  Variant,
  type CallMethodResultOptions,
  type Namespace,
  type UAObject,
  type UAVariable,
} from 'node-opcua';

export const DEMO_MACHINES_NAMESPACE_URI = 'urn:aas-server:demo-machines';

export interface DemoMachineSimulatorOptions {
  /** Address to listen on; 127.0.0.1 by default, 0.0.0.0 inside a container. */
  host?: string;
  /** TCP port; 4840 (the OPC UA default) when omitted; 0 takes a free one (endpointUrl then names it). */
  port?: number;
  /** Folder for the server's own certificate and its trust lists; created when missing. */
  pkiDir: string;
  /** How often the live values change, in milliseconds (1000 by default). */
  intervalMs?: number;
}

export interface DemoMachineSimulator {
  endpointUrl: string;
  stop(): Promise<void>;
}

/** FeedOverride is a setpoint in percent; the controller refuses anything outside this range (OPC UA Part 8 §5.3.2). */
const FEED_OVERRIDE_RANGE = { low: 0, high: 150 };
const READ_ONLY = makeAccessLevelFlag('CurrentRead');
const READ_WRITE = makeAccessLevelFlag('CurrentRead | CurrentWrite');
const MS_PER_HOUR = 3_600_000;

/** A variable the simulator owns: its type and its current value, pushed to subscribers by `publish`. */
interface SimulatedVariable<T> {
  node: UAVariable;
  dataType: DataType;
  value: T;
}

function publish<T>(v: SimulatedVariable<T>, value: T, at: Date): void {
  v.value = value;
  v.node.setValueFromSource(new Variant({ dataType: v.dataType, value }), StatusCodes.Good, at);
}

/** A random walk that stays inside [low, high]: steps that would leave the band are reflected back into it. */
function drift(value: number, step: number, low: number, high: number): number {
  let next = value + (Math.random() * 2 - 1) * step;
  if (next > high) next = high - (next - high);
  if (next < low) next = low + (low - next);
  return Math.round(next * 100) / 100;
}

class MachineBuilder {
  constructor(
    private readonly ns: Namespace,
    private readonly parent: UAObject,
    private readonly prefix: string,
  ) {}

  variable<T>(name: string, dataType: DataType, value: T): SimulatedVariable<T> {
    const node = this.ns.addVariable({
      componentOf: this.parent,
      browseName: name,
      nodeId: `s=${this.prefix}.${name}`,
      dataType: DataType[dataType],
      // node-opcua makes a variable writable unless told otherwise; measured values belong to the controller.
      accessLevel: READ_ONLY,
      userAccessLevel: READ_ONLY,
      // 0: changes are reported when they happen (exception-based), not by polling (Part 4 §5.12.1.2).
      minimumSamplingInterval: 0,
      value: { dataType, value },
    });
    return { node, dataType, value };
  }

  child(name: string): MachineBuilder {
    const object = this.ns.addObject({ componentOf: this.parent, browseName: name, nodeId: `s=${this.prefix}.${name}` });
    return new MachineBuilder(this.ns, object, `${this.prefix}.${name}`);
  }
}

function machine(ns: Namespace, name: string, parent: UAObject): { object: UAObject; build: MachineBuilder } {
  const object = ns.addObject({ organizedBy: parent, browseName: name, nodeId: `s=${name}` });
  return { object, build: new MachineBuilder(ns, object, name) };
}

/** MC5, the CNC machining centre; initial values as in its OperationalData submodel. Returns its per-tick change. */
function addCncMachine(ns: Namespace, objectsFolder: UAObject): (at: Date, elapsedMs: number) => void {
  const { object, build } = machine(ns, 'MC5', objectsFolder);
  const operatingMode = build.variable('OperatingMode', DataType.String, 'AUTOMATIC');
  const currentProgram = build.variable('CurrentProgram', DataType.String, 'BRACKET_A12');
  const spindleSpeed = build.variable('SpindleSpeed', DataType.Double, 12000);
  const spindleTemperature = build.variable('SpindleTemperature', DataType.Double, 41.7);
  const operatingHours = build.variable('OperatingHours', DataType.Double, 3120.25);

  // An AnalogItem with an InstrumentRange: node-opcua itself refuses a write outside the range with BadOutOfRange
  // and keeps the old value. (A `set` binding that returns a Bad status would still store the written value.)
  ns.addAnalogDataItem({
    componentOf: object,
    browseName: 'FeedOverride',
    nodeId: 's=MC5.FeedOverride',
    dataType: 'Int32',
    accessLevel: READ_WRITE,
    userAccessLevel: READ_WRITE,
    minimumSamplingInterval: 0,
    instrumentRange: FEED_OVERRIDE_RANGE,
    engineeringUnitsRange: FEED_OVERRIDE_RANGE,
    engineeringUnits: standardUnits.percent,
    acceptValueOutOfRange: false,
    value: { dataType: DataType.Int32, value: 100 },
  });

  const startJob = ns.addMethod(object, {
    browseName: 'StartJob',
    nodeId: 's=MC5.StartJob',
    executable: true,
    userExecutable: true,
    inputArguments: [{ name: 'JobId', dataType: DataType.String, description: 'Id of the production job to run' }],
    outputArguments: [{ name: 'Accepted', dataType: DataType.Boolean, description: 'Whether the machine took the job' }],
  });
  // node-opcua tells an async handler from a callback one by its declared parameter count: keep exactly two.
  startJob.bindMethod(async (inputArguments: Variant[], _context: unknown): Promise<CallMethodResultOptions> => {
    const jobId: unknown = inputArguments[0]?.value;
    // A Bad statusCode in the result fails the whole call; the client sees it as CallMethodResult.statusCode.
    if (typeof jobId !== 'string' || jobId === '') return { statusCode: StatusCodes.BadInvalidArgument };
    const now = new Date();
    publish(currentProgram, jobId, now);
    publish(operatingMode, 'RUNNING', now);
    return { statusCode: StatusCodes.Good, outputArguments: [new Variant({ dataType: DataType.Boolean, value: true })] };
  });

  return (at, elapsedMs) => {
    publish(spindleSpeed, Math.round(12000 + (Math.random() * 2 - 1) * 400), at);
    publish(spindleTemperature, drift(spindleTemperature.value, 0.3, 35, 48), at);
    publish(operatingHours, operatingHours.value + elapsedMs / MS_PER_HOUR, at);
  };
}

/** RA6, the six-axis robot; initial values as in its OperationalData submodel. Returns its per-tick change. */
function addRobot(ns: Namespace, objectsFolder: UAObject): (at: Date, elapsedMs: number) => void {
  const { build } = machine(ns, 'RA6', objectsFolder);
  build.variable('OperatingMode', DataType.String, 'AUTOMATIC');
  build.variable('CurrentProgram', DataType.String, 'PickPlace_Tray17');
  const joints = build.child('JointTemperatures');
  const jointTemperatures = [38.4, 41.2, 39.8, 35.1, 33.6, 31.9].map((t, i) => joints.variable(`J${i + 1}`, DataType.Double, t));
  const cycleCount = build.variable('CycleCount', DataType.UInt32, 184233);
  const operatingHours = build.variable('OperatingHours', DataType.Double, 6412.5);

  return (at, elapsedMs) => {
    for (const joint of jointTemperatures) publish(joint, drift(joint.value, 0.4, 30, 50), at);
    // UInt32 wraps like a controller's counter would.
    publish(cycleCount, (cycleCount.value + 1) % 2 ** 32, at);
    publish(operatingHours, operatingHours.value + elapsedMs / MS_PER_HOUR, at);
  };
}

export async function startDemoMachineSimulator(options: DemoMachineSimulatorOptions): Promise<DemoMachineSimulator> {
  const host = options.host ?? '127.0.0.1';
  const intervalMs = options.intervalMs ?? 1000;
  // Both certificate managers get a folder under pkiDir: left out, node-opcua puts them in the user's home
  // (~/.config/node-opcua-default-nodejs). A demo: any client may connect, also with a certificate nobody trusted.
  const serverCertificateManager = new OPCUACertificateManager({
    rootFolder: join(options.pkiDir, 'PKI'),
    automaticallyAcceptUnknownCertificate: true,
  });
  const userCertificateManager = new OPCUACertificateManager({
    rootFolder: join(options.pkiDir, 'UserPKI'),
    automaticallyAcceptUnknownCertificate: true,
  });
  const server = new OPCUAServer({
    port: options.port ?? 4840,
    host,
    // On a wildcard address the endpoint URL names the machine (node-opcua's default), not 0.0.0.0.
    ...(host === '0.0.0.0' || host === '::' ? {} : { hostname: host }),
    serverCertificateManager,
    userCertificateManager,
    buildInfo: { productName: 'AAS server demo machine simulator', manufacturerName: 'aas-server' },
  });
  let machines: Array<(at: Date, elapsedMs: number) => void>;
  try {
    await server.initialize();
    const addressSpace = server.engine.addressSpace;
    if (!addressSpace) throw new Error('OPC UA server initialised without an address space');
    const ns = addressSpace.registerNamespace(DEMO_MACHINES_NAMESPACE_URI);
    const objectsFolder = addressSpace.rootFolder.objects;
    machines = [addCncMachine(ns, objectsFolder), addRobot(ns, objectsFolder)];
    await server.start();
  } catch (e) {
    // E.g. the port is taken: release what was opened so the caller's process can still exit.
    await server.shutdown(0).catch(() => undefined);
    await Promise.all([serverCertificateManager.dispose(), userCertificateManager.dispose()]).catch(() => undefined);
    throw e;
  }
  let last = Date.now();
  const timer = setInterval(() => {
    const now = Date.now();
    const at = new Date(now);
    for (const tick of machines) tick(at, now - last);
    last = now;
  }, intervalMs);

  let stopped: Promise<void> | undefined;
  return {
    endpointUrl: server.getEndpointUrl(),
    stop() {
      stopped ??= (async () => {
        clearInterval(timer);
        await server.shutdown(0);
        await serverCertificateManager.dispose();
      })();
      return stopped;
    },
  };
}
