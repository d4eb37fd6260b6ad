/**
 * ValueOnly over HTTP for every element type, on both doors: what GET …/$value gives, PATCH …/$value takes back
 * without changing anything, and a changed value lands in the Normal form.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { everyElementSubmodel } from '../unit/element-fixture.js';
import { b64, request, shell, submodelRef } from './fixtures.js';
import { startTestServer, type TestServer } from './test-server.js';

describe('ValueOnly round trip over HTTP, every element type', () => {
  let srv: TestServer;
  const sm = everyElementSubmodel();
  const aasId = 'urn:example:aas:value-only';
  before(async () => {
    srv = await startTestServer();
    assert.equal((await request('POST', `${srv.baseUrl}/submodels`, sm)).status, 201);
    assert.equal((await request('POST', `${srv.baseUrl}/shells`, shell(aasId, { submodels: [submodelRef(sm.id)] }))).status, 201);
  });
  after(() => srv.close());

  for (const door of ['submodels', 'shells'] as const) {
    it(`GET then PATCH of every element's $value changes nothing (${door} door)`, async () => {
      const root = door === 'submodels' ? `${srv.baseUrl}/submodels/${b64(sm.id)}` : `${srv.baseUrl}/shells/${b64(aasId)}/submodels/${b64(sm.id)}`;
      const before = (await request('GET', `${root}?extent=withBlobValue`)).body;
      const tried: string[] = [];
      for (const element of sm.submodelElements ?? []) {
        const url = `${root}/submodel-elements/${encodeURIComponent(element.idShort!)}/$value`;
        const got = await request('GET', `${url}?extent=withBlobValue`);
        if (['Operation', 'Capability'].includes(element.modelType)) {
          assert.equal(got.status, 400, `${element.modelType} has no $value`);
          continue;
        }
        assert.equal(got.status, 200, `${element.modelType}: ${JSON.stringify(got.body)}`);
        const patched = await request('PATCH', url, got.body);
        assert.equal(patched.status, 204, `${element.modelType}: ${JSON.stringify(patched.body)}`);
        tried.push(element.modelType);
      }
      assert.ok(tried.length >= 10, `element types tried: ${tried.join(', ')}`);
      assert.deepEqual((await request('GET', `${root}?extent=withBlobValue`)).body, before);

      const whole = (await request('GET', `${root}/$value?extent=withBlobValue`)).body;
      assert.equal((await request('PATCH', `${root}/$value`, whole)).status, 204);
      assert.deepEqual((await request('GET', `${root}?extent=withBlobValue`)).body, before);
    });
  }
});
