/**
 * The three ways to declare asset connections, against a real node-opcua server on 127.0.0.1: the REST resource
 * (create, read without the password, replace, delete, validation), the configuration file (YAML; a bad file
 * leaves the server running), and model-driven bindings through `opcua:*` qualifiers, applied live.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DataType } from 'node-opcua';
import { b64, request } from '../http/fixtures.js';
import { startTestServer, type TestServer } from '../http/test-server.js';
import { freePort } from '../free-port.js';
import { eventually, startTestOpcUaServer, TEST_NAMESPACE, TEST_USER, type TestOpcUaServer } from './opcua-test-server.js';

const SM = 'urn:test:sm:bound';
const node = (name: string) => `nsu=${TEST_NAMESPACE};s=T.${name}`;
const qualifier = (type: string, value: string) => ({ type, valueType: 'xs:string', value });

const boundSubmodel = {
  modelType: 'Submodel',
  id: SM,
  idShort: 'Bound',
  submodelElements: [
    { modelType: 'Property', idShort: 'Temperature', valueType: 'xs:double', qualifiers: [qualifier('opcua:nodeId', node('Double'))] },
    {
      modelType: 'SubmodelElementCollection',
      idShort: 'Settings',
      value: [
        {
          modelType: 'Property',
          idShort: 'Setpoint',
          valueType: 'xs:int',
          qualifiers: [qualifier('opcua:nodeId', node('Setpoint')), qualifier('opcua:modes', 'subscribe, write')],
        },
      ],
    },
    { modelType: 'Property', idShort: 'Unbound', valueType: 'xs:string', value: 'x' },
    { modelType: 'Range', idShort: 'Misplaced', valueType: 'xs:int', qualifiers: [qualifier('opcua:nodeId', node('Double'))] },
    {
      modelType: 'Operation',
      idShort: 'Add',
      qualifiers: [qualifier('opcua:objectId', `nsu=${TEST_NAMESPACE};s=T`), qualifier('opcua:methodId', node('Add'))],
      inputVariables: [{ value: { modelType: 'Property', idShort: 'A1', valueType: 'xs:int' } }, { value: { modelType: 'Property', idShort: 'B1', valueType: 'xs:int' } }],
      outputVariables: [{ value: { modelType: 'Property', idShort: 'Sum', valueType: 'xs:int' } }],
    },
  ],
};

interface Status {
  state: string;
  error?: string;
  source: string;
  mappings: { idShortPath: string; modes: string[]; error?: string }[];
  methods: { idShortPath: string }[];
  bindingProblems: { idShortPath: string; message: string }[];
}

const messages = (body: unknown) => (body as { messages: { text: string }[] }).messages.map((m) => m.text);

describe('asset connections: REST resource, file and model bindings', () => {
  let device: TestOpcUaServer;
  let pkiDir: string;
  let server: TestServer;
  const url = (path = '') => `${server.baseUrl}/asset-connections${path}`;
  const statusOf = async (id: string) => (await request('GET', url(`/${id}/status`))).body as Status;

  before(async () => {
    pkiDir = await mkdtemp(join(tmpdir(), 'aas-opcua-pki-'));
    device = await startTestOpcUaServer({ port: await freePort(), pkiDir });
    server = await startTestServer({ config: { opcuaPkiDir: join(pkiDir, 'client') } });
  });

  after(async () => {
    await server?.close();
    await device?.stop();
    await rm(pkiDir, { recursive: true, force: true });
  });

  it('creates, lists, reads (without the password), replaces and deletes connections', async () => {
    const body = { id: 'press', endpointUrl: device.endpointUrl, user: { username: 'operator', password: 'secret' } };
    const created = await request('POST', url(), body);
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('location'), `${new URL(server.baseUrl).pathname}/asset-connections/press`);
    assert.deepEqual(created.body, { id: 'press', endpointUrl: device.endpointUrl, user: { username: 'operator' } });
    assert.equal((await request('POST', url(), body)).status, 409);

    const listed = (await request('GET', url())).body as { result: { id: string; user?: object }[] };
    assert.deepEqual(listed.result.map((c) => c.id), ['press']);
    assert.equal(JSON.stringify(listed).includes('secret'), false);

    // PUT without the password keeps it (the server does not accept anonymous users, so a lost password shows).
    const changed = { ...body, user: { username: 'operator' }, publishingInterval: 100 };
    assert.equal((await request('PUT', url('/press'), changed)).status, 204);
    assert.deepEqual((await request('GET', url('/press'))).body, changed);
    const stored = await server.server.services.store.assetConnections.get('press');
    assert.equal((stored as unknown as { user: { password?: string } }).user.password, 'secret');

    assert.equal((await request('PUT', url('/other'), { ...body, id: 'other' })).status, 201);
    assert.equal((await request('PUT', url('/press'), { ...body, id: 'other' })).status, 400);
    assert.equal((await request('DELETE', url('/press'))).status, 204);
    assert.equal((await request('DELETE', url('/other'))).status, 204);
    assert.equal((await request('GET', url('/press'))).status, 404);
    assert.equal((await request('GET', url('/press/status'))).status, 404);
    assert.equal((await request('DELETE', url('/press'))).status, 404);
  });

  it('connects signed and encrypted as a user; a wrong password shows in the status', async () => {
    const secure = { endpointUrl: device.endpointUrl, securityMode: 'SignAndEncrypt', securityPolicy: 'Basic256Sha256', reconnectDelay: { initial: 200, max: 400 } };
    assert.equal((await request('POST', url(), { ...secure, id: 'secure', user: TEST_USER })).status, 201);
    assert.equal((await request('POST', url(), { ...secure, id: 'wrong', user: { ...TEST_USER, password: 'guess' } })).status, 201);
    await eventually(async () => assert.equal((await statusOf('secure')).state, 'connected'), 15_000);
    const wrong = await eventually(async () => {
      const s = await statusOf('wrong');
      assert.equal(s.state, 'disconnected');
      assert.match(s.error ?? '', /BadUserAccessDenied|BadIdentityTokenRejected|BadIdentityTokenInvalid/);
      return s;
    }, 15_000);
    assert.notEqual(wrong.state, 'connected');
    assert.equal((await request('DELETE', url('/secure'))).status, 204);
    assert.equal((await request('DELETE', url('/wrong'))).status, 204);
  });

  it('rejects an invalid connection with every problem and its path', async () => {
    const res = await request('POST', url(), {
      id: 'bad id',
      endpointUrl: 'http://127.0.0.1:4840',
      securityMode: 'Sign',
      mappings: [{ submodelId: SM, idShortPath: 'X', nodeId: 'not-a-node', modes: ['stream'] }],
    });
    assert.equal(res.status, 400);
    const texts = messages(res.body).join('\n');
    for (const path of ['$.id', '$.endpointUrl', '$.mappings[0].nodeId', '$.mappings[0].modes[0]']) assert.ok(texts.includes(path), `${path} in\n${texts}`);
    const policy = await request('POST', url(), { id: 'p', endpointUrl: device.endpointUrl, securityMode: 'Sign' });
    assert.equal(policy.status, 400);
    assert.match(messages(policy.body).join('\n'), /\$\.securityPolicy/);
  });

  it('binds the elements that carry opcua qualifiers, and rebinds when the model changes', async () => {
    assert.equal((await request('POST', `${server.baseUrl}/submodels`, boundSubmodel)).status, 201);
    const res = await request('POST', url(), { id: 'model', endpointUrl: device.endpointUrl, publishingInterval: 20, model: { submodelIds: [SM] } });
    assert.equal(res.status, 201);
    await eventually(async () => assert.equal((await statusOf('model')).state, 'connected'), 10_000);
    const status = await statusOf('model');
    assert.deepEqual(status.mappings.map((m) => [m.idShortPath, m.modes]), [['Temperature', ['subscribe']], ['Settings.Setpoint', ['subscribe', 'write']]]);
    assert.deepEqual(status.methods.map((m) => m.idShortPath), ['Add']);
    assert.deepEqual(status.bindingProblems.map((p) => p.idShortPath), ['Misplaced']);

    const value = (path: string) => `${server.baseUrl}/submodels/${b64(SM)}/submodel-elements/${path}/$value`;
    device.set('Double', DataType.Double, 61.5);
    await eventually(async () => assert.equal((await request('GET', value('Temperature'))).body, 61.5));
    assert.equal((await request('PATCH', value('Settings.Setpoint'), 77)).status, 204);
    assert.equal(device.value('Setpoint'), 77);

    // A new element with a qualifier is bound without a restart.
    const added = await request('POST', `${server.baseUrl}/submodels/${b64(SM)}/submodel-elements`, {
      modelType: 'Property',
      idShort: 'Flag',
      valueType: 'xs:boolean',
      qualifiers: [qualifier('opcua:nodeId', node('Bool'))],
    });
    assert.equal(added.status, 201);
    device.set('Bool', DataType.Boolean, true);
    await eventually(async () => assert.equal((await request('GET', value('Flag'))).body, true));
    assert.equal((await request('DELETE', url('/model'))).status, 204);
  });

  it('starts the connections of a YAML file, which REST may read but not change', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aas-connections-'));
    const file = join(dir, 'connections.yaml');
    await writeFile(file, `connections:\n  - id: from-file\n    endpointUrl: ${device.endpointUrl}\n    model:\n      submodelIds: ['${SM}']\n`);
    const fromFile = await startTestServer({ config: { assetConnectionsFile: file, opcuaPkiDir: join(pkiDir, 'client2') } });
    try {
      const status = async () => (await request('GET', `${fromFile.baseUrl}/asset-connections/from-file/status`)).body as Status;
      await eventually(async () => assert.equal((await status()).state, 'connected'), 10_000);
      assert.equal((await status()).source, 'file');
      const put = await request('PUT', `${fromFile.baseUrl}/asset-connections/from-file`, { id: 'from-file', endpointUrl: device.endpointUrl });
      assert.equal(put.status, 409);
      assert.equal((await request('DELETE', `${fromFile.baseUrl}/asset-connections/from-file`)).status, 409);
    } finally {
      await fromFile.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('keeps running without connections when the file is invalid', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aas-connections-'));
    const file = join(dir, 'connections.json');
    await writeFile(file, JSON.stringify({ connections: [{ id: 'x', endpointUrl: 'opc.tcp://127.0.0.1:1', mappings: [{ nodeId: 'ns=2;s=A' }] }] }));
    const lines: string[] = [];
    const broken = await startTestServer({ config: { assetConnectionsFile: file, logLevel: 'error' }, logSink: (line) => lines.push(line) });
    try {
      assert.equal((await request('GET', `${broken.origin}/health`)).status, 200);
      assert.deepEqual(((await request('GET', `${broken.baseUrl}/asset-connections`)).body as { result: unknown[] }).result, []);
      const logged = lines.map((l) => JSON.parse(l) as { msg: string; details?: string[] }).find((l) => l.msg.startsWith('asset connection file ignored'));
      assert.ok(logged, lines.join('\n'));
      assert.ok(logged.details?.some((d) => d.startsWith('$.connections[0].mappings[0]')), JSON.stringify(logged.details));
    } finally {
      await broken.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
