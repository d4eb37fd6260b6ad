/**
 * Docs and routes in step: every (method, path) the OpenAPI document lists is served, every served route is
 * listed, and what a real server answers matches what the document says (status codes and body schemas).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { ROUTES } from '../../src/http/routes.js';
import { startTestServer } from './test-server.js';

type Json = Record<string, unknown>;
type Server = Awaited<ReturnType<typeof startTestServer>>;

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;
const DOC_ID = 'urn:aas-server:openapi-document';
const UNMATCHED = /^No route for /;

interface DocumentedOperation {
  method: (typeof METHODS)[number];
  path: string;
  /** Served at the server root instead of under the API base path (path-level `servers: [{url: '/'}]`). */
  atRoot: boolean;
  responses: Json;
}

function documentedOperations(doc: Json): DocumentedOperation[] {
  const out: DocumentedOperation[] = [];
  for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
    const servers = item.servers as { url: string }[] | undefined;
    const atRoot = servers?.length === 1 && servers[0].url === '/';
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (op) out.push({ method, path, atRoot, responses: op.responses as Json });
    }
  }
  return out;
}

const key = (method: string, path: string) => `${method.toUpperCase()} ${path}`;
const escapePointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');
const b64url = (s: string) => Buffer.from(s, 'utf8').toString('base64url');

/** Placeholders that are not identifiers: sent percent-encoded as they are, not base64url. */
const PLAIN_PARAMS = new Set(['idShortPath', 'connectionId']);

/** Fills `{name}` placeholders with base64url-encoded ids (an idShortPath percent-encoded). */
function fill(path: string, ids: Record<string, string>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => {
    assert.ok(ids[name], `no id for {${name}}`);
    return PLAIN_PARAMS.has(name) ? encodeURIComponent(ids[name]) : b64url(ids[name]);
  });
}

interface Answer {
  status: number;
  contentType: string;
  body: unknown;
}

async function call(url: string, method: string): Promise<Answer> {
  const withBody = method === 'post' || method === 'put';
  const res = await fetch(url, {
    method: method.toUpperCase(),
    headers: { accept: 'application/json', ...(withBody ? { 'content-type': 'application/json' } : {}) },
    body: withBody ? '{}' : undefined,
  });
  const text = await res.text();
  const contentType = res.headers.get('content-type') ?? '';
  let body: unknown = text;
  if (contentType.startsWith('application/json') && text !== '') body = JSON.parse(text);
  return { status: res.status, contentType, body };
}

