/** File names of uploads: the recorded path (a valid PathType) and the Content-Disposition of downloads. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequest } from '../../src/errors.js';
import { attachmentDisposition } from '../../src/http/content-disposition.js';
import { checkFileName, isExternalPath, newAttachmentPath, shellAttachmentPaths, submodelAttachmentPaths } from '../../src/model/attachment-paths.js';
import type { AssetAdministrationShell, Submodel } from '../../src/model/types.js';
import { uriReference } from '../../src/validation/schema/patterns.js';

const PATH_TYPE = new RegExp(uriReference);

describe('attachment paths', () => {
  it('records an upload as /aasx/files/<uuid>/<encoded name>, a valid PathType for any checked name', () => {
    for (const name of ['manual.pdf', 'Prüfbericht 2024.pdf', '東京 (final) #1?.png', "it's 100% done!.txt", '😀', 'a'.repeat(255)]) {
      const path = newAttachmentPath(checkFileName(name));
      assert.match(path, /^\/aasx\/files\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\/[^/]+$/);
      assert.ok(PATH_TYPE.test(path), path);
      assert.equal(decodeURIComponent(path.split('/').pop()!), name);
    }
    assert.notEqual(newAttachmentPath('a.pdf'), newAttachmentPath('a.pdf'), 'every upload gets its own path');
  });

  it('keeps the last segment of a name sent with a path, and refuses names that name nothing or are unsafe', () => {
    assert.equal(checkFileName('C:\\Users\\me\\report.pdf'), 'report.pdf');
    assert.equal(checkFileName('../../etc/passwd'), 'passwd');
    for (const bad of ['', 'dir/', '..', 'a\u0000b', 'line\nbreak', 'x'.repeat(256)]) assert.throws(() => checkFileName(bad), BadRequest, JSON.stringify(bad));
    // 255 characters that each need 9 encoded characters would pass 2048
    assert.throws(() => newAttachmentPath('東'.repeat(255)), /too long/);
  });

  it('tells external content (a URI scheme) from a path this server may hold', () => {
    for (const external of ['https://example.com/a.png', 'file:/aasx/a.png', 'urn:x:y']) assert.equal(isExternalPath(external), true);
    for (const local of ['/aasx/files/a.png', 'aasx/a.png', './a:b']) assert.equal(isExternalPath(local), false);
  });

  it('collects every File.value of a submodel and the thumbnail path of a shell', () => {
    const submodel = {
      modelType: 'Submodel',
      id: 'urn:s',
      submodelElements: [
        { modelType: 'File', idShort: 'A', value: '/a' },
        { modelType: 'Blob', idShort: 'B', value: 'AAAA' },
        { modelType: 'Entity', idShort: 'E', entityType: 'CoManagedEntity', statements: [{ modelType: 'File', idShort: 'C', value: '/c' }] },
        { modelType: 'Operation', idShort: 'Op', inputVariables: [{ value: { modelType: 'File', idShort: 'D', value: '/d' } }] },
        { modelType: 'File', idShort: 'Empty' },
      ],
    } as unknown as Submodel;
    assert.deepEqual([...submodelAttachmentPaths(submodel)].sort(), ['/a', '/c', '/d']);
    const shell = { modelType: 'AssetAdministrationShell', id: 'urn:a', assetInformation: { assetKind: 'Instance', defaultThumbnail: { path: '/t.png' } } };
    assert.deepEqual([...shellAttachmentPaths(shell as unknown as AssetAdministrationShell)], ['/t.png']);
  });
});

describe('Content-Disposition of downloads (RFC 6266, RFC 8187)', () => {
  it('is a plain quoted filename for printable ASCII', () => {
    assert.equal(attachmentDisposition('report v2.pdf'), 'attachment; filename="report v2.pdf"');
  });

  it('adds filename* with the UTF-8 name, and an ASCII stand-in in filename', () => {
    assert.equal(attachmentDisposition('Prüfbericht.pdf'), `attachment; filename="Pr_fbericht.pdf"; filename*=UTF-8''Pr%C3%BCfbericht.pdf`);
    // one stand-in per character, astral ones included
    assert.equal(attachmentDisposition('😀.png'), `attachment; filename="_.png"; filename*=UTF-8''%F0%9F%98%80.png`);
  });

  it('never puts a quote or backslash inside the quoted string, and escapes what RFC 8187 attr-char excludes', () => {
    const header = attachmentDisposition(`a"b\\c (1)*'.txt`);
    assert.equal(header, `attachment; filename="a_b_c (1)*'.txt"; filename*=UTF-8''a%22b%5Cc%20%281%29%2A%27.txt`);
  });
});
