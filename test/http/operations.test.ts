/**
 * Operation invocation over HTTP (Part 2 §"Invoke") on both doors: synchronous and asynchronous, Normal and
 * ValueOnly, status 200 → 302 → result, timeouts, the 4xx/501 answers, and HTTP delegation to a target server on
 * 127.0.0.1 (allowed, refused, target down, metadata address refused).
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { hasQualifierType, qualifierOf, type OperationHandler, type OperationInvocation } from '../../src/services/operations/index.js';
import { b64, request, resultText, shell, submodelRef } from './fixtures.js';
import { startTestServer, type TestServer } from './test-server.js';
import { freePort } from '../free-port.js';

const SM = 'urn:example:sm:operations';
const AAS = 'urn:example:aas:operations';
const OTHER_SM = 'urn:example:sm:not-referenced';

const prop = (idShort: string, valueType: string, value?: string, extra: Record<string, unknown> = {}) => ({
  modelType: 'Property', idShort, valueType, ...(value === undefined ? {} : { value }), ...extra,
});
const variable = (value: object) => ({ value });
const qualifier = (type: string, value: string) => ({ type, valueType: 'xs:string', value });
const optional = { qualifiers: [qualifier('SMT/Cardinality', 'ZeroToOne')] };

function operation(idShort: string, qualifiers: object[], variables: Record<string, unknown> = {}) {
  return { modelType: 'Operation', idShort, ...(qualifiers.length > 0 ? { qualifiers } : {}), ...variables };
}

/** Add: sum = First + Second (Second optional), counter (inoutput) + 1. */
const addVariables = {
  inputVariables: [variable(prop('First', 'xs:int')), variable(prop('Second', 'xs:int', undefined, optional))],
  outputVariables: [variable(prop('sum', 'xs:int'))],
  inoutputVariables: [variable(prop('counter', 'xs:int'))],
};

function operationsSubmodel(target: string, downPort: number) {
  const test = (name: string) => qualifier('test/handler', name);
  const delegate = (url: string) => qualifier('invocationDelegation', url);
  const remoteVariables = { inputVariables: addVariables.inputVariables, outputVariables: addVariables.outputVariables };
  return {
    modelType: 'Submodel',
    id: SM,
    idShort: 'Operations',
    submodelElements: [
      operation('Add', [test('add')], addVariables),
      operation('Slow', [test('slow')], { outputVariables: [variable(prop('done', 'xs:boolean'))] }),
      operation('Broken', [test('fail')]),
      operation('BadOutput', [test('bad-output')]),
      operation('Unhandled', []),
      operation('Remote', [delegate(`${target}/ok/add`)], remoteVariables),
      operation('RemoteFailed', [delegate(`${target}/ok/failed`)]),
      operation('RemoteError', [delegate(`${target}/ok/error`)]),
      operation('RemoteRedirect', [delegate(`${target}/ok/redirect`)]),
      operation('RemoteHuge', [delegate(`${target}/ok/huge`)]),
      operation('NotAllowed', [delegate(`${target}/elsewhere`)]),
      operation('Down', [delegate(`http://127.0.0.1:${downPort}/invoke`)]),
      operation('Metadata', [delegate('http://169.254.169.254/latest/meta-data')]),
      prop('Speed', 'xs:int', '1200'),
      { modelType: 'SubmodelElementCollection', idShort: 'Group', value: [operation('Nested', [test('add')], addVariables)] },
      { modelType: 'SubmodelElementList', idShort: 'Jobs', typeValueListElement: 'Operation', value: [operation('Listed', [test('add')], addVariables)] },
    ],
  };
}

/** A delegation target on 127.0.0.1 that records what it receives. */
interface Target {
  url: string;
  received: { path: string; headers: IncomingHttpHeaders; body: any }[]; // eslint-disable-line @typescript-eslint/no-explicit-any
  close(): Promise<void>;
}

