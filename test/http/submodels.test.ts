import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { b64, externalRef, request, resultText, submodel } from './fixtures.js';
import { startTestServer, type TestServer } from './test-server.js';

describe('Submodel repository over HTTP (submodel level)', () => {
  let srv: TestServer;
  let api: string;
  before(async () => {
    srv = await startTestServer();
    api = srv.baseUrl;
  });
  after(() => srv.close());

  it('creates, reads, replaces and deletes a submodel', async () => {
    const id = 'https://example.com/ids/sm/crud';
    const created = await request('POST', `${api}/submodels`, submodel(id));
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('location'), `/api/v3.0/submodels/${b64(id)}`);
    assert.equal((await request('POST', `${api}/submodels`, submodel(id))).status, 409);
    assert.equal((await request('PUT', `${api}/submodels/${b64(id)}`, submodel(id, { idShort: 'Other' }))).status, 204);
    assert.equal((await request('GET', `${api}/submodels/${b64(id)}`)).body.idShort, 'Other');
    assert.equal((await request('PUT', `${api}/submodels/${b64(id)}`, submodel('urn:different'))).status, 400);
    assert.equal((await request('DELETE', `${api}/submodels/${b64(id)}`)).status, 204);
    assert.equal((await request('GET', `${api}/submodels/${b64(id)}`)).status, 404);
  });

  it('applies level and extent, and leaves Blob values out by default', async () => {
    const id = 'urn:example:sm:modifiers';
    await request('POST', `${api}/submodels`, submodel(id));
    const url = `${api}/submodels/${b64(id)}`;
    const plain = (await request('GET', url)).body;
    assert.equal(plain.submodelElements[2].value, undefined);
    assert.equal(plain.submodelElements[1].value[1].value, undefined);
    assert.equal(plain.submodelElements[1].value[0].value, 'x');
    assert.deepEqual((await request('GET', `${url}?extent=WithBLOBValue`)).body, submodel(id));
    const core = (await request('GET', `${url}?level=core`)).body;
    assert.equal(core.submodelElements[0].value, '1200');
    assert.equal(core.submodelElements[1].value, undefined, 'no grandchildren at level=core');
    assert.equal((await request('GET', `${url}?level=shallow`)).status, 400);
    assert.equal((await request('GET', `${url}?extent=all`)).status, 400);
  });

  it('serves $metadata and $reference with their modifier rules', async () => {
    const id = 'urn:example:sm:projections';
    await request('POST', `${api}/submodels`, submodel(id, { semanticId: externalRef('urn:sem:projections') }));
    const meta = (await request('GET', `${api}/submodels/${b64(id)}/$metadata`)).body;
    assert.equal(meta.submodelElements, undefined);
    assert.deepEqual(meta.semanticId, externalRef('urn:sem:projections'));
    assert.deepEqual((await request('GET', `${api}/submodels/${b64(id)}/$reference`)).body, {
      type: 'ModelReference',
      keys: [{ type: 'Submodel', value: id }],
    });
    assert.equal((await request('GET', `${api}/submodels/${b64(id)}/$reference?level=core`)).status, 200);
    assert.equal((await request('GET', `${api}/submodels/${b64(id)}/$reference?level=deep`)).status, 400);
    assert.equal((await request('GET', `${api}/submodels/${b64(id)}/$metadata?level=core`)).status, 400);
    assert.equal((await request('GET', `${api}/submodels/${b64(id)}/$metadata?extent=withBlobValue`)).status, 400);
    const list = (await request('GET', `${api}/submodels/$metadata?semanticId=${b64('urn:sem:projections')}`)).body;
    assert.equal(list.result.length, 1);
    assert.equal(list.result[0].submodelElements, undefined);
    const refs = (await request('GET', `${api}/submodels/$reference?semanticId=${b64('urn:sem:projections')}`)).body;
    assert.deepEqual(refs.result, [{ type: 'ModelReference', keys: [{ type: 'Submodel', value: id }] }]);
  });

  it('filters by semanticId (Reference or plain value, supplemental ones too) and idShort', async () => {
    const a = submodel('urn:example:sm:sem-a', { idShort: 'SemA', semanticId: externalRef('urn:sem:nameplate') });
    const b = submodel('urn:example:sm:sem-b', {
      idShort: 'SemB',
      semanticId: externalRef('urn:sem:other'),
      supplementalSemanticIds: [externalRef('urn:sem:nameplate')],
    });
    await request('POST', `${api}/submodels`, a);
    await request('POST', `${api}/submodels`, b);
    const ids = async (query: string) => (await request('GET', `${api}/submodels?${query}`)).body.result.map((s: { id: string }) => s.id).sort();
    assert.deepEqual(await ids(`semanticId=${b64('urn:sem:nameplate')}`), [a.id, b.id]);
    assert.deepEqual(await ids(`semanticId=${b64(JSON.stringify(externalRef('urn:sem:other')))}`), [b.id]);
    const asModelRef = { type: 'ModelReference', keys: [{ type: 'GlobalReference', value: 'urn:sem:other' }] };
    assert.deepEqual(await ids(`semanticId=${b64(JSON.stringify(asModelRef))}`), [], 'reference type takes part');
    assert.deepEqual(await ids(`semanticId=${b64('urn:sem:nameplate')}&idShort=SemB`), [b.id]);
    assert.deepEqual(await ids(`idShort=SemA`), [a.id]);
    assert.equal((await request('GET', `${api}/submodels?semanticId=%%%`)).status, 400);
    assert.equal((await request('GET', `${api}/submodels?semanticId=${b64('x'.repeat(3073))}`)).status, 400);
  });

  it('pages deterministically with an opaque cursor', async () => {
    for (let i = 0; i < 25; i++) {
      await request('POST', `${api}/submodels`, submodel(`urn:example:paging:${String(i).padStart(2, '0')}`, { idShort: 'Paged' }));
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const r = await request('GET', `${api}/submodels?idShort=Paged&limit=10${cursor ? `&cursor=${cursor}` : ''}`);
      assert.equal(r.status, 200);
      assert.ok(r.body.result.length <= 10);
      seen.push(...r.body.result.map((s: { id: string }) => s.id));
      cursor = r.body.paging_metadata.cursor;
      pages++;
    } while (cursor);
    assert.equal(pages, 3);
    assert.deepEqual(seen, [...seen].sort());
    assert.equal(new Set(seen).size, 25);
    for (const bad of ['limit=0', 'limit=x', 'cursor=', 'cursor=garbage']) {
      const r = await request('GET', `${api}/submodels?${bad}`);
      assert.equal(r.status, 400, bad);
    }
  });

  it('rejects an invalid submodel with 400 naming the JSON path, and stores nothing', async () => {
    const id = 'urn:example:sm:invalid';
    const bad = submodel(id);
    (bad.submodelElements[1] as { value: { valueType?: string }[] }).value[0].valueType = 'xs:nonsense';
    const r = await request('POST', `${api}/submodels`, bad);
    assert.equal(r.status, 400);
    assert.match(resultText(r.body), /\$\.submodelElements\[1\]\.value\[0\]\.valueType/);
    assert.equal((await request('GET', `${api}/submodels/${b64(id)}`)).status, 404);

    const constraint = submodel(id, { submodelElements: [
      { modelType: 'Property', idShort: 'Twice', valueType: 'xs:int', value: '1' },
      { modelType: 'Property', idShort: 'Twice', valueType: 'xs:int', value: '2' },
    ] });
    const c = await request('POST', `${api}/submodels`, constraint);
    assert.equal(c.status, 400);
    assert.match(resultText(c.body), /AASd-022/);
    const wrongValue = submodel(id, { submodelElements: [{ modelType: 'Property', idShort: 'Num', valueType: 'xs:byte', value: '300' }] });
    const v = await request('POST', `${api}/submodels`, wrongValue);
    assert.equal(v.status, 400);
    assert.match(resultText(v.body), /\$\.submodelElements\[0\]\.value/);
    assert.equal((await request('GET', `${api}/submodels/${b64(id)}`)).status, 404);
  });
});
