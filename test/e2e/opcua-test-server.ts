/**
 * A real node-opcua server on 127.0.0.1 for the OPC UA sync tests: one variable per type the tests map, a
 * writable setpoint that refuses values outside 0..100 (an AnalogItem's instrumentRange → BadOutOfRange) and
 * counts the writes it receives, a read-only variable, a variable whose value changes on every read, and a method.
 * Namespace `urn:aas-server:test` (index 2), NodeIds `s=T.<name>` on object `s=T`.
 */
import { join } from 'node:path';
import {
  DataType,
  VariantArrayType,
  LocalizedText,
  OPCUACertificateManager,
  OPCUAServer,
  StatusCodes,
  Variant,
  type UAVariable,
} from 'node-opcua';

export const TEST_NAMESPACE = 'urn:aas-server:test';
export const TEST_USER = { username: 'operator', password: 'secret' };

export interface TestOpcUaServer {
  endpointUrl: string;
  port: number;
  /** Sets a variable's value as the device would (source timestamp now). */
  set(name: string, dataType: DataType, value: unknown): void;
  value(name: string): unknown;
  /** Writes clients made to the setpoint, accepted or refused. */
  readonly setpointWrites: number;
  /** Reads clients made of `T.Counter` (each read returns the next number). */
  readonly counterReads: number;
  stop(): Promise<void>;
}

/** Polls until `check` passes, or fails with its last assertion after `ms`: for values that arrive by subscription. */
export async function eventually<T>(check: () => Promise<T>, ms = 5000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

export async function startTestOpcUaServer(options: { port: number; pkiDir: string }): Promise<TestOpcUaServer> {
  const server = new OPCUAServer({
    port: options.port,
    host: '127.0.0.1',
    hostname: '127.0.0.1',
    serverCertificateManager: new OPCUACertificateManager({ rootFolder: join(options.pkiDir, 'server'), automaticallyAcceptUnknownCertificate: true }),
    userCertificateManager: new OPCUACertificateManager({ rootFolder: join(options.pkiDir, 'user'), automaticallyAcceptUnknownCertificate: true }),
    // Anonymous sessions are allowed too; a user name must come with its password.
    userManager: { isValidUser: (userName: string, password: string) => userName === TEST_USER.username && password === TEST_USER.password },
  });
  await server.initialize();
  const addressSpace = server.engine.addressSpace!;
  const ns = addressSpace.registerNamespace(TEST_NAMESPACE);
  const object = ns.addObject({ organizedBy: addressSpace.rootFolder.objects, browseName: 'T', nodeId: 's=T' });
  const variables = new Map<string, UAVariable>();
  const add = (name: string, dataType: DataType, value: unknown, writable = false) => {
    const variable = ns.addVariable({
      componentOf: object,
      browseName: name,
      nodeId: `s=T.${name}`,
      dataType: DataType[dataType],
      minimumSamplingInterval: 0,
      accessLevel: writable ? 'CurrentRead | CurrentWrite' : 'CurrentRead',
      userAccessLevel: writable ? 'CurrentRead | CurrentWrite' : 'CurrentRead',
      value: new Variant({ dataType, arrayType: VariantArrayType.Scalar, value }),
    });
    variables.set(name, variable);
  };
  add('Double', DataType.Double, 20.5);
  add('Float', DataType.Float, 0.1);
  add('UInt64', DataType.UInt64, [0, 7]);
  add('Bool', DataType.Boolean, false);
  add('Text', DataType.LocalizedText, new LocalizedText({ locale: 'de', text: 'Hallo' }));
  add('Stamp', DataType.DateTime, new Date('2026-01-02T03:04:05.678Z'));
  add('ReadOnly', DataType.Double, 1.5);
  add('Level', DataType.Double, 10);

  let setpointWrites = 0;
  const setpoint = ns.addAnalogDataItem({
    componentOf: object,
    browseName: 'Setpoint',
    nodeId: 's=T.Setpoint',
    dataType: 'Int32',
    minimumSamplingInterval: 0,
    accessLevel: 'CurrentRead | CurrentWrite',
    userAccessLevel: 'CurrentRead | CurrentWrite',
    instrumentRange: { low: 0, high: 100 },
    engineeringUnitsRange: { low: 0, high: 100 },
    value: new Variant({ dataType: DataType.Int32, value: 10 }),
  } as Parameters<typeof ns.addAnalogDataItem>[0]);
  variables.set('Setpoint', setpoint);
  // Every client write passes writeAttribute: counting there sees writes of an unchanged value too.
  const writeAttribute = setpoint.writeAttribute.bind(setpoint) as (...args: unknown[]) => unknown;
  (setpoint as unknown as { writeAttribute: (...args: unknown[]) => unknown }).writeAttribute = (...args: unknown[]) => {
    setpointWrites += 1;
    return writeAttribute(...args);
  };

  let counterReads = 0;
  ns.addVariable({
    componentOf: object,
    browseName: 'Counter',
    nodeId: 's=T.Counter',
    dataType: 'Double',
    minimumSamplingInterval: 1000,
    value: { get: () => new Variant({ dataType: DataType.Double, value: ++counterReads }) },
  });

  const addMethod = ns.addMethod(object, {
    browseName: 'Add',
    nodeId: 's=T.Add',
    inputArguments: [
      { name: 'A', dataType: DataType.Int32, valueRank: -1 },
      { name: 'B', dataType: DataType.Int32, valueRank: -1 },
    ],
    outputArguments: [{ name: 'Sum', dataType: DataType.Int32, valueRank: -1 }],
  });
  // Two parameters: node-opcua tells a promise-returning method from a callback one by its arity.
  addMethod.bindMethod(async (inputs: Variant[], _context: unknown) => {
    const [a, b] = inputs.map((v) => v.value as number);
    if (a < 0) return { statusCode: StatusCodes.BadInvalidArgument };
    return { statusCode: StatusCodes.Good, outputArguments: [new Variant({ dataType: DataType.Int32, value: a + b })] };
  });

  await server.start();
  return {
    endpointUrl: `opc.tcp://127.0.0.1:${options.port}`,
    port: options.port,
    set(name, dataType, value) {
      variables.get(name)!.setValueFromSource(new Variant({ dataType, arrayType: VariantArrayType.Scalar, value }), StatusCodes.Good, new Date());
    },
    value(name) {
      return variables.get(name)!.readValue().value.value;
    },
    get setpointWrites() {
      return setpointWrites;
    },
    get counterReads() {
      return counterReads;
    },
    async stop() {
      await server.shutdown(0);
    },
  };
}
