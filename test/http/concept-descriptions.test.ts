import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { b64, conceptDescription, externalRef, request } from './fixtures.js';
import { startTestServer, type TestServer } from './test-server.js';

const IEC61360 = 'https://admin-shell.io/DataSpecificationTemplates/DataSpecificationIec61360/3';

function withIec61360(id: string, idShort: string) {
  return conceptDescription(id, {
    idShort,
    isCaseOf: [externalRef(`urn:eclass:${idShort}`)],
    embeddedDataSpecifications: [
      {
        dataSpecification: externalRef(IEC61360),
        dataSpecificationContent: {
          modelType: 'DataSpecificationIec61360',
          preferredName: [{ language: 'en', text: idShort }],
          definition: [{ language: 'en', text: `The ${idShort.toLowerCase()} of a part` }],
          dataType: 'REAL_MEASURE',
          unit: 'mm',
        },
      },
    ],
  });
}

describe('Concept description repository over HTTP', () => {
  let srv: TestServer;
  let api: string;
  before(async () => {
    srv = await startTestServer();
    api = srv.baseUrl;
  });
  after(() => srv.close());

  it('creates, reads, replaces and deletes', async () => {
    const id = 'urn:example:cd:crud';
    const created = await request('POST', `${api}/concept-descriptions`, conceptDescription(id));
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('location'), `/api/v3.0/concept-descriptions/${b64(id)}`);
    assert.equal((await request('POST', `${api}/concept-descriptions`, conceptDescription(id))).status, 409);
    assert.deepEqual((await request('GET', `${api}/concept-descriptions/${b64(id)}`)).body, conceptDescription(id));
    assert.equal((await request('PUT', `${api}/concept-descriptions/${b64(id)}`, conceptDescription(id, { idShort: 'New' }))).status, 204);
    assert.equal((await request('PUT', `${api}/concept-descriptions/${b64('urn:example:cd:new')}`, conceptDescription('urn:example:cd:new'))).status, 201);
    assert.equal((await request('DELETE', `${api}/concept-descriptions/${b64(id)}`)).status, 204);
    assert.equal((await request('GET', `${api}/concept-descriptions/${b64(id)}`)).status, 404);
  });

  it('filters by idShort, isCaseOf and dataSpecificationRef', async () => {
    for (const cd of [withIec61360('urn:example:cd:length', 'Length'), withIec61360('urn:example:cd:width', 'Width'), conceptDescription('urn:example:cd:plain', { idShort: 'Plain' })]) {
      assert.equal((await request('POST', `${api}/concept-descriptions`, cd)).status, 201);
    }
    const ids = async (query: string) => (await request('GET', `${api}/concept-descriptions?${query}`)).body.result.map((c: { id: string }) => c.id).sort();
    assert.deepEqual(await ids('idShort=Width'), ['urn:example:cd:width']);
    assert.deepEqual(await ids(`isCaseOf=${b64(JSON.stringify(externalRef('urn:eclass:Length')))}`), ['urn:example:cd:length']);
    assert.deepEqual(await ids(`dataSpecificationRef=${b64(JSON.stringify(externalRef(IEC61360)))}`), ['urn:example:cd:length', 'urn:example:cd:width']);
    assert.deepEqual(await ids(`dataSpecificationRef=${b64(JSON.stringify(externalRef(IEC61360)))}&idShort=Length`), ['urn:example:cd:length']);
    assert.equal((await request('GET', `${api}/concept-descriptions?isCaseOf=${b64('urn:not-a-reference')}`)).status, 400);
  });
});
