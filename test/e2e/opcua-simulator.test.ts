/**
 * The demo machine simulator as the AAS server's OPC UA connector meets it: a real OPCUAClient over TCP on
 * 127.0.0.1 reads the nodes the demo mapping names, watches live values change (polled and subscribed), writes
 * FeedOverride inside and outside its range, and calls StartJob with and without a job id.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  AccessLevelFlag,
  AttributeIds,
  DataType,
  NodeClass,
  OPCUACertificateManager,
  OPCUAClient,
  StatusCodes,
  TimestampsToReturn,
  VariableIds,
  type ClientSession,
  type DataValue,
} from 'node-opcua';
import { freePort } from '../free-port.js';
import { DEMO_MACHINES_NAMESPACE_URI, startDemoMachineSimulator, type DemoMachineSimulator } from '../../src/demo/opcua-simulator.js';

const INTERVAL_MS = 100;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('OPC UA demo machine simulator', () => {
  let dir: string;
  let simulator: DemoMachineSimulator;
  let clientCertificates: OPCUACertificateManager;
  let client: OPCUAClient;
  let session: ClientSession;
  let ns: number;
  /** The NodeId of `s=<name>` in the demo namespace, with the index this server gave it. */
  const node = (name: string) => `ns=${ns};s=${name}`;

  const read = async (name: string, attributeId = AttributeIds.Value): Promise<DataValue> => {
    const dv = await session.read({ nodeId: node(name), attributeId });
    assert.equal(dv.statusCode.name, 'Good', `reading ${name}: ${dv.statusCode.toString()}`);
    return dv;
  };
  const value = async (name: string): Promise<unknown> => (await read(name)).value.value;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aas-opcua-sim-'));
    simulator = await startDemoMachineSimulator({ host: '127.0.0.1', port: await freePort(), pkiDir: join(dir, 'server-pki'), intervalMs: INTERVAL_MS });
    clientCertificates = new OPCUACertificateManager({ rootFolder: join(dir, 'client-pki'), automaticallyAcceptUnknownCertificate: true });
    client = OPCUAClient.create({ endpointMustExist: false, connectionStrategy: { maxRetry: 0 }, clientCertificateManager: clientCertificates });
    await client.connect(simulator.endpointUrl);
    session = await client.createSession();
    const namespaces = (await session.read({ nodeId: VariableIds.Server_NamespaceArray, attributeId: AttributeIds.Value })).value.value as string[];
    ns = namespaces.indexOf(DEMO_MACHINES_NAMESPACE_URI);
    assert.ok(ns > 0, `namespace ${DEMO_MACHINES_NAMESPACE_URI} in ${namespaces.join(', ')}`);
  });

  after(async () => {
    await session?.close().catch(() => undefined);
    await client?.disconnect().catch(() => undefined);
    await simulator?.stop();
    await clientCertificates?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('the endpoint is on the loopback address and port it was given', () => {
    assert.match(simulator.endpointUrl, /^opc\.tcp:\/\/127\.0\.0\.1:\d+/);
  });

  test('every node the demo mapping names exists with its DataType', async () => {
    const expected: Array<[string, DataType]> = [
      ['MC5.SpindleSpeed', DataType.Double],
      ['MC5.SpindleTemperature', DataType.Double],
      ['MC5.FeedOverride', DataType.Int32],
      ['MC5.OperatingHours', DataType.Double],
      ['MC5.OperatingMode', DataType.String],
      ['MC5.CurrentProgram', DataType.String],
      ['RA6.OperatingMode', DataType.String],
      ['RA6.CurrentProgram', DataType.String],
      ...[1, 2, 3, 4, 5, 6].map((j): [string, DataType] => [`RA6.JointTemperatures.J${j}`, DataType.Double]),
      ['RA6.CycleCount', DataType.UInt32],
      ['RA6.OperatingHours', DataType.Double],
    ];
    for (const [name, dataType] of expected) {
      const dataTypeId = (await read(name, AttributeIds.DataType)).value.value as { namespace: number; value: unknown };
      // Built-in DataTypes are ns=0 nodes whose numeric id is the DataType enum value (Part 6 §5.1.2).
      assert.deepEqual([dataTypeId.namespace, dataTypeId.value], [0, dataType], `DataType of ${name}`);
      assert.equal((await read(name)).value.dataType, dataType, `value's variant type of ${name}`);
    }
    assert.equal((await read('MC5', AttributeIds.NodeClass)).value.value, NodeClass.Object);
    assert.equal((await read('RA6.JointTemperatures', AttributeIds.NodeClass)).value.value, NodeClass.Object);
    assert.equal((await read('MC5.StartJob', AttributeIds.NodeClass)).value.value, NodeClass.Method);
    assert.equal(await value('MC5.CurrentProgram'), 'BRACKET_A12');
    assert.equal(await value('RA6.CurrentProgram'), 'PickPlace_Tray17');
  });

  test('live values change every interval, inside their bands, with a fresh source timestamp', async () => {
    const live = ['MC5.SpindleSpeed', 'MC5.SpindleTemperature', 'MC5.OperatingHours', 'RA6.CycleCount', 'RA6.OperatingHours',
      ...[1, 2, 3, 4, 5, 6].map((j) => `RA6.JointTemperatures.J${j}`)];
    const first = await Promise.all(live.map((name) => read(name)));
    await sleep(INTERVAL_MS * 3.5);
    const second = await Promise.all(live.map((name) => read(name)));
    const v = (dvs: DataValue[], name: string) => dvs[live.indexOf(name)].value.value as number;

    assert.ok(v(second, 'MC5.OperatingHours') > v(first, 'MC5.OperatingHours'), 'MC5 operating hours grow');
    assert.ok(v(second, 'RA6.OperatingHours') > v(first, 'RA6.OperatingHours'), 'RA6 operating hours grow');
    assert.ok(v(second, 'RA6.CycleCount') >= v(first, 'RA6.CycleCount') + 2, 'cycle count counts ticks');
    const random = live.filter((name) => /Spindle|Joint/.test(name));
    assert.ok(random.some((name) => v(second, name) !== v(first, name)), 'random-walk values moved');
    for (const dvs of [first, second]) {
      assert.ok(Math.abs(v(dvs, 'MC5.SpindleSpeed') - 12000) <= 400);
      assert.ok(v(dvs, 'MC5.SpindleTemperature') >= 35 && v(dvs, 'MC5.SpindleTemperature') <= 48);
      for (let j = 1; j <= 6; j++) {
        const t = v(dvs, `RA6.JointTemperatures.J${j}`);
        assert.ok(t >= 30 && t <= 50, `J${j} = ${t}`);
      }
    }
    for (const [i, dv] of second.entries()) {
      const at = dv.sourceTimestamp?.getTime() ?? 0;
      assert.ok(at > (first[i].sourceTimestamp?.getTime() ?? 0), `${live[i]} source timestamp advanced`);
      assert.ok(Math.abs(Date.now() - at) < 2000, `${live[i]} source timestamp is the time of the change`);
    }
  });

  test('a subscriber is told of each change with its source timestamp', async () => {
    const subscription = await session.createSubscription2({ requestedPublishingInterval: 50, publishingEnabled: true });
    try {
      const item = await subscription.monitor(
        { nodeId: node('RA6.CycleCount'), attributeId: AttributeIds.Value },
        { samplingInterval: 0, queueSize: 10, discardOldest: true },
        TimestampsToReturn.Both,
      );
      const seen: DataValue[] = [];
      item.on('changed', (dv: DataValue) => seen.push(dv));
      const deadline = Date.now() + 5000;
      while (seen.length < 4 && Date.now() < deadline) await sleep(20);
      assert.ok(seen.length >= 4, `notifications: ${seen.length}`);
      for (let i = 1; i < seen.length; i++) {
        assert.ok((seen[i].value.value as number) > (seen[i - 1].value.value as number), 'each notification is a new count');
        assert.ok(seen[i].sourceTimestamp!.getTime() > seen[i - 1].sourceTimestamp!.getTime(), 'source timestamps advance');
      }
    } finally {
      await subscription.terminate();
    }
  });

  test('FeedOverride is writable within 0..150; 500 is refused with BadOutOfRange and the value stays', async () => {
    const rw = AccessLevelFlag.CurrentRead | AccessLevelFlag.CurrentWrite;
    assert.equal(((await read('MC5.FeedOverride', AttributeIds.AccessLevel)).value.value as number) & rw, rw);
    assert.equal(((await read('MC5.FeedOverride', AttributeIds.UserAccessLevel)).value.value as number) & rw, rw);
    assert.equal(await value('MC5.FeedOverride'), 100);

    const write = (v: number) =>
      session.write({ nodeId: node('MC5.FeedOverride'), attributeId: AttributeIds.Value, value: { value: { dataType: DataType.Int32, value: v } } });
    assert.equal((await write(120)).name, 'Good');
    assert.equal(await value('MC5.FeedOverride'), 120);
    assert.equal((await write(500)).name, StatusCodes.BadOutOfRange.name);
    assert.equal(await value('MC5.FeedOverride'), 120);
    assert.equal((await write(-1)).name, StatusCodes.BadOutOfRange.name);
    assert.equal(await value('MC5.FeedOverride'), 120);
  });

  test('values the controller owns are read-only', async () => {
    const status = await session.write({
      nodeId: node('MC5.SpindleSpeed'),
      attributeId: AttributeIds.Value,
      value: { value: { dataType: DataType.Double, value: 1 } },
    });
    assert.equal(status.name, StatusCodes.BadNotWritable.name);
  });

  test('StartJob takes a job id, runs it and answers Accepted=true; an empty id is BadInvalidArgument', async () => {
    const call = (jobId: string) =>
      session.call({ objectId: node('MC5'), methodId: node('MC5.StartJob'), inputArguments: [{ dataType: DataType.String, value: jobId }] });

    const accepted = await call('J-1');
    assert.equal(accepted.statusCode.name, 'Good');
    assert.equal(accepted.outputArguments?.length, 1);
    assert.equal(accepted.outputArguments?.[0].dataType, DataType.Boolean);
    assert.equal(accepted.outputArguments?.[0].value, true);
    assert.equal(await value('MC5.CurrentProgram'), 'J-1');
    assert.equal(await value('MC5.OperatingMode'), 'RUNNING');

    const refused = await call('');
    assert.equal(refused.statusCode.name, StatusCodes.BadInvalidArgument.name);
    assert.equal(await value('MC5.CurrentProgram'), 'J-1');
  });
});
