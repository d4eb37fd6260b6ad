/**
 * OPC UA live sync against a real node-opcua server over TCP on 127.0.0.1: subscriptions into properties, `read`
 * mode, write-back (accepted, refused, unreachable), echo suppression, type conversion, method calls, an unknown
 * node, a type mismatch, and a server restart mid-run.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DataType } from 'node-opcua';
import { b64, request } from '../http/fixtures.js';
import { startTestServer, type TestServer } from '../http/test-server.js';
import { freePort } from '../free-port.js';
import { eventually, startTestOpcUaServer, TEST_NAMESPACE, type TestOpcUaServer } from './opcua-test-server.js';

const SM = 'urn:test:sm:opcua';
const node = (name: string) => `nsu=${TEST_NAMESPACE};s=T.${name}`;
const property = (idShort: string, valueType: string, value?: string) => ({ modelType: 'Property', idShort, valueType, ...(value !== undefined && { value }) });

const submodel = {
  modelType: 'Submodel',
  id: SM,
  idShort: 'Live',
  submodelElements: [
    property('Temperature', 'xs:double', '0'),
    property('Ratio', 'xs:float'),
    property('Big', 'xs:unsignedLong'),
    property('Flag', 'xs:boolean'),
    { modelType: 'MultiLanguageProperty', idShort: 'Greeting' },
    property('Stamp', 'xs:dateTime'),
    // xs:long on an Int32 node: values beyond Int32 are valid for the property but not for the device.
    property('Setpoint', 'xs:long', '10'),
    property('Locked', 'xs:double'),
    property('Polled', 'xs:double'),
    property('Ghost', 'xs:double', '7'),
    property('Mismatch', 'xs:boolean'),
    property('Level', 'xs:double'),
    {
      modelType: 'Operation',
      idShort: 'Add',
      inputVariables: [{ value: property('First', 'xs:int') }, { value: property('Summand', 'xs:int') }],
      outputVariables: [{ value: property('Sum', 'xs:int') }],
    },
  ],
};

const mapping = (idShortPath: string, name: string, modes: string[]) => ({ submodelId: SM, idShortPath, nodeId: node(name), modes });

function connection(endpointUrl: string) {
  return {
    id: 'test-device',
    endpointUrl,
    publishingInterval: 20,
    reconnectDelay: { initial: 100, max: 500 },
    requestTimeout: 2000,
    mappings: [
      mapping('Temperature', 'Double', ['subscribe']),
      mapping('Ratio', 'Float', ['subscribe']),
      mapping('Big', 'UInt64', ['subscribe']),
      mapping('Flag', 'Bool', ['subscribe']),
      mapping('Greeting', 'Text', ['subscribe']),
      mapping('Stamp', 'Stamp', ['subscribe']),
      mapping('Setpoint', 'Setpoint', ['subscribe', 'write']),
      mapping('Locked', 'ReadOnly', ['write']),
      mapping('Polled', 'Counter', ['read']),
      mapping('Ghost', 'NoSuchNode', ['subscribe']),
      mapping('Mismatch', 'Double', ['subscribe']),
      { ...mapping('Level', 'Level', ['subscribe']), deadband: { type: 'absolute', value: 1 } },
    ],
    methods: [{ submodelId: SM, idShortPath: 'Add', objectId: `nsu=${TEST_NAMESPACE};s=T`, methodId: node('Add'), arguments: { First: 'A', Summand: 'B' } }],
  };
}

interface Status {
  state: string;
  error?: string;
  counts: Record<string, number>;
  mappings: { idShortPath: string; value?: unknown; stale: boolean; statusCode?: string; error?: string; sourceTimestamp?: string; updates: number; writes: number; writeFailures: number; dataType?: string }[];
  methods: { idShortPath: string; calls: number; failures: number; error?: string }[];
}

describe('OPC UA live sync', () => {
  let device: TestOpcUaServer;
  let server: TestServer;
  let pkiDir: string;
  const valueUrl = (path: string) => `${server.baseUrl}/submodels/${b64(SM)}/submodel-elements/${path}/$value`;
  const status = async () => (await request('GET', `${server.baseUrl}/asset-connections/test-device/status`)).body as Status;
  const mappingStatus = async (path: string) => (await status()).mappings.find((m) => m.idShortPath === path)!;
  const valueOf = async (path: string) => (await request('GET', valueUrl(path))).body;

  before(async () => {
    pkiDir = await mkdtemp(join(tmpdir(), 'aas-opcua-pki-'));
    device = await startTestOpcUaServer({ port: await freePort(), pkiDir });
    server = await startTestServer({ config: { opcuaPkiDir: join(pkiDir, 'client') } });
    const stored = await request('POST', `${server.baseUrl}/submodels`, submodel);
    assert.equal(stored.status, 201, JSON.stringify(stored.body));
    const created = await request('POST', `${server.baseUrl}/asset-connections`, connection(device.endpointUrl));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await eventually(async () => assert.equal((await status()).state, 'connected'), 15_000);
  });

  after(async () => {
    await server?.close();
    await device?.stop();
    await rm(pkiDir, { recursive: true, force: true });
  });

  it('pushes subscribed values into the properties, visible through $value and the status', async () => {
    await eventually(async () => assert.equal(await valueOf('Temperature'), 20.5));
    device.set('Double', DataType.Double, 23.25);
    await eventually(async () => assert.equal(await valueOf('Temperature'), 23.25));
    const s = await mappingStatus('Temperature');
    assert.equal(s.value, '23.25');
    assert.equal(s.statusCode, 'Good');
    assert.equal(s.stale, false);
    assert.equal(s.dataType, 'Double');
    assert.ok(s.updates >= 2, `updates ${s.updates}`);
    assert.ok(Date.now() - Date.parse(s.sourceTimestamp!) < 10_000, 'source timestamp is recent');
  });

  it('converts OPC UA types into the properties\' value types', async () => {
    device.set('UInt64', DataType.UInt64, [0xffffffff, 0xffffffff]);
    device.set('Bool', DataType.Boolean, true);
    await eventually(async () => {
      const normal = (await request('GET', `${server.baseUrl}/submodels/${b64(SM)}`)).body as { submodelElements: { idShort: string; value?: unknown }[] };
      const value = (idShort: string) => normal.submodelElements.find((e) => e.idShort === idShort)?.value;
      assert.equal(value('Big'), '18446744073709551615');
      assert.equal(value('Flag'), 'true');
      assert.equal(value('Ratio'), '0.1');
      assert.equal(value('Stamp'), '2026-01-02T03:04:05.678Z');
      assert.deepEqual(value('Greeting'), [{ language: 'de', text: 'Hallo' }]);
    });
  });

  it('writes a PATCHed value to the device first; the echo from the subscription writes nothing more', async () => {
    const before = device.setpointWrites;
    const res = await request('PATCH', valueUrl('Setpoint'), 42);
    assert.equal(res.status, 204);
    assert.equal(device.value('Setpoint'), 42);
    assert.equal(device.setpointWrites, before + 1);
    // The subscription reports the new value back; give it several publishing intervals.
    await eventually(async () => assert.equal((await mappingStatus('Setpoint')).value, '42'));
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(device.setpointWrites, before + 1, 'the echo caused another write');
    assert.equal(await valueOf('Setpoint'), 42);
    assert.equal((await mappingStatus('Setpoint')).writes, 1);
  });

  it('answers 502 with the OPC UA status when the device refuses, and stores nothing', async () => {
    const refused = await request('PATCH', valueUrl('Setpoint'), 150);
    assert.equal(refused.status, 502);
    const text = (refused.body as { messages: { text: string }[] }).messages[0].text;
    assert.match(text, /BadOutOfRange/);
    assert.equal(await valueOf('Setpoint'), 42);
    assert.equal(device.value('Setpoint'), 42);

    const readOnly = await request('PATCH', valueUrl('Locked'), 2.5);
    assert.equal(readOnly.status, 502);
    assert.match((readOnly.body as { messages: { text: string }[] }).messages[0].text, /BadNotWritable|BadUserAccessDenied/);
    assert.equal(await valueOf('Locked'), null);
    const s = await mappingStatus('Locked');
    assert.equal(s.writeFailures, 1);
  });

  it('answers 400 for a value the node\'s DataType cannot take, without asking the device', async () => {
    const before = device.setpointWrites;
    const res = await request('PATCH', valueUrl('Setpoint'), 3000000000);
    assert.equal(res.status, 400);
    assert.match((res.body as { messages: { text: string }[] }).messages[0].text, /Int32/);
    assert.equal(device.setpointWrites, before);
    assert.equal(await valueOf('Setpoint'), 42);
  });

  it('writes back through every form of write, e.g. PATCH of the submodel\'s $value', async () => {
    const res = await request('PATCH', `${server.baseUrl}/submodels/${b64(SM)}/$value`, { Setpoint: 55 });
    assert.equal(res.status, 204);
    assert.equal(device.value('Setpoint'), 55);
  });

  it('leaves out changes within the deadband', async () => {
    await eventually(async () => assert.equal(await valueOf('Level'), 10));
    device.set('Level', DataType.Double, 10.5);
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(await valueOf('Level'), 10);
    device.set('Level', DataType.Double, 12);
    await eventually(async () => assert.equal(await valueOf('Level'), 12));
  });

  it('reads `read` mappings from the device on every API read', async () => {
    const first = (await valueOf('Polled')) as number;
    const second = (await valueOf('Polled')) as number;
    assert.ok(first >= 1, `first ${first}`);
    assert.ok(second > first, `second read ${second} after ${first}`);
    const whole = (await request('GET', `${server.baseUrl}/submodels/${b64(SM)}/$value`)).body as { Polled: number };
    assert.ok(whole.Polled > second);
  });

  it('calls the mapped OPC UA method for an Operation, arguments by name', async () => {
    const invoke = (a: number, b: number) =>
      request('POST', `${server.baseUrl}/submodels/${b64(SM)}/submodel-elements/Add/invoke`, {
        inputArguments: [{ value: property('First', 'xs:int', String(a)) }, { value: property('Summand', 'xs:int', String(b)) }],
      });
    const ok = await invoke(2, 3);
    assert.equal(ok.status, 200);
    const result = ok.body as { executionState: string; success: boolean; outputArguments: { value: { idShort: string; value: string } }[] };
    assert.equal(result.executionState, 'Completed');
    assert.deepEqual(result.outputArguments.map((a) => [a.value.idShort, a.value.value]), [['Sum', '5']]);

    const failed = await invoke(-1, 3);
    const failure = failed.body as { executionState: string; success: boolean; messages: { text: string }[] };
    assert.equal(failure.executionState, 'Failed');
    assert.equal(failure.success, false);
    assert.ok(failure.messages.some((m) => /BadInvalidArgument/.test(m.text)), JSON.stringify(failure.messages));
    const s = (await status()).methods[0];
    assert.deepEqual([s.calls, s.failures], [2, 1]);

    // Asynchronously, through the same handler: 202, then the result with the method's output.
    const started = await request('POST', `${server.baseUrl}/submodels/${b64(SM)}/submodel-elements/Add/invoke-async/$value`, { inputArguments: { First: 20, Summand: 22 } });
    assert.equal(started.status, 202);
    const location = started.headers.get('location')!;
    const results = location.replace('/operation-status/', '/operation-results/');
    const done = await eventually(async () => {
      const r = await request('GET', `${new URL(server.baseUrl).origin}${results}/$value`);
      assert.equal((r.body as { executionState: string }).executionState, 'Completed');
      return r.body as { outputArguments: Record<string, unknown> };
    });
    assert.deepEqual(done.outputArguments, { Sum: 42 });
  });

  it('shows an unknown node and a type mismatch in the status; the other mappings keep working', async () => {
    const ghost = await mappingStatus('Ghost');
    assert.match(ghost.error ?? '', /BadNodeIdUnknown/);
    assert.equal(await valueOf('Ghost'), 7);
    const mismatch = await mappingStatus('Mismatch');
    assert.match(mismatch.error ?? '', /xs:boolean/);
    assert.equal(await valueOf('Mismatch'), null);
    assert.equal((await status()).state, 'connected');
  });

  it('survives a restart of the OPC UA server: values go stale, then sync resumes within 5 s', async () => {
    await device.stop();
    await eventually(async () => {
      const s = await status();
      assert.notEqual(s.state, 'connected');
      assert.equal(s.mappings.find((m) => m.idShortPath === 'Temperature')!.stale, true);
    });
    const down = await request('PATCH', valueUrl('Setpoint'), 60);
    assert.equal(down.status, 502, 'a write while disconnected is refused');
    assert.equal(await valueOf('Setpoint'), 55);

    device = await startTestOpcUaServer({ port: device.port, pkiDir });
    const restarted = Date.now();
    device.set('Double', DataType.Double, 99.5);
    await eventually(async () => assert.equal(await valueOf('Temperature'), 99.5), 5000);
    assert.ok(Date.now() - restarted <= 5000);
    const s = await status();
    assert.equal(s.state, 'connected');
    assert.equal(s.mappings.find((m) => m.idShortPath === 'Temperature')!.stale, false);
    assert.deepEqual((await request('GET', `${server.origin}/health`)).body, { status: 'ok', assetConnections: { total: 1, connected: 1 } });
    device.set('Double', DataType.Double, 100.25);
    await eventually(async () => assert.equal(await valueOf('Temperature'), 100.25));
  });
});