describe('OpenAPI document ↔ routes', () => {
  let server: Server;
  let doc: Json;
  let operations: DocumentedOperation[];
  let ajv: Ajv2020;

  before(async () => {
    server = await startTestServer({ demo: true });
    const res = await fetch(`${server.origin}/openapi.json`);
    assert.equal(res.status, 200);
    doc = (await res.json()) as Json;
    operations = documentedOperations(doc);
    ajv = new Ajv2020({ strict: false, unicodeRegExp: false, validateFormats: false, allErrors: true });
    ajv.addSchema(doc, DOC_ID);
  });
  after(async () => {
    await server?.close();
  });

  /** Checks an answer against the document: a documented status, and a body that fits its schema. */
  function assertDocumented(op: DocumentedOperation, answer: Answer, where: string) {
    const code = String(answer.status);
    const responseKey = code in op.responses ? code : `${code[0]}XX` in op.responses ? `${code[0]}XX` : 'default';
    assert.ok(responseKey in op.responses, `${where}: status ${code} is not documented (${Object.keys(op.responses).join(', ')}); body ${JSON.stringify(answer.body).slice(0, 300)}`);
    let pointer = `#/paths/${escapePointer(op.path)}/${op.method}/responses/${responseKey}`;
    const response = op.responses[responseKey] as Json;
    if (typeof response.$ref === 'string') pointer = response.$ref;
    const resolved = ajv.getSchema(`${DOC_ID}${pointer}`)?.schema as Json | undefined;
    const content = ((resolved ?? response).content ?? {}) as Json;
    if (Object.keys(content).length === 0) {
      assert.equal(answer.body, '', `${where}: ${code} is documented without a body`);
      return;
    }
    assert.match(answer.contentType, /^application\/json/, `${where}: content type`);
    const validate = ajv.getSchema(`${DOC_ID}${pointer}/content/application~1json/schema`);
    assert.ok(validate, `${where}: schema for ${code}`);
    assert.ok(validate(answer.body), `${where}: body does not match the documented ${code} schema: ${ajv.errorsText(validate.errors)}`);
  }

  test('the document lists exactly the routes the server registers (ROUTES)', () => {
    const documented = new Set(operations.filter((o) => !o.atRoot).map((o) => key(o.method, o.path)));
    const served = new Set(ROUTES.map((r) => key(r.method, r.path)));
    assert.ok(served.size > 30, `ROUTES has ${served.size} routes`);
    assert.deepEqual([...served].filter((k) => !documented.has(k)).sort(), [], 'served but not documented');
    assert.deepEqual([...documented].filter((k) => !served.has(k)).sort(), [], 'documented but not served');
  });

  test('the answer check can fail: an undocumented status or a body off its schema is rejected', () => {
    const getShells = operations.find((o) => o.method === 'get' && o.path === '/shells')!;
    const json = 'application/json; charset=utf-8';
    assert.doesNotThrow(() => assertDocumented(getShells, { status: 200, contentType: json, body: { paging_metadata: {}, result: [] } }, 'ok'));
    assert.throws(() => assertDocumented(getShells, { status: 418, contentType: json, body: {} }, 'teapot'), /418 is not documented/);
    assert.throws(() => assertDocumented(getShells, { status: 200, contentType: json, body: { result: [] } }, 'no paging'), /does not match/);
    assert.throws(() => assertDocumented(getShells, { status: 400, contentType: json, body: { messages: [{ text: 'x' }] } }, 'thin Result'), /does not match/);
  });

  test('the unmatched-route detector works: an undocumented path gets the "No route for" 404', async () => {
    const answer = await call(`${server.baseUrl}/no-such-collection`, 'get');
    assert.equal(answer.status, 404);
    assert.match((answer.body as { messages: { text: string }[] }).messages[0].text, UNMATCHED);
  });

  test('every documented operation is served, with made-up identifiers; answers match the document', async () => {
    const unknown = {
      aasIdentifier: 'urn:coverage:aas:unknown',
      submodelIdentifier: 'urn:coverage:sm:unknown',
      cdIdentifier: 'urn:coverage:cd:unknown',
      idShortPath: 'Unknown.Element[0]',
      handleId: 'no-such-handle',
      connectionId: 'no-such-connection',
      packageId: 'no-such-package',
    };
    const statuses = new Map<number, number>();
    for (const op of operations) {
      const where = key(op.method, op.path);
      const url = (op.atRoot ? server.origin : server.baseUrl) + fill(op.path, unknown);
      const answer = await call(url, op.method);
      const text = (answer.body as { messages?: { text?: string }[] })?.messages?.[0]?.text ?? '';
      assert.ok(!(answer.status === 404 && UNMATCHED.test(text)), `${where} is not served: ${text}`);
      assertDocumented(op, answer, where);
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
    }
    // Reading an unknown id is a 404 "not found", not a routing miss; make sure that path was exercised.
    assert.ok((statuses.get(404) ?? 0) >= 10, `expected many 404s for unknown ids, got ${JSON.stringify([...statuses])}`);
  });

  test('every documented GET answers as documented for the demo data', async () => {
    const shells = (await call(`${server.baseUrl}/shells`, 'get')).body as { result: { id: string; submodels?: { keys: { value: string }[] }[] }[] };
    const shell = shells.result.find((s) => (s.submodels?.length ?? 0) > 0);
    assert.ok(shell, 'the demo data has a shell with submodel references');
    const cds = (await call(`${server.baseUrl}/concept-descriptions`, 'get')).body as { result: { id: string }[] };
    const submodelIdentifier = shell.submodels![0].keys[0].value;
    // A container element, since only containers offer every GET form ($path included).
    const elements = (await call(`${server.baseUrl}/submodels/${b64url(submodelIdentifier)}/submodel-elements`, 'get')).body as { result: { modelType: string; idShort: string }[] };
    const container = elements.result.find((e) => ['SubmodelElementCollection', 'SubmodelElementList', 'Entity'].includes(e.modelType));
    assert.ok(container, 'the demo submodel has a container element');
    const known = {
      aasIdentifier: shell.id,
      submodelIdentifier,
      cdIdentifier: cds.result[0]?.id ?? 'urn:coverage:cd:none',
      idShortPath: container.idShort,
      handleId: 'no-such-handle',
      connectionId: 'demo-machines',
      packageId: 'no-such-package',
    };
    let ok200 = 0;
    for (const op of operations.filter((o) => o.method === 'get')) {
      const where = key(op.method, op.path);
      const answer = await call((op.atRoot ? server.origin : server.baseUrl) + fill(op.path, known), 'get');
      assertDocumented(op, answer, where);
      // The demo shells have no thumbnail, and a container element has no attachment.
      if (op.path.endsWith('/thumbnail')) assert.equal(answer.status, 404, where);
      else if (op.path.endsWith('/attachment')) assert.equal(answer.status, 405, where);
      else if (op.path.includes('/operation-')) assert.equal(answer.status, 404, `${where}: no invocation has that handle`);
      else if (op.path.startsWith('/packages/')) assert.equal(answer.status, 404, `${where}: the demo data comes with no package`)
      else if (op.path.startsWith('/concept-descriptions/') && cds.result.length === 0) assert.equal(answer.status, 404, where);
      else {
        assert.equal(answer.status, 200, `${where}: ${JSON.stringify(answer.body).slice(0, 300)}`);
        ok200++;
      }
    }
    assert.ok(ok200 >= 20, `${ok200} GETs answered 200`);
  });
});
