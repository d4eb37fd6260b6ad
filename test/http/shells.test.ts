import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { b64, request, resultText, shell, submodel, submodelRef } from './fixtures.js';
import { startTestServer, type TestServer } from './test-server.js';

describe('AAS repository over HTTP', () => {
  let srv: TestServer;
  let api: string;
  before(async () => {
    srv = await startTestServer();
    api = srv.baseUrl;
  });
  after(() => srv.close());

  it('creates, reads, replaces and deletes a shell', async () => {
    const id = 'https://example.com/ids/aas/crud';
    const created = await request('POST', `${api}/shells`, shell(id));
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('location'), `/api/v3.0/shells/${b64(id)}`);
    assert.deepEqual(created.body, shell(id));

    assert.deepEqual((await request('GET', `${api}/shells/${b64(id)}`)).body, shell(id));
    // Padded ids are accepted too.
    const padded = b64(id) + '='.repeat((4 - (b64(id).length % 4)) % 4);
    assert.equal((await request('GET', `${api}/shells/${padded}`)).status, 200);

    const dup = await request('POST', `${api}/shells`, shell(id));
    assert.equal(dup.status, 409);
    assert.match(resultText(dup.body), /already exists/);

    const replaced = await request('PUT', `${api}/shells/${b64(id)}`, shell(id, { idShort: 'Renamed' }));
    assert.equal(replaced.status, 204);
    assert.equal((await request('GET', `${api}/shells/${b64(id)}`)).body.idShort, 'Renamed');

    assert.equal((await request('DELETE', `${api}/shells/${b64(id)}`)).status, 204);
    assert.equal((await request('GET', `${api}/shells/${b64(id)}`)).status, 404);
    assert.equal((await request('DELETE', `${api}/shells/${b64(id)}`)).status, 404);
  });

  it('PUT creates an absent shell (201) and refuses a body id that differs from the path', async () => {
    const id = 'urn:example:aas:put-create';
    const created = await request('PUT', `${api}/shells/${b64(id)}`, shell(id));
    assert.equal(created.status, 201);
    assert.equal(created.headers.get('location'), `/api/v3.0/shells/${b64(id)}`);
    const mismatch = await request('PUT', `${api}/shells/${b64(id)}`, shell('urn:example:other'));
    assert.equal(mismatch.status, 400);
    assert.match(resultText(mismatch.body), /differs/);
  });

  it('answers 400 for an undecodable id and 404 for an unknown one', async () => {
    assert.equal((await request('GET', `${api}/shells/not*base64`)).status, 400);
    const unknown = await request('GET', `${api}/shells/${b64('urn:nothing')}`);
    assert.equal(unknown.status, 404);
    assert.match(resultText(unknown.body), /urn:nothing/);
  });

  it('serves $reference for one shell and for the list', async () => {
    const id = 'urn:example:aas:ref';
    await request('POST', `${api}/shells`, shell(id));
    const one = await request('GET', `${api}/shells/${b64(id)}/$reference`);
    assert.deepEqual(one.body, { type: 'ModelReference', keys: [{ type: 'AssetAdministrationShell', value: id }] });
    const list = await request('GET', `${api}/shells/$reference?idShort=TestShell&limit=1000`);
    assert.ok(list.body.result.some((r: { keys: { value: string }[] }) => r.keys[0].value === id));
    assert.equal((await request('GET', `${api}/shells/$reference?level=deep`)).status, 400);
    assert.equal((await request('GET', `${api}/shells/${b64('urn:none')}/$reference`)).status, 404);
  });

  it('reads and replaces the asset information, validating it', async () => {
    const id = 'urn:example:aas:assetinfo';
    await request('POST', `${api}/shells`, shell(id));
    const info = { assetKind: 'Type', globalAssetId: 'urn:example:asset:type', assetType: 'urn:example:type' };
    assert.equal((await request('PUT', `${api}/shells/${b64(id)}/asset-information`, info)).status, 204);
    assert.deepEqual((await request('GET', `${api}/shells/${b64(id)}/asset-information`)).body, info);
    const bad = await request('PUT', `${api}/shells/${b64(id)}/asset-information`, { assetKind: 'Sometimes' });
    assert.equal(bad.status, 400);
    assert.deepEqual((await request('GET', `${api}/shells/${b64(id)}/asset-information`)).body, info, 'nothing changed');
  });

  it('manages submodel references with paging, 409 on duplicates and 404 on unknown ones', async () => {
    const id = 'urn:example:aas:refs';
    await request('POST', `${api}/shells`, shell(id));
    const refs = `${api}/shells/${b64(id)}/submodel-refs`;
    for (const n of [1, 2, 3]) {
      const r = await request('POST', refs, submodelRef(`urn:example:sm:${n}`));
      assert.equal(r.status, 201);
      assert.equal(r.headers.get('location'), `/api/v3.0/shells/${b64(id)}/submodel-refs/${b64(`urn:example:sm:${n}`)}`);
    }
    assert.equal((await request('POST', refs, submodelRef('urn:example:sm:2'))).status, 409);

    const first = await request('GET', `${refs}?limit=2`);
    assert.deepEqual(first.body.result.map((r: { keys: { value: string }[] }) => r.keys[0].value), ['urn:example:sm:1', 'urn:example:sm:2']);
    const second = await request('GET', `${refs}?limit=2&cursor=${first.body.paging_metadata.cursor}`);
    assert.deepEqual(second.body.result.map((r: { keys: { value: string }[] }) => r.keys[0].value), ['urn:example:sm:3']);
    assert.deepEqual(second.body.paging_metadata, {});

    assert.equal((await request('DELETE', `${refs}/${b64('urn:example:sm:2')}`)).status, 204);
    assert.equal((await request('DELETE', `${refs}/${b64('urn:example:sm:2')}`)).status, 404);
    assert.equal((await request('GET', refs)).body.result.length, 2);
  });

  it('filters by idShort (exact, case-sensitive) and by assetIds (AND, globalAssetId, object or array form)', async () => {
    const a = shell('urn:example:aas:filter-a', {
      idShort: 'FilterA',
      assetInformation: { assetKind: 'Instance', globalAssetId: 'urn:asset:A', specificAssetIds: [{ name: 'serialNumber', value: 'S-1' }, { name: 'batch', value: 'B7' }] },
    });
    const b = shell('urn:example:aas:filter-b', {
      idShort: 'FilterB',
      assetInformation: { assetKind: 'Instance', globalAssetId: 'urn:asset:B', specificAssetIds: [{ name: 'serialNumber', value: 'S-2' }, { name: 'batch', value: 'B7' }] },
    });
    await request('POST', `${api}/shells`, a);
    await request('POST', `${api}/shells`, b);
    const ids = async (query: string) => (await request('GET', `${api}/shells?${query}`)).body.result.map((s: { id: string }) => s.id).sort();
    const q = (o: unknown) => `assetIds=${b64(JSON.stringify(o))}`;

    assert.deepEqual(await ids('idShort=FilterA'), [a.id]);
    assert.deepEqual(await ids('idShort=filtera'), []);
    assert.deepEqual(await ids(q({ name: 'batch', value: 'B7' })), [a.id, b.id]);
    assert.deepEqual(await ids(`${q({ name: 'batch', value: 'B7' })}&${q({ name: 'serialNumber', value: 'S-2' })}`), [b.id]);
    assert.deepEqual(await ids(q([{ name: 'serialNumber', value: 'S-1' }, { name: 'batch', value: 'B7' }])), [a.id]);
    assert.deepEqual(await ids(q({ name: 'globalAssetId', value: 'urn:asset:B' })), [b.id]);
    assert.deepEqual(await ids(q({ name: 'serialNumber', value: 'S-3' })), []);
    assert.equal((await request('GET', `${api}/shells?assetIds=${b64('not json')}`)).status, 400);
    assert.equal((await request('GET', `${api}/shells?assetIds=${b64('{"name":1}')}`)).status, 400);
  });

  it('answers 404 with a Result for a shell without a thumbnail (uploads: attachment-lifecycle.test.ts)', async () => {
    const id = 'urn:example:aas:thumb';
    await request('POST', `${api}/shells`, shell(id));
    for (const method of ['GET', 'DELETE']) {
      const r = await request(method, `${api}/shells/${b64(id)}/asset-information/thumbnail`);
      assert.equal(r.status, 404);
    }
    assert.equal((await request('GET', `${api}/shells/${b64('urn:none')}/asset-information/thumbnail`)).status, 404);
  });

  it('reaches submodels through the shell only when the shell references them', async () => {
    const aasId = 'urn:example:aas:super';
    const smId = 'urn:example:sm:super';
    const other = 'urn:example:sm:not-referenced';
    await request('POST', `${api}/shells`, shell(aasId, { submodels: [submodelRef(smId)] }));
    await request('POST', `${api}/submodels`, submodel(smId));
    await request('POST', `${api}/submodels`, submodel(other));
    const through = `${api}/shells/${b64(aasId)}/submodels`;

    assert.deepEqual((await request('GET', `${through}/${b64(smId)}?extent=withBlobValue`)).body, submodel(smId));
    assert.equal((await request('GET', `${through}/${b64(other)}`)).status, 404);
    assert.equal((await request('GET', `${api}/shells/${b64('urn:none')}/submodels/${b64(smId)}`)).status, 404);
    assert.deepEqual((await request('GET', `${through}/${b64(smId)}/$reference`)).body, submodelRef(smId));
    assert.equal((await request('GET', `${through}/${b64(smId)}/$metadata`)).body.submodelElements, undefined);

    const put = await request('PUT', `${through}/${b64(smId)}`, submodel(smId, { idShort: 'ViaShell' }));
    assert.equal(put.status, 204);
    assert.equal((await request('GET', `${api}/submodels/${b64(smId)}`)).body.idShort, 'ViaShell');
    assert.equal((await request('PUT', `${through}/${b64(other)}`, submodel(other))).status, 404);

    assert.equal((await request('DELETE', `${through}/${b64(smId)}`)).status, 204);
    assert.equal((await request('GET', `${api}/submodels/${b64(smId)}`)).status, 404);
    assert.equal((await request('GET', `${api}/shells/${b64(aasId)}`)).body.submodels, undefined, 'reference removed too');
  });
});
