/**
 * Attachments of File and Blob elements over HTTP, through both submodel doors (Part 2 GetFileByPath,
 * PutFileByPath, DeleteFileByPath): round trips, file names, content types, 404/405/415/400 answers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { request, resultText } from './fixtures.js';
import {
  attachmentShell,
  attachmentSubmodel,
  doors,
  download,
  extendedFileName,
  storedFiles,
  upload,
  uploadForm,
} from './attachment-fixtures.js';
import { startTestServer, type TestServer } from './test-server.js';

const FILE_VALUE = /^\/aasx\/files\/[0-9a-f-]{36}\/[^/]+$/;

describe('attachments of File and Blob elements over HTTP', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer();
  });
  after(() => srv.close());

  for (const door of Object.keys(doors(''))) {
    describe(door, () => {
      let root: string;
      const el = (path: string) => `${root}/submodel-elements/${encodeURIComponent(path)}/attachment`;
      const element = async (idShort: string) => {
        const sm = (await request('GET', `${root}?extent=WithBlobValue`)).body;
        let found: Record<string, unknown> | undefined;
        const walk = (list: unknown) =>
          Array.isArray(list) && list.forEach((e: Record<string, unknown>) => (e.idShort === idShort ? (found = e) : walk(e.value)));
        walk(sm.submodelElements);
        return found!;
      };

      before(async () => {
        // each door gets its own shell and submodel, so the cases of the two doors cannot see each other
        const suffix = door === 'submodel repository' ? 'repo' : 'shell';
        const shellId = `https://example.com/ids/aas/att-${suffix}`;
        const smId = `https://example.com/ids/sm/att-${suffix}`;
        assert.equal((await request('POST', `${srv.baseUrl}/submodels`, attachmentSubmodel(smId))).status, 201);
        assert.equal((await request('POST', `${srv.baseUrl}/shells`, attachmentShell(shellId, smId))).status, 201);
        root = doors(srv.baseUrl, shellId, smId)[door as keyof ReturnType<typeof doors>];
      });

      it('stores a File upload, records its path in File.value, and serves the same bytes back', async () => {
        const put = await upload(el('Manual'), uploadForm('%PDF-1.7 manual', { fileName: 'manual.pdf', type: 'application/pdf' }));
        assert.equal(put.status, 204, put.text);
        const file = await element('Manual');
        assert.match(file.value as string, FILE_VALUE);
        assert.ok((file.value as string).endsWith('/manual.pdf'));
        assert.equal(file.contentType, 'application/pdf');

        const got = await download(el('Manual'));
        assert.equal(got.status, 200);
        assert.equal(got.bytes.toString(), '%PDF-1.7 manual');
        assert.equal(got.headers.get('content-type'), 'application/pdf');
        assert.equal(got.headers.get('content-length'), String('%PDF-1.7 manual'.length));
        assert.equal(got.headers.get('content-disposition'), 'attachment; filename="manual.pdf"');
        assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
      });

      it('keeps a non-ASCII file name: filename* (RFC 8187) carries it, filename an ASCII stand-in', async () => {
        const name = 'Prüfbericht – 東京 "final" 😀.pdf';
        assert.equal((await upload(el('Manual'), uploadForm('bytes', { fileName: name }))).status, 204);
        const got = await download(el('Manual'));
        const disposition = got.headers.get('content-disposition');
        assert.equal(extendedFileName(disposition), name);
        assert.match(disposition!, /^attachment; filename="Pr_fbericht _ __ _final_ _\.pdf"; filename\*=/);
        assert.equal(decodeURIComponent((await element('Manual')).value as string).split('/').pop(), name);
      });

      it('takes the content type of the file part, and sets File.contentType only when it was absent', async () => {
        assert.equal((await upload(el('Untyped'), uploadForm('a,b\n1,2', { fileName: 'data.csv', type: 'text/csv' }))).status, 204);
        assert.equal((await element('Untyped')).contentType, 'text/csv');
        assert.equal((await download(el('Untyped'))).headers.get('content-type'), 'text/csv');
        // a File that declares its type keeps it; the element's type is what GET answers with (Part 2)
        assert.equal((await upload(el('Manual'), uploadForm('x', { type: 'text/plain' }))).status, 204);
        assert.equal((await element('Manual')).contentType, 'application/pdf');
        assert.equal((await download(el('Manual'))).headers.get('content-type'), 'application/pdf');
      });

      it('reads fileName in either order, and falls back to the file part\'s own filename', async () => {
        assert.equal((await upload(el('Group.Inner'), uploadForm('first', { fileName: 'first.txt', fileNameFirst: true }))).status, 204);
        assert.ok(((await element('Inner')).value as string).endsWith('/first.txt'));
        assert.equal((await upload(el('Group.Inner'), uploadForm('own', { omitFileName: true, partFileName: 'own-name.txt' }))).status, 204);
        assert.ok(((await element('Inner')).value as string).endsWith('/own-name.txt'));
        assert.equal((await download(el('Group.Inner'))).bytes.toString(), 'own');
      });

      it('reaches a File inside a list by index', async () => {
        assert.equal((await upload(el('Sheets[0]'), uploadForm('x;y', { fileName: 'sheet.csv' }))).status, 204);
        const got = await download(el('Sheets[0]'));
        assert.equal(got.bytes.toString(), 'x;y');
        assert.equal(got.headers.get('content-type'), 'text/csv');
      });

      it('replaces the content on a second upload and deletes the previous bytes', async () => {
        const before = await storedFiles(srv.dataDir);
        assert.equal((await upload(el('Manual'), uploadForm('version 2', { fileName: 'v2.pdf' }))).status, 204);
        const firstValue = (await element('Manual')).value;
        assert.equal((await upload(el('Manual'), uploadForm('version 3', { fileName: 'v3.pdf' }))).status, 204);
        assert.notEqual((await element('Manual')).value, firstValue);
        assert.equal((await download(el('Manual'))).bytes.toString(), 'version 3');
        assert.equal((await storedFiles(srv.dataDir)).length, before.length, 'one file per File element, old bytes gone');
      });

      it('stores a Blob upload as its base64 value and serves the decoded bytes', async () => {
        const bytes = Buffer.from([0, 1, 2, 250, 251, 252, 10, 13]);
        const filesBefore = (await storedFiles(srv.dataDir)).length;
        assert.equal((await upload(el('Raw'), uploadForm(bytes, { fileName: 'raw.bin', type: 'application/x-raw' }))).status, 204);
        const blob = await element('Raw');
        assert.equal(blob.value, bytes.toString('base64'));
        assert.equal(blob.contentType, 'application/octet-stream', 'a declared contentType is kept');
        assert.equal((await storedFiles(srv.dataDir)).length, filesBefore, 'a Blob lives in its submodel, not in files');
        const got = await download(el('Raw'));
        assert.equal(got.status, 200);
        assert.deepEqual(got.bytes, bytes);
        assert.equal(got.headers.get('content-type'), 'application/octet-stream');
        assert.equal(got.headers.get('content-disposition'), 'attachment; filename="Raw"');
      });

      it('DELETE clears the content: 200, then GET 404 and a second DELETE 404', async () => {
        assert.equal((await upload(el('Raw'), uploadForm('blob'))).status, 204);
        assert.equal((await upload(el('Group.Inner'), uploadForm('file', { fileName: 'inner.txt' }))).status, 204);
        const before = (await storedFiles(srv.dataDir)).length;
        for (const path of ['Raw', 'Group.Inner']) {
          const res = await request('DELETE', el(path));
          assert.equal(res.status, 200, path);
          assert.equal(res.body, undefined);
          assert.equal((await request('GET', el(path))).status, 404, path);
          assert.equal((await request('DELETE', el(path))).status, 404, path);
        }
        assert.equal((await element('Raw')).value, undefined);
        const inner = await element('Inner');
        assert.equal(inner.value, undefined);
        assert.equal(inner.contentType, 'text/plain', 'the File keeps its contentType');
        assert.equal((await storedFiles(srv.dataDir)).length, before - 1, 'the File\'s bytes are gone');
      });

      it('answers 405 for an element that is neither File nor Blob, on every method', async () => {
        for (const path of ['Speed', 'Group']) {
          const get = await request('GET', el(path));
          assert.equal(get.status, 405);
          assert.match(resultText(get.body), /only File and Blob/);
          assert.equal((await upload(el(path), uploadForm('x'))).status, 405);
          assert.equal((await request('DELETE', el(path))).status, 405);
        }
      });

      it('answers 404 for missing content, unknown elements, and a File that points elsewhere', async () => {
        assert.equal((await request('GET', el('Untyped'))).status, 200); // uploaded above: the contrast case
        const external = await request('GET', el('External'));
        assert.equal(external.status, 404);
        assert.match(resultText(external.body), /external content \(https:\/\/example\.com\/media\/ce\.png\)/);
        assert.equal((await request('GET', el('Nothing'))).status, 404);
        assert.equal((await upload(el('Nothing'), uploadForm('x'))).status, 404);
        assert.equal((await request('DELETE', el('Nothing'))).status, 404);
        assert.equal((await request('GET', el('Group.Nothing'))).status, 404);
        assert.equal((await request('GET', el('Speed[0]'))).status, 400);
      });

      it('refuses a body that is not multipart (415) or lacks the file or a name (400), storing nothing', async () => {
        const before = await storedFiles(srv.dataDir);
        const valueBefore = (await element('Manual')).value;
        const json = await upload(el('Manual'), '{}', { 'content-type': 'application/json' });
        assert.equal(json.status, 415);
        const noFile = new FormData();
        noFile.append('fileName', 'x.pdf');
        assert.equal((await upload(el('Manual'), noFile)).status, 400);
        const noName = new FormData();
        noName.append('file', new Blob(['x']), '');
        assert.equal((await upload(el('Manual'), noName)).status, 400);
        assert.equal((await upload(el('Manual'), uploadForm('x', { fileName: 'bad\u0007name.pdf' }))).status, 400);
        assert.equal((await upload(el('Manual'), '--x\r\nbroken', { 'content-type': 'multipart/form-data; boundary=x' })).status, 400);
        assert.deepEqual(await storedFiles(srv.dataDir), before);
        assert.equal((await element('Manual')).value, valueBefore);
      });
    });
  }

  it('answers 404 on either door for an unknown submodel or a shell that does not reference it', async () => {
    await request('POST', `${srv.baseUrl}/submodels`, attachmentSubmodel('urn:example:sm:unreferenced'));
    const unknown = doors(srv.baseUrl, 'urn:example:aas:unknown', 'urn:example:sm:unknown');
    const unreferenced = doors(srv.baseUrl, 'https://example.com/ids/aas/att-repo', 'urn:example:sm:unreferenced');
    for (const root of [...Object.values(unknown), unreferenced['through the shell']]) {
      const url = `${root}/submodel-elements/Manual/attachment`;
      assert.equal((await request('GET', url)).status, 404, url);
      assert.equal((await upload(url, uploadForm('x'))).status, 404, url);
      assert.equal((await request('DELETE', url)).status, 404, url);
    }
  });
});