async function startTarget(): Promise<Target> {
  const received: Target['received'] = [];
  const server: Server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => {
      const body = text === '' ? undefined : JSON.parse(text);
      received.push({ path: req.url ?? '', headers: req.headers, body });
      const json = (status: number, value: unknown) => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      const input = (id: string) => Number(body?.inputArguments?.find((a: { value: { idShort: string } }) => a.value.idShort === id)?.value.value ?? 0);
      if (req.url === '/ok/add') {
        json(200, { executionState: 'Completed', success: true, outputArguments: [{ value: prop('sum', 'xs:int', String(input('First') + input('Second'))) }], messages: [{ messageType: 'Info', text: 'added remotely' }] });
      } else if (req.url === '/ok/failed') json(200, { executionState: 'Failed', success: false, messages: [{ messageType: 'Error', text: 'remote valve stuck' }] });
      else if (req.url === '/ok/error') json(500, { messages: [{ text: 'remote crashed' }] });
      else if (req.url === '/ok/redirect') {
        res.writeHead(307, { Location: 'http://169.254.169.254/' });
        res.end();
      } else if (req.url === '/ok/huge') json(200, { outputArguments: [], padding: 'x'.repeat(64 * 1024) });
      else json(404, {});
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, received, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** The test's own operation handler, chosen by a qualifier `test/handler` (its value says what to do). */
function testHandler() {
  const gates: (() => void)[] = [];
  const aborted: OperationInvocation[] = [];
  const calls: OperationInvocation[] = [];
  const num = (args: OperationInvocation['inputArguments'], id: string) => Number((args.find((a) => a.value.idShort === id)?.value as { value?: string })?.value ?? 0);
  const handler: OperationHandler = {
    name: 'test',
    handles: hasQualifierType('test/handler'),
    async invoke(inv) {
      calls.push(inv);
      switch (qualifierOf(inv.operation, 'test/handler')?.value) {
        case 'add':
          return {
            outputArguments: [{ value: prop('sum', 'xs:int', String(num(inv.inputArguments, 'First') + num(inv.inputArguments, 'Second'))) }],
            inoutputArguments: inv.inoutputArguments.map((a) => ({ value: { ...a.value, value: String(Number((a.value as { value?: string }).value) + 1) } as typeof a.value })),
            messages: [{ text: 'added' }],
          };
        case 'slow':
          await new Promise<void>((resolve, reject) => {
            gates.push(resolve);
            inv.signal.addEventListener('abort', () => {
              aborted.push(inv);
              reject(inv.signal.reason);
            });
          });
          return { outputArguments: [{ value: prop('done', 'xs:boolean', 'true') }] };
        case 'fail':
          throw new Error('the spindle is jammed');
        default:
          return { outputArguments: [{ value: prop('surprise', 'xs:string', 'x') }] };
      }
    },
  };
  return { handler, calls, aborted, releaseAll: () => gates.splice(0).forEach((open) => open()) };
}

const noRedirect = async (url: string) => {
  const res = await fetch(url, { redirect: 'manual' });
  const text = await res.text();
  return { status: res.status, location: res.headers.get('location'), body: text === '' ? undefined : JSON.parse(text) };
};

describe('Operation invocation over HTTP', () => {
  let srv: TestServer;
  let target: Target;
  let test: ReturnType<typeof testHandler>;
  const doors: { name: string; root: () => string; rootPath: string }[] = [
    { name: 'Submodel repository', root: () => `${srv.baseUrl}/submodels/${b64(SM)}`, rootPath: `/api/v3.0/submodels/${b64(SM)}` },
    { name: 'AAS repository', root: () => `${srv.baseUrl}/shells/${b64(AAS)}/submodels/${b64(SM)}`, rootPath: `/api/v3.0/shells/${b64(AAS)}/submodels/${b64(SM)}` },
  ];

  before(async () => {
    target = await startTarget();
    const downPort = await freePort();
    srv = await startTestServer({
      config: {
        operationDelegationAllow: [`${target.url}/ok/`, `http://127.0.0.1:${downPort}/`, '169.254.169.254'],
        operationDelegationMaxResponse: 16 * 1024,
      },
    });
    test = testHandler();
    srv.server.services.operations.handlers.register(test.handler);
    const created = await request("POST", `${srv.baseUrl}/submodels`, operationsSubmodel(target.url, downPort));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal((await request('POST', `${srv.baseUrl}/submodels`, { modelType: 'Submodel', id: OTHER_SM, submodelElements: [operation('Add', [qualifier('test/handler', 'add')], addVariables)] })).status, 201);
    assert.equal((await request('POST', `${srv.baseUrl}/shells`, shell(AAS, { submodels: [submodelRef(SM)] }))).status, 201);
  });
  after(async () => {
    test?.releaseAll();
    await srv?.close();
    await target?.close();
  });

  const addRequest = (a: string, b?: string, counter = '7') => ({
    inputArguments: [variable(prop('First', 'xs:int', a)), ...(b === undefined ? [] : [variable(prop('Second', 'xs:int', b, optional))])],
    inoutputArguments: [variable(prop('counter', 'xs:int', counter))],
  });

  for (const door of doors) {
    describe(`through the ${door.name}`, () => {
      const op = (path: string) => `${door.root()}/submodel-elements/${path}`;

      it('invokes synchronously (Normal): outputs, inoutputs and messages in a Completed result', async () => {
        const res = await request('POST', op('Add/invoke'), addRequest('2', '40'));
        assert.equal(res.status, 200);
        assert.equal(res.body.executionState, 'Completed');
        assert.equal(res.body.success, true);
        assert.deepEqual(res.body.outputArguments, [{ value: prop('sum', 'xs:int', '42') }]);
        assert.deepEqual(res.body.inoutputArguments, [{ value: prop('counter', 'xs:int', '8') }]);
        assert.equal(res.body.messages[0].text, 'added');
        const call = test.calls.at(-1)!;
        assert.equal(call.submodelId, SM);
        assert.equal(call.idShortPath, 'Add');
        assert.equal(call.inputArguments.length, 2, 'the handler gets the arguments in Normal form');
      });

      it('invokes a nested Operation and leaves an optional input out', async () => {
        const res = await request('POST', op('Group.Nested/invoke'), addRequest('5'));
        assert.equal(res.status, 200);
        assert.deepEqual(res.body.outputArguments, [{ value: prop('sum', 'xs:int', '5') }]);
        assert.equal(test.calls.at(-1)!.idShortPath, 'Group.Nested');
      });

      it('invokes an Operation in a list, addressed by index (brackets percent-encoded)', async () => {
        const res = await request('POST', op('Jobs%5B0%5D/invoke-async'), addRequest('1', '1'));
        assert.equal(res.status, 202);
        const location = res.headers.get('location')!;
        assert.ok(location.startsWith(`${door.rootPath}/submodel-elements/Jobs%5B0%5D/operation-status/`), location);
        const done = await waitForRedirect(srv.origin + location);
        assert.ok(done.location!.startsWith(`${door.rootPath}/submodel-elements/Jobs%5B0%5D/operation-results/`));
        assert.deepEqual((await request('GET', srv.origin + done.location!)).body.outputArguments, [{ value: prop('sum', 'xs:int', '2') }]);
        assert.equal(test.calls.at(-1)!.idShortPath, 'Jobs[0]');
      });

      it('invokes synchronously with ValueOnly arguments ($value)', async () => {
        const res = await request('POST', op('Add/invoke/$value'), { inputArguments: { First: 1, Second: 2 }, inoutputArguments: { counter: 10 } });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.executionState, 'Completed');
        assert.deepEqual(res.body.outputArguments, { sum: 3 });
        assert.deepEqual(res.body.inoutputArguments, { counter: 11 });
        const call = test.calls.at(-1)!;
        assert.deepEqual(call.inputArguments.map((a) => a.value), [prop('First', 'xs:int', '1'), prop('Second', 'xs:int', '2', optional)], 'applied to the declared elements');
      });

      it('reports a failing handler as 200 Failed with its message', async () => {
        const res = await request('POST', op('Broken/invoke'), {});
        assert.equal(res.status, 200);
        assert.equal(res.body.executionState, 'Failed');
        assert.equal(res.body.success, false);
        assert.match(res.body.messages[0].text, /spindle is jammed/);
      });

      it('reports outputs the Operation does not declare as Failed', async () => {
        const res = await request('POST', op('BadOutput/invoke'), {});
        assert.equal(res.body.executionState, 'Failed');
        assert.match(res.body.messages.map((m: { text: string }) => m.text).join(' '), /surprise/);
      });

      it('honours clientTimeoutDuration: Timeout, and the handler sees its signal abort', async () => {
        const before = test.aborted.length;
        const started = Date.now();
        const res = await request('POST', op('Slow/invoke'), { clientTimeoutDuration: 'PT0.2S' });
        assert.equal(res.status, 200);
        assert.equal(res.body.executionState, 'Timeout');
        assert.equal(res.body.success, false);
        assert.ok(Date.now() - started < 5000);
        assert.equal(test.aborted.length, before + 1);
      });

      it('invokes asynchronously: 202 + Location, status 200 Running, then 302 to the result', async () => {
        const res = await request('POST', op('Slow/invoke-async'), { clientTimeoutDuration: 'PT30S' });
        assert.equal(res.status, 202);
        assert.equal(res.body, undefined);
        const location = res.headers.get('location')!;
        assert.match(location, new RegExp(`^${door.rootPath.replace(/[$]/g, '\\$')}/submodel-elements/Slow/operation-status/[A-Za-z0-9_-]+$`));
        const statusUrl = srv.origin + location;
        const running = await noRedirect(statusUrl);
        assert.equal(running.status, 200);
        assert.deepEqual(running.body, { executionState: 'Running' });
        const early = await request('GET', statusUrl.replace('/operation-status/', '/operation-results/'));
        assert.equal(early.body.executionState, 'Running');
        test.releaseAll();
        const done = await waitForRedirect(statusUrl);
        assert.equal(done.location, location.replace('/operation-status/', '/operation-results/'));
        const result = await request('GET', srv.origin + done.location);
        assert.equal(result.status, 200);
        assert.equal(result.body.executionState, 'Completed');
        assert.deepEqual(result.body.outputArguments, [{ value: prop('done', 'xs:boolean', 'true') }]);
        const valueOnly = await request('GET', `${srv.origin}${done.location}/$value`);
        assert.deepEqual(valueOnly.body.outputArguments, { done: true });
        assert.equal(valueOnly.body.executionState, 'Completed');
      });

      it('invokes asynchronously with ValueOnly arguments and serves both result forms', async () => {
        const res = await request('POST', op('Add/invoke-async/$value'), { inputArguments: { First: 20, Second: 22 }, inoutputArguments: { counter: 0 }, clientTimeoutDuration: 'PT10S' });
        assert.equal(res.status, 202);
        const done = await waitForRedirect(srv.origin + res.headers.get('location')!);
        assert.deepEqual((await request('GET', `${srv.origin}${done.location}/$value`)).body.outputArguments, { sum: 42 });
        const normal = (await request('GET', srv.origin + done.location!)).body;
        assert.deepEqual(normal.outputArguments, [{ value: prop('sum', 'xs:int', '42') }]);
        assert.deepEqual(normal.inoutputArguments, [{ value: prop('counter', 'xs:int', '1') }]);
      });

      it('ends an asynchronous invocation past its timeout in Timeout', async () => {
        const res = await request('POST', op('Slow/invoke-async'), { clientTimeoutDuration: 'PT0.1S' });
        assert.equal(res.status, 202);
        const done = await waitForRedirect(srv.origin + res.headers.get('location')!);
        const result = (await request('GET', srv.origin + done.location!)).body;
        assert.equal(result.executionState, 'Timeout');
        assert.equal(result.success, false);
      });

      it('answers 405 for an element that is not an Operation, on every invoke route', async () => {
        for (const suffix of ['invoke', 'invoke/$value', 'invoke-async', 'invoke-async/$value']) {
          const res = await request('POST', op(`Speed/${suffix}`), {});
          assert.equal(res.status, 405, suffix);
          assert.match(resultText(res.body), /Property; only an Operation can be invoked/);
        }
      });

      it('answers 404 for unknown paths and handles, and 400 for a malformed path', async () => {
        assert.equal((await request('POST', op('Nope/invoke'), {})).status, 404);
        assert.equal((await request('POST', op('Group.Nope/invoke-async'), {})).status, 404);
        assert.equal((await request('POST', op('Speed[0]/invoke'), {})).status, 400);
        assert.equal((await request('GET', op('Add/operation-status/no-such-handle'))).status, 404);
        assert.equal((await request('GET', op('Add/operation-results/no-such-handle'))).status, 404);
        assert.equal((await request('GET', op('Add/operation-results/no-such-handle/$value'))).status, 404);
        // A real handle asked for under another Operation's path is unknown there.
        const started = await request('POST', op('Add/invoke-async'), addRequest('1'));
        const handle = started.headers.get('location')!.split('/').pop()!;
        assert.equal((await request('GET', op(`Broken/operation-status/${handle}`))).status, 404);
        assert.notEqual((await noRedirect(op(`Add/operation-status/${handle}`))).status, 404);
        // Part 2 describes handleId as base64url-encoded: that spelling finds it too.
        assert.notEqual((await noRedirect(op(`Add/operation-status/${b64(handle)}`))).status, 404);
      });

      it('answers 400 for arguments that do not fit the declaration, naming what is wrong', async () => {
        const cases: [string, unknown, RegExp][] = [
          ['missing required input', { inoutputArguments: addRequest('1').inoutputArguments }, /required inputVariables entry "First" is missing/],
          ['missing required inoutput', { inputArguments: addRequest('1').inputArguments }, /required inoutputVariables entry "counter" is missing/],
          ['unknown input', { ...addRequest('1'), inputArguments: [...addRequest('1').inputArguments, variable(prop('Third', 'xs:int', '1'))] }, /no inputVariables entry "Third"/],
          ['repeated input', { ...addRequest('1'), inputArguments: [variable(prop('First', 'xs:int', '1')), variable(prop('First', 'xs:int', '2'))] }, /"First" is given more than once/],
          ['other valueType', { ...addRequest('1'), inputArguments: [variable(prop('First', 'xs:string', 'one'))] }, /valueType xs:string, but the Operation declares xs:int/],
          ['other modelType', { ...addRequest('1'), inputArguments: [variable({ modelType: 'MultiLanguageProperty', idShort: 'First' })] }, /is a MultiLanguageProperty/],
          ['invalid value', addRequest('one'), /inputArguments\[0\]\.value/],
          ['not an array', { inputArguments: { First: 1 } }, /inputArguments must be an array/],
          ['bad timeout', { ...addRequest('1'), clientTimeoutDuration: '60 seconds' }, /clientTimeoutDuration must be an xs:duration/],
          ['negative timeout', { ...addRequest('1'), clientTimeoutDuration: '-PT1S' }, /must not be negative/],
          ['not an object', [1, 2], /must be a JSON object/],
        ];
        for (const [name, body, expected] of cases) {
          const res = await request('POST', op('Add/invoke'), body);
          assert.equal(res.status, 400, name);
          assert.match(resultText(res.body), expected, name);
        }
        const async = await request('POST', op('Add/invoke-async'), { inputArguments: [] });
        assert.equal(async.status, 400, 'the asynchronous route checks before it answers 202');
      });

      it('answers 400 for ValueOnly arguments that do not fit', async () => {
        const unknown = await request('POST', op('Add/invoke/$value'), { inputArguments: { First: 1, Zed: 2 }, inoutputArguments: { counter: 1 } });
        assert.equal(unknown.status, 400);
        assert.match(resultText(unknown.body), /no inputVariables entry "Zed"/);
        const wrongType = await request('POST', op('Add/invoke/$value'), { inputArguments: { First: 'many' }, inoutputArguments: { counter: 1 } });
        assert.equal(wrongType.status, 400);
        assert.match(resultText(wrongType.body), /inputArguments\.First/);
        const missing = await request('POST', op('Add/invoke-async/$value'), { inputArguments: { Second: 1 }, inoutputArguments: { counter: 1 } });
        assert.equal(missing.status, 400);
        assert.match(resultText(missing.body), /required inputVariables entry "First" is missing/);
        assert.equal((await request('POST', op('Add/invoke/$value'), { inputArguments: [1] })).status, 400);
      });

      it('answers 501 with a Result for an Operation no handler runs (sync and async)', async () => {
        for (const suffix of ['invoke', 'invoke-async']) {
          const res = await request('POST', op(`Unhandled/${suffix}`), {});
          assert.equal(res.status, 501, suffix);
          assert.match(resultText(res.body), /No operation handler of this server runs the Operation at Unhandled/);
        }
      });
    });
  }

  it('the shell door answers 404 for a submodel the shell does not refer to', async () => {
    const res = await request('POST', `${srv.baseUrl}/shells/${b64(AAS)}/submodels/${b64(OTHER_SM)}/submodel-elements/Add/invoke`, addRequest('1'));
    assert.equal(res.status, 404);
    assert.equal((await request('POST', `${srv.baseUrl}/submodels/${b64(OTHER_SM)}/submodel-elements/Add/invoke`, addRequest('1'))).status, 200);
    assert.equal((await request('POST', `${srv.baseUrl}/submodels/${b64('urn:unknown')}/submodel-elements/Add/invoke`, addRequest('1'))).status, 404);
  });

  it('a handle issued through one door is served through the other (same submodel and Operation)', async () => {
    const res = await request('POST', `${doors[0].root()}/submodel-elements/Add/invoke-async`, addRequest('3', '4'));
    const handle = res.headers.get('location')!.split('/').pop()!;
    const done = await waitForRedirect(`${doors[1].root()}/submodel-elements/Add/operation-status/${handle}`);
    assert.ok(done.location!.startsWith(doors[1].rootPath));
  });

  describe('HTTP delegation (qualifier invocationDelegation)', () => {
    const op = (path: string) => `${srv.baseUrl}/submodels/${b64(SM)}/submodel-elements/${path}`;

    it('POSTs the OperationRequest to an allowed target and returns its outputs', async () => {
      const res = await request('POST', op('Remote/invoke'), { inputArguments: addRequest('2', '3').inputArguments, clientTimeoutDuration: 'PT5S' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.executionState, 'Completed');
      assert.deepEqual(res.body.outputArguments, [{ value: prop('sum', 'xs:int', '5') }]);
      assert.equal(res.body.messages[0].text, 'added remotely');
      const sent = target.received.at(-1)!;
      assert.equal(sent.path, '/ok/add');
      assert.deepEqual(sent.body.inputArguments, addRequest('2', '3').inputArguments);
      assert.deepEqual(sent.body.inoutputArguments, []);
      assert.match(sent.body.clientTimeoutDuration, /^PT\d+(\.\d+)?S$/);
      assert.equal(sent.headers['x-aas-submodel-identifier'], b64(SM));
      assert.equal(sent.headers['x-aas-idshort-path'], 'Remote');
      const valueOnly = await request('POST', op('Remote/invoke/$value'), { inputArguments: { First: 4, Second: 4 } });
      assert.deepEqual(valueOnly.body.outputArguments, { sum: 8 });
    });

    it('refuses a URL outside AAS_OPERATION_DELEGATION_ALLOW with 501 and contacts nothing', async () => {
      const count = target.received.length;
      for (const suffix of ['invoke', 'invoke-async']) {
        const res = await request('POST', op(`NotAllowed/${suffix}`), {});
        assert.equal(res.status, 501);
        assert.match(resultText(res.body), /not in AAS_OPERATION_DELEGATION_ALLOW/);
      }
      assert.equal(target.received.length, count);
    });

    it('refuses delegation altogether when nothing is allowed (the default)', async () => {
      const plain = await startTestServer();
      try {
        await request('POST', `${plain.baseUrl}/submodels`, operationsSubmodel(target.url, 1));
        const res = await request('POST', `${plain.baseUrl}/submodels/${b64(SM)}/submodel-elements/Remote/invoke`, { inputArguments: addRequest('1').inputArguments });
        assert.equal(res.status, 501);
        assert.match(resultText(res.body), /delegation is switched off/);
      } finally {
        await plain.close();
      }
    });

    it('reports a target that is down, fails, errs, redirects or answers too much as Failed', async () => {
      const cases: [string, RegExp][] = [
        ['Down', /could not be reached/],
        ['RemoteFailed', /reports Failed: remote valve stuck/],
        ['RemoteError', /answered HTTP 500: remote crashed/],
        ['RemoteRedirect', /redirect \(HTTP 307\); redirects are not followed/],
        ['RemoteHuge', /larger than the limit of 16384 bytes/],
      ];
      for (const [name, expected] of cases) {
        const res = await request('POST', op(`${name}/invoke`), {});
        assert.equal(res.status, 200, name);
        assert.equal(res.body.executionState, 'Failed', name);
        assert.match(res.body.messages[0].text, expected, name);
      }
    });

    it('never calls a cloud metadata address, even when its host is allowed', async () => {
      const res = await request('POST', op('Metadata/invoke'), {});
      assert.equal(res.status, 200);
      assert.equal(res.body.executionState, 'Failed');
      assert.match(res.body.messages[0].text, /169\.254\.169\.254 is a link-local address/);
    });
  });
});

async function waitForRedirect(statusUrl: string): Promise<{ status: number; location: string | null }> {
  for (let i = 0; i < 200; i++) {
    const res = await noRedirect(statusUrl);
    if (res.status === 302) return res;
    assert.equal(res.status, 200);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`${statusUrl} did not finish`);
}
