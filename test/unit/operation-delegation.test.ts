/**
 * The HTTP delegation handler and its guard: the allow list, the refused address ranges, resolving once and
 * connecting to the checked address (DNS rebinding), and the reading of a target's answer. Targets listen on
 * 127.0.0.1; made-up host names are resolved by an injected resolver, never by DNS.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { NotImplemented } from '../../src/errors.js';
import {
  allowListRefusal,
  forbiddenAddressReason,
  parseDelegationAllowList,
  resolveDelegationTarget,
  type HostResolver,
} from '../../src/services/operations/delegation-guard.js';
import { HttpDelegationHandler } from '../../src/services/operations/http-delegation.js';
import type { OperationInvocation } from '../../src/services/operations/operation-handler.js';
import type { Operation } from '../../src/validation/schema/metamodel.js';

describe('delegation allow list', () => {
  it('parses URL prefixes and host names, and names a bad entry', () => {
    assert.deepEqual(parseDelegationAllowList(' https://svc.example.com/ops/ , 127.0.0.1,[::1]:8080,svc.example.com:9000 ,'), [
      'https://svc.example.com/ops/', '127.0.0.1', '[::1]:8080', 'svc.example.com:9000',
    ]);
    assert.deepEqual(parseDelegationAllowList(''), []);
    assert.throws(() => parseDelegationAllowList('ftp://files.example.com/'), /only http and https/);
    assert.throws(() => parseDelegationAllowList('http://'), /is not a URL/);
    assert.throws(() => parseDelegationAllowList('svc example com'), /neither a URL prefix nor a host name/);
  });

  it('allows nothing when empty', () => {
    assert.match(allowListRefusal(new URL('http://127.0.0.1/x'), []) ?? '', /switched off/);
  });

  it('matches a URL prefix on scheme, host, port and path', () => {
    const allow = ['https://svc.example.com/ops/'];
    assert.equal(allowListRefusal(new URL('https://svc.example.com/ops/start'), allow), undefined);
    assert.equal(allowListRefusal(new URL('https://SVC.example.com:443/ops/a/b?x=1'), allow), undefined);
    for (const url of [
      'http://svc.example.com/ops/start', // other scheme
      'https://svc.example.com:8443/ops/start', // other port
      'https://svc.example.com/opsx', // not under the prefix path
      'https://svc.example.com.evil.net/ops/start', // a host that merely starts alike
      'https://evil.net/https://svc.example.com/ops/', // the prefix elsewhere in the URL
      'https://user@evil.net/ops/start',
    ]) {
      assert.match(allowListRefusal(new URL(url), allow) ?? '', /not in AAS_OPERATION_DELEGATION_ALLOW/, url);
    }
  });

  it('matches a host name on any port and path, a host:port on that port only', () => {
    assert.equal(allowListRefusal(new URL('http://svc.example.com:1234/a'), ['svc.example.com']), undefined);
    assert.equal(allowListRefusal(new URL('http://[::1]:8080/a'), ['[::1]']), undefined);
    assert.equal(allowListRefusal(new URL('http://svc.example.com:9000/a'), ['svc.example.com:9000']), undefined);
    assert.ok(allowListRefusal(new URL('http://svc.example.com:9001/a'), ['svc.example.com:9000']));
    assert.ok(allowListRefusal(new URL('http://sub.svc.example.com/a'), ['svc.example.com']));
  });

  it('never allows other schemes', () => {
    assert.match(allowListRefusal(new URL('file:///etc/passwd'), ['localhost']) ?? '', /file: URLs cannot be delegated/);
  });
});

describe('delegation address guard', () => {
  it('refuses link-local and cloud metadata addresses in every spelling', () => {
    for (const address of ['169.254.169.254', '169.254.0.1', 'fe80::1', 'febf::ffff', '::ffff:169.254.169.254', '::ffff:a9fe:a9fe', '64:ff9b::a9fe:a9fe', 'fd00:ec2::254', '100.100.100.200']) {
      assert.ok(forbiddenAddressReason(address), address);
    }
    for (const address of ['127.0.0.1', '::1', '10.0.0.1', '192.168.1.10', 'fec0::1', 'fd00:ec2::253', '169.253.255.255', '169.255.0.0']) {
      assert.equal(forbiddenAddressReason(address), undefined, address);
    }
  });

  const resolver = (table: Record<string, string[]>): HostResolver & { calls: string[] } => {
    const calls: string[] = [];
    const resolve = async (host: string) => {
      calls.push(host);
      const addresses = table[host];
      if (!addresses) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
      return addresses.map((address) => ({ address, family: address.includes(':') ? (6 as const) : (4 as const) }));
    };
    return Object.assign(resolve, { calls });
  };

  it('takes IP literals as they are and resolves names once', async () => {
    const resolve = resolver({ 'svc.test': ['127.0.0.1', '::1'] });
    assert.deepEqual(await resolveDelegationTarget('[::1]', { allowLinkLocal: false, resolve }), { address: '::1', family: 6 });
    assert.deepEqual(await resolveDelegationTarget('svc.test', { allowLinkLocal: false, resolve }), { address: '127.0.0.1', family: 4 });
    assert.deepEqual(resolve.calls, ['svc.test']);
  });

  it('refuses a name when any of its addresses is forbidden, unless link-local is allowed', async () => {
    const resolve = resolver({ 'mixed.test': ['127.0.0.1', '169.254.169.254'], 'v6.test': ['fe80::1'] });
    await assert.rejects(resolveDelegationTarget('mixed.test', { allowLinkLocal: false, resolve }), /refusing to call mixed\.test: 169\.254\.169\.254 is a link-local address/);
    await assert.rejects(resolveDelegationTarget('v6.test', { allowLinkLocal: false, resolve }), /fe80::1 is a link-local address/);
    await assert.rejects(resolveDelegationTarget('169.254.169.254', { allowLinkLocal: false, resolve }), /AAS_OPERATION_DELEGATION_ALLOW_LINK_LOCAL/);
    assert.deepEqual(await resolveDelegationTarget('v6.test', { allowLinkLocal: true, resolve }), { address: 'fe80::1', family: 6 });
    await assert.rejects(resolveDelegationTarget('unknown.test', { allowLinkLocal: false, resolve }), /does not resolve \(ENOTFOUND\)/);
  });
});

describe('HttpDelegationHandler against a target on 127.0.0.1', () => {
  let port = 0;
  const seen: { url: string; headers: IncomingHttpHeaders; body: any }[] = []; // eslint-disable-line @typescript-eslint/no-explicit-any
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c));
    req.on('end', () => {
      seen.push({ url: req.url ?? '', headers: req.headers, body: JSON.parse(text) });
      const answers: Record<string, [number, string]> = {
        '/ok': [200, JSON.stringify({ outputArguments: [{ value: { modelType: 'Property', idShort: 'Out', valueType: 'xs:int', value: '1' } }], messages: [{ messageType: 'Warning', text: 'low oil' }, { text: 42 }] })],
        '/empty': [200, '{}'],
        '/running': [200, JSON.stringify({ executionState: 'Running' })],
        '/unsuccessful': [200, JSON.stringify({ success: false })],
        '/weird-state': [200, JSON.stringify({ executionState: 'Done' })],
        '/not-json': [200, '<html>hello</html>'],
        '/array': [200, '[]'],
      };
      if (req.url === '/hang') return; // never answers
      const [status, body] = answers[req.url ?? ''] ?? [404, '{}'];
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(body);
    });
  });
  before(async () => {
    server.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const lookups: string[] = [];
  let answer = '127.0.0.1';
  const resolve: HostResolver = async (host) => {
    lookups.push(host);
    const address = answer;
    answer = '169.254.169.254'; // a rebinding DNS server: a different answer from the second question on
    return [{ address, family: 4 }];
  };
  const handler = () => new HttpDelegationHandler({ allow: ['delegate.test', '127.0.0.1'], allowLinkLocal: false, maxResponseBytes: 4096, resolve });

  function invocation(url: string, signal = new AbortController().signal): OperationInvocation {
    const operation = { modelType: 'Operation', idShort: 'Remote', qualifiers: [{ type: 'invocationDelegation', valueType: 'xs:string', value: url }] } as Operation;
    const input = { value: { modelType: 'Property', idShort: 'In', valueType: 'xs:int', value: '5' } } as OperationInvocation['inputArguments'][number];
    return { operation, submodelId: 'urn:sm:1', idShortPath: 'Remote', inputArguments: [input], inoutputArguments: [], signal, timeoutMs: 2500 };
  }

  it('resolves a name once and connects to that address (the name is not in DNS)', async () => {
    answer = '127.0.0.1';
    lookups.length = 0;
    const outcome = await handler().invoke(invocation(`http://delegate.test:${port}/ok`));
    assert.deepEqual(lookups, ['delegate.test'], 'one lookup: no second answer can redirect the connection');
    assert.equal((outcome.outputArguments?.[0].value as { idShort: string }).idShort, 'Out');
    assert.deepEqual(outcome.messages, [{ text: 'low oil', messageType: 'Warning' }], 'messages without a text string are dropped');
    const request = seen.at(-1)!;
    assert.equal(request.headers.host, `delegate.test:${port}`);
    assert.equal(request.headers['content-type'], 'application/json');
    assert.deepEqual(request.body, { inputArguments: [invocation('').inputArguments[0]], inoutputArguments: [], clientTimeoutDuration: 'PT2.5S' });
    // The same name asked again now resolves to a metadata address: refused before any connection.
    const before = seen.length;
    await assert.rejects(handler().invoke(invocation(`http://delegate.test:${port}/ok`)), /169\.254\.169\.254 is a link-local address/);
    assert.equal(seen.length, before);
  });

  it('accepts an answer without executionState as Completed without outputs', async () => {
    assert.deepEqual(await handler().invoke(invocation(`http://127.0.0.1:${port}/empty`)), { messages: [] });
  });

  it('rejects answers outside the contract', async () => {
    const cases: [string, RegExp][] = [
      ['/running', /answered executionState Running; it must answer when the operation is done/],
      ['/unsuccessful', /reports no success/],
      ['/weird-state', /unknown executionState "Done"/],
      ['/not-json', /did not answer with a JSON object: "<html>hello<\/html>"/],
      ['/array', /did not answer with a JSON object/],
      ['/missing', /answered HTTP 404/],
    ];
    for (const [path, expected] of cases) await assert.rejects(handler().invoke(invocation(`http://127.0.0.1:${port}${path}`)), expected, path);
  });

  it('gives up when the invocation is aborted (timeout)', async () => {
    const controller = new AbortController();
    const pending = handler().invoke(invocation(`http://127.0.0.1:${port}/hang`, controller.signal));
    setTimeout(() => controller.abort(new Error('timed out')), 50);
    await assert.rejects(pending, /could not be reached or answered incompletely/);
  });

  it('verifies the URL before anything runs: not allowed or not a URL is 501', () => {
    const h = handler();
    assert.doesNotThrow(() => h.verify(invocation(`http://127.0.0.1:${port}/ok`)));
    assert.throws(() => h.verify(invocation('http://10.1.2.3/ok')), (e: unknown) => e instanceof NotImplemented && /not in AAS_OPERATION_DELEGATION_ALLOW/.test((e as Error).message));
    assert.throws(() => h.verify(invocation('not a url')), (e: unknown) => e instanceof NotImplemented && /is not a URL/.test((e as Error).message));
    assert.equal(h.handles(invocation('x')), true);
    assert.equal(h.handles({ ...invocation('x'), operation: { modelType: 'Operation', idShort: 'Local' } as Operation }), false);
  });
});
