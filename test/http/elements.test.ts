import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { b64, request, resultText, shell, submodelRef } from './fixtures.js';
import { startTestServer, type TestServer } from './test-server.js';

const SM_ID = 'urn:example:sm:elements';
const AAS_ID = 'urn:example:aas:elements';

function machine() {
  return {
    modelType: 'Submodel',
    id: SM_ID,
    idShort: 'Machine',
    submodelElements: [
      { modelType: 'Property', idShort: 'Speed', valueType: 'xs:int', value: '1200' },
      { modelType: 'MultiLanguageProperty', idShort: 'Label', value: [{ language: 'en', text: 'Mill' }] },
      {
        modelType: 'SubmodelElementCollection',
        idShort: 'Motor',
        value: [
          { modelType: 'Property', idShort: 'Temp', valueType: 'xs:double', value: '41.5' },
          { modelType: 'Range', idShort: 'Limits', valueType: 'xs:int', min: '0', max: '90' },
        ],
      },
      {
        modelType: 'SubmodelElementList',
        idShort: 'Axes',
        typeValueListElement: 'SubmodelElementCollection',
        value: [
          { modelType: 'SubmodelElementCollection', value: [{ modelType: 'Property', idShort: 'Pos', valueType: 'xs:int', value: '1' }] },
          { modelType: 'SubmodelElementCollection', value: [{ modelType: 'Property', idShort: 'Pos', valueType: 'xs:int', value: '2' }] },
        ],
      },
      { modelType: 'Operation', idShort: 'Start' },
      { modelType: 'Blob', idShort: 'Raw', contentType: 'application/octet-stream', value: 'AAEC' },
    ],
  };
}

const DOORS = [
  { name: 'Submodel repository', root: () => `/submodels/${b64(SM_ID)}` },
  { name: 'AAS repository superpath', root: () => `/shells/${b64(AAS_ID)}/submodels/${b64(SM_ID)}` },
];

