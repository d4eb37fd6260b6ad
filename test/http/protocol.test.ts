import assert from 'node:assert/strict';
import { xmlToEnvironment } from '../../src/interchange/xml/index.js';
import { after, before, describe, it } from 'node:test';
import { b64, conceptDescription, externalRef, request, resultText, shell, submodel, submodelRef } from './fixtures.js';
import { startTestServer, type TestServer } from './test-server.js';

describe('protocol: errors, media types, limits, operational endpoints', () => {
  let srv: TestServer;
  let api: string;
  before(async () => {
    srv = await startTestServer({ config: { bodyLimit: 64 * 1024 } });
    api = srv.baseUrl;
  });
  after(() => srv.close());

  it('answers liveness and readiness outside the base path', async () => {
    assert.deepEqual((await request('GET', `${srv.origin}/health`)).body, { status: 'ok', assetConnections: { total: 0, connected: 0 } });
    assert.deepEqual((await request('GET', `${srv.origin}/ready`)).body, { status: 'ready' });
  });

  it('uses the caller\'s X-Request-Id as correlationId', async () => {
    const r = await request('GET', `${api}/shells/${b64('urn:none')}`, undefined, { 'X-Request-Id': 'trace-42' });
    assert.equal(r.status, 404);
    assert.equal(r.body.messages[0].correlationId, 'trace-42');
  });

  it('answers 415 for a non-JSON body and 400 for a missing or malformed one', async () => {
    const xml = await request('POST', `${api}/shells`, '<aas/>', { 'Content-Type': 'application/xml' });
    assert.equal(xml.status, 415);
    const none = await request('POST', `${api}/shells`);
    assert.equal(none.status, 400);
    const broken = await request('POST', `${api}/shells`, '{"id": ');
    assert.equal(broken.status, 400);
    assert.match(resultText(broken.body), /not valid JSON/);
  });

  it('answers 413 for a body over the limit, and stores nothing', async () => {
    const big = submodel('urn:example:sm:big', { description: [{ language: 'en', text: 'x'.repeat(1000) }] });
    big.submodelElements = Array.from({ length: 100 }, (_, i) => ({ modelType: 'Property', idShort: `P${i}`, valueType: 'xs:string', value: 'y'.repeat(1000) }));
    const r = await request('POST', `${api}/submodels`, big);
    assert.equal(r.status, 413);
    assert.equal((await request('GET', `${api}/submodels/${b64('urn:example:sm:big')}`)).status, 404);
  });

  it('answers 405 for a known path with another method and 404 for an unknown path', async () => {
    const r = await request('PATCH', `${api}/shells`, {});
    assert.equal(r.status, 405);
    assert.match(r.headers.get('allow') ?? '', /GET/);
    const unknown = await request('GET', `${api}/no-such-thing`);
    assert.equal(unknown.status, 404);
    assert.match(resultText(unknown.body), /^No route for GET/);
  });

  it('serves identifiers of the longest length Part 1 allows (2,048 characters, beyond ASCII)', async () => {
    const id = `urn:example:${'ü'.repeat(2048 - 12)}`;
    const created = await request('POST', `${api}/shells`, { ...shell(id), assetInformation: { assetKind: 'Instance', globalAssetId: 'urn:example:asset' } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const r = await request('GET', `${api}/shells/${b64(id)}`);
    assert.equal(r.status, 200);
    assert.equal(r.body.id, id);
    assert.equal((await request('DELETE', `${api}/shells/${b64(id)}`)).status, 204);
  });

  it('rejects a body that is not a shell at all with the schema\'s message', async () => {
    const r = await request('POST', `${api}/shells`, { modelType: 'Submodel', id: 'urn:x' });
    assert.equal(r.status, 400);
    assert.ok(r.body.messages.length >= 2, 'a summary plus one message per issue');
  });

  it('lists exactly the complete profiles in both versions', async () => {
    const { body } = await request('GET', `${api}/description`);
    assert.ok(body.profiles.includes('https://admin-shell.io/aas/API/3/1/ConceptDescriptionRepositoryServiceSpecification/SSP-001'));
    assert.ok(body.profiles.includes('https://admin-shell.io/aas/API/3/0/ConceptDescriptionRepositoryServiceSpecification/SSP-001'));
    for (const p of body.profiles as string[]) assert.match(p, /^https:\/\/admin-shell\.io\/aas\/API\/3\/[01]\/\w+\/SSP-00\d$/);
  });

  it('serializes the asked shells and submodels with the concept descriptions they use', async () => {
    const cdUsed = conceptDescription('urn:example:cd:used', { isCaseOf: [externalRef('urn:example:cd:indirect')] });
    const cdIndirect = conceptDescription('urn:example:cd:indirect');
    await request('POST', `${api}/concept-descriptions`, cdUsed);
    await request('POST', `${api}/concept-descriptions`, cdIndirect);
    await request('POST', `${api}/concept-descriptions`, conceptDescription('urn:example:cd:unused'));
    const sm = submodel('urn:example:sm:ser', { semanticId: externalRef('urn:example:cd:used') });
    await request('POST', `${api}/submodels`, sm);
    await request('POST', `${api}/shells`, shell('urn:example:aas:ser', { submodels: [submodelRef(sm.id)] }));

    const url = `${api}/serialization?aasIds=${b64('urn:example:aas:ser')}&submodelIds=${b64(sm.id)}`;
    const env = (await request('GET', url, undefined, { Accept: 'application/json' })).body;
    assert.deepEqual(env.assetAdministrationShells.map((s: { id: string }) => s.id), ['urn:example:aas:ser']);
    assert.deepEqual(env.submodels, [sm]);
    assert.deepEqual(env.conceptDescriptions.map((c: { id: string }) => c.id).sort(), ['urn:example:cd:indirect', 'urn:example:cd:used']);

    const noCds = (await request('GET', `${url}&includeConceptDescriptions=false`)).body;
    assert.equal(noCds.conceptDescriptions, undefined);
    const commaSeparated = (await request('GET', `${api}/serialization?submodelIds=${b64(sm.id)},${b64('urn:none')}`)).body;
    assert.deepEqual(commaSeparated.submodels, [sm]);

    const xml = await fetch(url, { headers: { Accept: 'application/xml' } });
    assert.equal(xml.status, 200);
    assert.equal(xml.headers.get('content-type'), 'application/xml; charset=utf-8');
    assert.deepEqual(xmlToEnvironment(await xml.text()), env);
    assert.equal((await request('GET', url, undefined, { Accept: 'application/asset-administration-shell-package+xml' })).headers.get('content-type'), 'application/asset-administration-shell-package+xml');
    assert.equal((await request('GET', url, undefined, { Accept: 'image/png' })).status, 406);
    assert.equal((await request('GET', `${api}/serialization?aasIds=***`)).status, 400);
  });
});

describe('configuration seen over HTTP', () => {
  it('serves the API at an empty base path', async () => {
    const srv = await startTestServer({ config: { basePath: '' } });
    try {
      assert.equal(srv.baseUrl, srv.origin);
      const r = await request('POST', `${srv.origin}/shells`, shell('urn:example:aas:root'));
      assert.equal(r.headers.get('location'), `/shells/${b64('urn:example:aas:root')}`);
      assert.equal((await request('GET', `${srv.origin}/shells`)).status, 200);
      assert.equal((await request('GET', `${srv.origin}/health`)).status, 200);
    } finally {
      await srv.close();
    }
  });

  it('stores constraint violations in lenient mode and reports them in a header', async () => {
    const srv = await startTestServer({ config: { validation: 'lenient' } });
    try {
      const doc = submodel('urn:example:sm:lenient', {
        description: [{ language: 'en', text: 'one' }, { language: 'en', text: 'two' }],
      });
      const r = await request('POST', `${srv.baseUrl}/submodels`, doc);
      assert.equal(r.status, 201);
      const warnings = JSON.parse(r.headers.get('x-aas-validation-warnings') ?? '[]') as string[];
      assert.ok(warnings.some((w) => w.startsWith('$.description')), warnings.join('; '));
      assert.deepEqual((await request('GET', `${srv.baseUrl}/submodels/${b64(doc.id)}?extent=withBlobValue`)).body, doc);
      // Schema errors are still rejected.
      const schemaBroken = await request('POST', `${srv.baseUrl}/submodels`, { ...doc, id: 'urn:x2', kind: 'Sometimes' });
      assert.equal(schemaBroken.status, 400);
    } finally {
      await srv.close();
    }
  });

  it('loads the demo environment into an empty store, and not again into a used one', async () => {
    const srv = await startTestServer({ demo: true });
    try {
      const shells = (await request('GET', `${srv.baseUrl}/shells`)).body.result;
      assert.ok(shells.length >= 2);
      const sms = (await request('GET', `${srv.baseUrl}/submodels`)).body.result;
      assert.ok(sms.length >= 4);
    } finally {
      await srv.close();
    }
  });
});
