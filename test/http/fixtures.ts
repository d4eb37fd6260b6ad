/** Small valid documents for HTTP tests, and a fetch wrapper that checks Result bodies. */
import assert from 'node:assert/strict';

export const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');

export function shell(id: string, extra: Record<string, unknown> = {}) {
  return {
    modelType: 'AssetAdministrationShell',
    id,
    idShort: 'TestShell',
    assetInformation: { assetKind: 'Instance', globalAssetId: `${id}/asset` },
    ...extra,
  };
}

export function submodelRef(id: string) {
  return { type: 'ModelReference', keys: [{ type: 'Submodel', value: id }] };
}

export function externalRef(value: string) {
  return { type: 'ExternalReference', keys: [{ type: 'GlobalReference', value }] };
}

export function submodel(id: string, extra: Record<string, unknown> = {}) {
  return {
    modelType: 'Submodel',
    id,
    idShort: 'TestSubmodel',
    submodelElements: [
      { modelType: 'Property', idShort: 'Speed', valueType: 'xs:int', value: '1200' },
      {
        modelType: 'SubmodelElementCollection',
        idShort: 'Group',
        value: [
          { modelType: 'Property', idShort: 'Inner', valueType: 'xs:string', value: 'x' },
          { modelType: 'Blob', idShort: 'Raw', contentType: 'application/octet-stream', value: 'AAEC' },
        ],
      },
      { modelType: 'Blob', idShort: 'Picture', contentType: 'image/png', value: 'iVBORw0KGgo' },
    ],
    ...extra,
  };
}

export function conceptDescription(id: string, extra: Record<string, unknown> = {}) {
  return { modelType: 'ConceptDescription', id, idShort: 'TestConcept', ...extra };
}

export interface JsonResponse {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export async function request(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<JsonResponse> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)['Content-Type'] ??= 'application/json';
  }
  const res = await fetch(url, init);
  const text = await res.text();
  let parsed: unknown = undefined;
  if (text !== '') {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  if (res.status >= 400) assertResult(parsed, res.status, res.headers.get('x-request-id'));
  return { status: res.status, headers: res.headers, body: parsed };
}

/** Every 4xx/5xx body is exactly a Part 2 Result: `messages` only, each message with exactly these five fields. */
export function assertResult(body: unknown, status: number, requestId: string | null): void {
  assert.ok(body && typeof body === 'object', `status ${status} must carry a Result body`);
  assert.deepEqual(Object.keys(body), ['messages']);
  const messages = (body as { messages: Record<string, unknown>[] }).messages;
  assert.ok(Array.isArray(messages) && messages.length > 0);
  for (const m of messages) {
    assert.deepEqual(Object.keys(m).sort(), ['code', 'correlationId', 'messageType', 'text', 'timestamp']);
    assert.equal(m.code, String(status));
    assert.ok(['Error', 'Exception'].includes(m.messageType as string));
    assert.match(m.timestamp as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
    assert.equal(m.correlationId, requestId);
    assert.equal(typeof m.text, 'string');
    assert.ok(!/\bat .+\.(ts|js):\d+/.test(m.text as string), 'no stack traces');
  }
}

/** All message texts of a Result, joined, for matching. */
export const resultText = (body: { messages: { text: string }[] }) => body.messages.map((m) => m.text).join('\n');