for (const door of DOORS) {
  describe(`submodel elements over HTTP: ${door.name}`, () => {
    let srv: TestServer;
    let root: string;
    const el = (path = '') => `${root}/submodel-elements${path === '' ? '' : `/${encodeURIComponent(path)}`}`;
    before(async () => {
      srv = await startTestServer();
      root = srv.baseUrl + door.root();
      assert.equal((await request('POST', `${srv.baseUrl}/shells`, shell(AAS_ID, { submodels: [submodelRef(SM_ID)] }))).status, 201);
    });
    beforeEach(async () => {
      assert.ok([201, 204].includes((await request('PUT', `${srv.baseUrl}/submodels/${b64(SM_ID)}`, machine())).status));
    });
    after(() => srv.close());

    it('reads elements by idShortPath into collections and lists', async () => {
      assert.equal((await request('GET', el('Speed'))).body.value, '1200');
      assert.equal((await request('GET', el('Motor.Temp'))).body.value, '41.5');
      assert.equal((await request('GET', el('Axes[1].Pos'))).body.value, '2');
      assert.equal((await request('GET', el('Axes[2]'))).status, 404);
      assert.equal((await request('GET', el('Nothing.Here'))).status, 404);
      assert.equal((await request('GET', el('Motor[0]'))).status, 400);
      assert.equal((await request('GET', el('Speed..x'))).status, 400);
    });

    it('lists top-level elements paged, in every content form', async () => {
      const first = await request('GET', `${el()}?limit=2`);
      assert.deepEqual(first.body.result.map((e: { idShort: string }) => e.idShort), ['Speed', 'Label']);
      const second = await request('GET', `${el()}?limit=10&cursor=${first.body.paging_metadata.cursor}`);
      assert.deepEqual(second.body.result.map((e: { idShort: string }) => e.idShort), ['Motor', 'Axes', 'Start', 'Raw']);
      assert.equal(second.body.result[3].value, undefined, 'Blob values left out by default');
      const values = (await request('GET', `${el()}/$value`)).body.result;
      assert.deepEqual(values[0], { Speed: 1200 });
      const paths = (await request('GET', `${el()}/$path`)).body.result;
      assert.ok(paths.includes('Axes[1].Pos') && paths.includes('Motor.Limits'), paths.join(' '));
      const refs = (await request('GET', `${el()}/$reference?limit=1`)).body.result;
      assert.deepEqual(refs, [{ type: 'ModelReference', keys: [{ type: 'Submodel', value: SM_ID }, { type: 'Property', value: 'Speed' }] }]);
      const meta = (await request('GET', `${el()}/$metadata`)).body.result;
      assert.equal(meta[0].value, undefined);
      assert.equal(meta[0].valueType, 'xs:int');
    });

    it('serves one element as $value, $metadata, $reference and $path', async () => {
      assert.equal((await request('GET', `${el('Speed')}/$value`)).body, 1200);
      assert.deepEqual((await request('GET', `${el('Motor')}/$value`)).body, { Temp: 41.5, Limits: { min: 0, max: 90 } });
      assert.deepEqual((await request('GET', `${el('Axes')}/$value`)).body, [{ Pos: 1 }, { Pos: 2 }]);
      assert.deepEqual((await request('GET', `${el('Label')}/$value`)).body, [{ en: 'Mill' }]);
      assert.deepEqual((await request('GET', `${el('Axes[1].Pos')}/$reference`)).body.keys, [
        { type: 'Submodel', value: SM_ID },
        { type: 'SubmodelElementList', value: 'Axes' },
        { type: 'SubmodelElementCollection', value: '1' },
        { type: 'Property', value: 'Pos' },
      ]);
      assert.deepEqual((await request('GET', `${el('Motor')}/$path`)).body, ['Motor', 'Motor.Temp', 'Motor.Limits']);
      const meta = (await request('GET', `${el('Motor')}/$metadata`)).body;
      assert.equal(meta.value, undefined);
      assert.equal(meta.idShort, 'Motor');
    });

    it('applies level and extent, and refuses forbidden modifier combinations', async () => {
      const core = (await request('GET', `${el('Axes')}?level=core`)).body;
      assert.equal(core.value.length, 2);
      assert.equal(core.value[0].value, undefined, 'no grandchildren at level=core');
      assert.equal((await request('GET', `${el('Raw')}?extent=withBlobValue`)).body.value, 'AAEC');
      assert.equal((await request('GET', el('Raw'))).body.value, undefined);
      assert.equal((await request('GET', `${el('Motor')}/$metadata?level=core`)).status, 400);
      assert.equal((await request('GET', `${el('Start')}/$value`)).status, 400, '$value of an Operation');
      assert.equal((await request('GET', `${el('Motor')}/$reference?level=deep`)).status, 400);
      assert.equal((await request('PATCH', `${el('Speed')}/$value?level=deep`, 5)).status, 400);
    });

    it('creates elements at the top, in collections and appended to lists; 409 on a duplicate idShort', async () => {
      const created = await request('POST', el(), { modelType: 'Property', idShort: 'Mode', valueType: 'xs:string', value: 'auto' });
      assert.equal(created.status, 201);
      assert.ok(created.headers.get('location')!.endsWith('/submodel-elements/Mode'));
      assert.equal((await request('POST', el(), { modelType: 'Property', idShort: 'Mode', valueType: 'xs:string' })).status, 409);

      assert.equal((await request('POST', el('Motor'), { modelType: 'Property', idShort: 'Current', valueType: 'xs:double', value: '3.2' })).status, 201);
      assert.equal((await request('GET', el('Motor.Current'))).body.value, '3.2');
      assert.equal((await request('POST', el('Motor'), { modelType: 'Property', idShort: 'Temp', valueType: 'xs:double' })).status, 409);

      const appended = await request('POST', el('Axes'), { modelType: 'SubmodelElementCollection', value: [{ modelType: 'Property', idShort: 'Pos', valueType: 'xs:int', value: '3' }] });
      assert.equal(appended.status, 201);
      assert.ok(appended.headers.get('location')!.endsWith(`/submodel-elements/${encodeURIComponent('Axes[2]')}`));
      assert.equal((await request('GET', el('Axes[2].Pos'))).body.value, '3');

      assert.equal((await request('POST', el('Nope'), { modelType: 'Property', idShort: 'Xy', valueType: 'xs:int' })).status, 404);
      assert.equal((await request('POST', el('Speed'), { modelType: 'Property', idShort: 'Xy', valueType: 'xs:int' })).status, 400);
    });

    it('replaces (204) or creates (201) with PUT; the idShort must match the path', async () => {
      assert.equal((await request('PUT', el('Speed'), { modelType: 'Property', idShort: 'Speed', valueType: 'xs:long', value: '9' })).status, 204);
      assert.equal((await request('GET', el('Speed'))).body.valueType, 'xs:long');
      assert.equal((await request('PUT', el('Motor.Fan'), { modelType: 'Property', idShort: 'Fan', valueType: 'xs:boolean', value: 'true' })).status, 201);
      assert.equal((await request('PUT', el('Speed'), { modelType: 'Property', idShort: 'Other', valueType: 'xs:int' })).status, 400);
      assert.equal((await request('PUT', el('No.Parent'), { modelType: 'Property', idShort: 'Parent', valueType: 'xs:int' })).status, 404);
    });

    it('patches in Normal, $value and $metadata form without changing the element type', async () => {
      assert.equal((await request('PATCH', el('Speed'), { modelType: 'Property', idShort: 'Speed', valueType: 'xs:int', value: '7' })).status, 204);
      assert.equal((await request('GET', el('Speed'))).body.value, '7');
      assert.equal((await request('PATCH', el('Speed'), { modelType: 'Range', idShort: 'Speed', valueType: 'xs:int' })).status, 400);

      assert.equal((await request('PATCH', `${el('Speed')}/$value`, 1500)).status, 204);
      assert.equal((await request('GET', el('Speed'))).body.value, '1500', 'Normal form keeps strings');
      assert.equal((await request('PATCH', `${el('Speed')}/$value`, 'fast')).status, 400);
      assert.equal((await request('PATCH', `${el('Motor')}/$value`, { Temp: 50.25 })).status, 204);
      assert.equal((await request('GET', el('Motor.Temp'))).body.value, '50.25');
      assert.equal((await request('GET', el('Motor.Limits'))).body.max, '90', 'elements left out stay');
      assert.equal((await request('PATCH', `${el('Motor')}/$value`, { Unknown: 1 })).status, 400);

      const merged = await request('PATCH', el('Motor'), { modelType: 'SubmodelElementCollection', idShort: 'Motor', value: [{ modelType: 'Property', idShort: 'Temp', valueType: 'xs:double', value: '60' }] });
      assert.equal(merged.status, 204);
      assert.equal((await request('GET', el('Motor.Temp'))).body.value, '60');
      assert.equal((await request('GET', el('Motor.Limits'))).status, 200, 'children the body leaves out stay');
      assert.equal((await request('PATCH', el('Motor'), { modelType: 'SubmodelElementCollection', idShort: 'Motor', value: [{ modelType: 'Property', idShort: 'Fresh', valueType: 'xs:int' }] })).status, 400);
      assert.equal((await request('PATCH', `${el('Label')}/$metadata`, { modelType: 'MultiLanguageProperty', idShort: 'Label', value: [{ language: 'en', text: 'x' }] })).status, 400, 'no value fields in $metadata');
      assert.equal((await request('PATCH', root, 'null')).status, 400);
      assert.equal((await request('POST', `${el()}?level=deep`, { modelType: 'Property', idShort: 'Lvl', valueType: 'xs:int' })).status, 400);

      const meta = await request('PATCH', `${el('Speed')}/$metadata`, { modelType: 'Property', idShort: 'Speed', valueType: 'xs:int', category: 'VARIABLE' });
      assert.equal(meta.status, 204);
      const after = (await request('GET', el('Speed'))).body;
      assert.equal(after.category, 'VARIABLE');
      assert.equal(after.value, '1500', '$metadata leaves the value');
    });

    it('deletes elements, and a write that breaks the submodel changes nothing', async () => {
      assert.equal((await request('DELETE', el('Axes[0]'))).status, 204);
      assert.equal((await request('GET', el('Axes[0].Pos'))).body.value, '2');
      assert.equal((await request('DELETE', el('Motor.Temp'))).status, 204);
      assert.equal((await request('GET', el('Motor.Temp'))).status, 404);
      assert.equal((await request('DELETE', el('Motor.Temp'))).status, 404);

      const bad = await request('POST', el('Motor'), { modelType: 'Property', idShort: 'Broken', valueType: 'xs:int', value: 'abc' });
      assert.equal(bad.status, 400);
      assert.match(resultText(bad.body), /\$\.value/);
      assert.equal((await request('GET', el('Motor.Broken'))).status, 404);
    });

    it('patches the submodel root and serves its $value and $path', async () => {
      assert.deepEqual((await request('GET', `${root}/$value`)).body.Motor, { Temp: 41.5, Limits: { min: 0, max: 90 } });
      assert.equal((await request('PATCH', `${root}/$value`, { Speed: 10, Axes: [{ Pos: 5 }] })).status, 204);
      assert.equal((await request('GET', el('Axes[0].Pos'))).body.value, '5');
      assert.equal((await request('GET', el('Axes[1].Pos'))).body.value, '2');
      assert.equal((await request('PATCH', `${root}/$value`, { Axes: [{}, {}, {}] })).status, 400, 'longer than the list');

      assert.equal((await request('PATCH', `${root}/$metadata`, { modelType: 'Submodel', id: SM_ID, idShort: 'Renamed' })).status, 204);
      const sm = (await request('GET', root)).body;
      assert.equal(sm.idShort, 'Renamed');
      assert.equal(sm.submodelElements.length, 6);

      const patched = { ...machine(), idShort: 'Whole' };
      assert.equal((await request('PATCH', root, patched)).status, 204);
      assert.equal((await request('GET', root)).body.idShort, 'Whole');
      assert.equal((await request('PATCH', root, { ...machine(), id: 'urn:other' })).status, 400);

      const paths = (await request('GET', `${root}/$path`)).body;
      assert.deepEqual(paths.slice(0, 3), ['Speed', 'Label', 'Motor']);
      assert.ok(paths.includes('Axes[0].Pos'));
      assert.deepEqual((await request('GET', `${root}/$path?level=core`)).body, ['Speed', 'Label', 'Motor', 'Axes', 'Start', 'Raw']);
    });
  });
}

describe('submodel lists in ValueOnly and path form', () => {
  it('serves one entry per submodel', async () => {
    const srv = await startTestServer();
    try {
      await request('POST', `${srv.baseUrl}/submodels`, machine());
      const values = (await request('GET', `${srv.baseUrl}/submodels/$value`)).body;
      assert.deepEqual(values.result.length, 1);
      assert.equal(values.result[0].Speed, 1200);
      const paths = (await request('GET', `${srv.baseUrl}/submodels/$path?level=core`)).body;
      assert.deepEqual(paths.result, [['Speed', 'Label', 'Motor', 'Axes', 'Start', 'Raw']]);
    } finally {
      await srv.close();
    }
  });
});
