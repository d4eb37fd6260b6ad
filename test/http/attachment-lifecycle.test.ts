/**
 * The shell thumbnail over HTTP, and the life of stored bytes: deleting the File element, its submodel or the
 * shell deletes them from <dataDir>/attachments/; bytes no document references (what a crash between the two
 * steps of an upload leaves) are removed by the next write of their owner and at start.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { locateElement } from '../../src/model/element-tree.js';
import { b64, request, resultText } from './fixtures.js';
import { attachmentShell, attachmentSubmodel, download, storedFiles, upload, uploadForm } from './attachment-fixtures.js';
import { startTestServer, type TestServer } from './test-server.js';

const FILE_VALUE = /^\/aasx\/files\/[0-9a-f-]{36}\/[^/]+$/;
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');

describe('attachment life cycle over HTTP', () => {
  let srv: TestServer;
  let api: string;
  before(async () => {
    srv = await startTestServer();
    api = srv.baseUrl;
  });
  after(() => srv.close());

  /** A fresh shell + submodel pair per case; returns their URLs. */
  async function fixture(name: string) {
    const shellId = `https://example.com/ids/aas/${name}`;
    const smId = `https://example.com/ids/sm/${name}`;
    assert.equal((await request('POST', `${api}/submodels`, attachmentSubmodel(smId))).status, 201);
    assert.equal((await request('POST', `${api}/shells`, attachmentShell(shellId, smId))).status, 201);
    const shell = `${api}/shells/${b64(shellId)}`;
    const submodel = `${api}/submodels/${b64(smId)}`;
    return { shellId, smId, shell, submodel, thumbnail: `${shell}/asset-information/thumbnail`, file: (p: string) => `${submodel}/submodel-elements/${p}/attachment` };
  }

  describe('thumbnail', () => {
    it('round trip: PUT sets defaultThumbnail, GET serves the bytes, a new PUT replaces them, DELETE removes both', async () => {
      const f = await fixture('thumb');
      const filesBefore = (await storedFiles(srv.dataDir)).length;
      const put = await upload(f.thumbnail, uploadForm(PNG, { fileName: 'front view.png', type: 'image/png' }));
      assert.equal(put.status, 204, put.text);
      const info = (await request('GET', `${f.shell}/asset-information`)).body;
      assert.match(info.defaultThumbnail.path, FILE_VALUE);
      assert.ok(info.defaultThumbnail.path.endsWith('/front%20view.png'));
      assert.equal(info.defaultThumbnail.contentType, 'image/png');
      assert.equal(info.globalAssetId, `${f.shellId}/asset`, 'the rest of the asset information is kept');

      const got = await download(f.thumbnail);
      assert.equal(got.status, 200);
      assert.deepEqual(got.bytes, PNG);
      assert.equal(got.headers.get('content-type'), 'image/png');
      assert.equal(got.headers.get('content-disposition'), 'attachment; filename="front view.png"');
      assert.equal((await storedFiles(srv.dataDir)).length, filesBefore + 1);

      // octet-stream says nothing: the thumbnail keeps its declared type
      assert.equal((await upload(f.thumbnail, uploadForm('second', { fileName: 'back.png', type: 'application/octet-stream' }))).status, 204);
      assert.equal((await download(f.thumbnail)).bytes.toString(), 'second');
      assert.equal((await request('GET', `${f.shell}/asset-information`)).body.defaultThumbnail.contentType, 'image/png');
      assert.equal((await storedFiles(srv.dataDir)).length, filesBefore + 1, 'the first thumbnail\'s bytes are gone');

      const del = await request('DELETE', f.thumbnail);
      assert.equal(del.status, 200);
      assert.equal((await request('GET', `${f.shell}/asset-information`)).body.defaultThumbnail, undefined);
      assert.equal((await storedFiles(srv.dataDir)).length, filesBefore);
      assert.equal((await request('GET', f.thumbnail)).status, 404);
      assert.equal((await request('DELETE', f.thumbnail)).status, 404);
    });

    it('404 for an unknown shell, and for a thumbnail that lies elsewhere', async () => {
      const unknown = `${api}/shells/${b64('urn:example:aas:none')}/asset-information/thumbnail`;
      assert.equal((await request('GET', unknown)).status, 404);
      assert.equal((await upload(unknown, uploadForm(PNG))).status, 404);
      assert.equal((await request('DELETE', unknown)).status, 404);

      const f = await fixture('thumb-external');
      const info = { assetKind: 'Instance', globalAssetId: 'urn:x', defaultThumbnail: { path: 'https://example.com/t.png', contentType: 'image/png' } };
      assert.equal((await request('PUT', `${f.shell}/asset-information`, info)).status, 204);
      const got = await request('GET', f.thumbnail);
      assert.equal(got.status, 404);
      assert.match(resultText(got.body), /external content/);
    });
  });

  describe('no orphaned bytes', () => {
    it('deleting the File element (through the submodel edit every element route uses) deletes its bytes', async () => {
      const f = await fixture('drop-element');
      assert.equal((await upload(f.file('Manual'), uploadForm('manual'))).status, 204);
      assert.equal((await upload(f.file('Group.Inner'), uploadForm('inner'))).status, 204);
      const before = (await storedFiles(srv.dataDir)).length;
      await srv.server.services.submodels.edit(f.smId, (sm) => locateElement(sm, 'Group.Inner').remove());
      assert.equal((await storedFiles(srv.dataDir)).length, before - 1);
      assert.equal((await download(f.file('Manual'))).bytes.toString(), 'manual', 'the other File keeps its bytes');
    });

    it('replacing the submodel without the File (PUT) deletes its bytes; with it, keeps them', async () => {
      const f = await fixture('replace-submodel');
      assert.equal((await upload(f.file('Manual'), uploadForm('manual'))).status, 204);
      const before = (await storedFiles(srv.dataDir)).length;
      const current = (await request('GET', f.submodel)).body;
      assert.equal((await request('PUT', f.submodel, { ...current, idShort: 'Renamed' })).status, 204);
      assert.equal((await storedFiles(srv.dataDir)).length, before, 'still referenced: kept');
      const without = { ...current, submodelElements: current.submodelElements.filter((e: { idShort: string }) => e.idShort !== 'Manual') };
      assert.equal((await request('PUT', f.submodel, without)).status, 204);
      assert.equal((await storedFiles(srv.dataDir)).length, before - 1);
    });

    it('deleting the submodel deletes its bytes, through either door', async () => {
      for (const door of ['repository', 'shell']) {
        const f = await fixture(`drop-submodel-${door}`);
        assert.equal((await upload(f.file('Manual'), uploadForm('manual'))).status, 204);
        assert.equal((await upload(f.file('Untyped'), uploadForm('untyped'))).status, 204);
        const before = (await storedFiles(srv.dataDir)).length;
        const url = door === 'repository' ? f.submodel : `${f.shell}/submodels/${b64(f.smId)}`;
        assert.equal((await request('DELETE', url)).status, 204);
        assert.equal((await storedFiles(srv.dataDir)).length, before - 2, door);
      }
    });

    it('deleting the shell deletes its thumbnail\'s bytes (not its submodels\' bytes: they outlive it)', async () => {
      const f = await fixture('drop-shell');
      assert.equal((await upload(f.thumbnail, uploadForm(PNG, { type: 'image/png' }))).status, 204);
      assert.equal((await upload(f.file('Manual'), uploadForm('manual'))).status, 204);
      const before = (await storedFiles(srv.dataDir)).length;
      assert.equal((await request('DELETE', f.shell)).status, 204);
      assert.equal((await storedFiles(srv.dataDir)).length, before - 1);
      assert.equal((await download(f.file('Manual'))).bytes.toString(), 'manual');
    });

    it('bytes no document references are removed by the next write of their owner', async () => {
      const f = await fixture('next-write');
      const { store } = srv.server.services;
      // what a crash between committing the bytes and recording File.value leaves behind
      await store.attachments.put({ owner: { kind: 'submodels', id: f.smId }, name: '/aasx/files/leftover/x.bin' }, Readable.from([Buffer.from('x')]), { contentType: 'text/plain', fileName: 'x.bin' }, 10);
      const before = (await storedFiles(srv.dataDir)).length;
      const current = (await request('GET', f.submodel)).body;
      assert.equal((await request('PUT', f.submodel, current)).status, 204);
      assert.equal((await storedFiles(srv.dataDir)).length, before - 1);
    });
  });

  it('at start, bytes no document references are removed and referenced ones are kept', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'aas-attachment-restart-'));
    try {
      const first = await startTestServer({ config: { dataDir } });
      const smId = 'https://example.com/ids/sm/restart';
      const file = `${first.baseUrl}/submodels/${b64(smId)}/submodel-elements/Manual/attachment`;
      try {
        assert.equal((await request('POST', `${first.baseUrl}/submodels`, attachmentSubmodel(smId))).status, 201);
        assert.equal((await upload(file, uploadForm('kept across a restart'))).status, 204);
        const owner = { kind: 'submodels', id: smId } as const;
        const meta = { contentType: 'text/plain', fileName: 'x' };
        await first.server.services.store.attachments.put({ owner, name: '/aasx/files/orphan/a' }, Readable.from([Buffer.from('a')]), meta, 10);
        await first.server.services.store.attachments.put({ owner: { kind: 'shells', id: 'urn:gone' }, name: 'b' }, Readable.from([Buffer.from('b')]), meta, 10);
        assert.equal((await storedFiles(dataDir)).length, 3);
      } finally {
        await first.close();
      }
      const second = await startTestServer({ config: { dataDir } });
      try {
        assert.equal((await storedFiles(dataDir)).length, 1);
        assert.equal((await download(file.replace(first.baseUrl, second.baseUrl))).bytes.toString(), 'kept across a restart');
      } finally {
        await second.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
