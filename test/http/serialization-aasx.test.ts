/**
 * GET /serialization as an AASX package (Part 2 GenerateSerializationByIds, Part 5): the environment of the JSON
 * serialization plus the stored bytes of File elements and thumbnails, read back with the project's AASX reader.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { readAasx, type AasxPackage } from '../../src/interchange/aasx/index.js';
import { b64, request, shell, submodelRef } from './fixtures.js';
import { upload, uploadForm } from './attachment-fixtures.js';
import { startTestServer, type TestServer } from './test-server.js';

const PACKAGE_TYPE = 'application/asset-administration-shell-package+xml';
const SHELL_ID = 'urn:example:aas:package';
const DOCS_ID = 'urn:example:sm:package-docs';
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from([0x00, 0xff, 0x80, 0x0a]), Buffer.from('%%EOF\n')]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52]);
const EXTERNAL = 'https://example.com/media/ce-mark.png';

function documentsSubmodel(id: string) {
  return {
    modelType: 'Submodel',
    id,
    idShort: 'Documents',
    submodelElements: [
      { modelType: 'File', idShort: 'External', contentType: 'image/png', value: EXTERNAL },
      {
        modelType: 'SubmodelElementCollection',
        idShort: 'Manuals',
        value: [{ modelType: 'File', idShort: 'Operating', contentType: 'application/pdf' }],
      },
    ],
  };
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

interface PackageAnswer {
  res: Response;
  pkg: AasxPackage;
}

/** GET the URL as a package; 200 with the package headers, and the package as read by readAasx. */
async function getPackage(url: string, accept = PACKAGE_TYPE): Promise<PackageAnswer> {
  const res = await fetch(url, { headers: { Accept: accept } });
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.equal(res.status, 200, bytes.toString('utf8').slice(0, 500));
  assert.equal(res.headers.get('content-type'), PACKAGE_TYPE);
  assert.equal(res.headers.get('content-disposition'), 'attachment; filename="environment.aasx"');
  return { res, pkg: await readAasx(bytes) };
}

async function fileBytes(pkg: AasxPackage, reference: string): Promise<{ bytes: Buffer; contentType: string }> {
  const file = pkg.files.get(reference);
  assert.ok(file, `the package holds "${reference}" (it holds ${[...pkg.files.keys()].join(', ')})`);
  return { bytes: await readAll(await file.open()), contentType: file.contentType };
}

describe('GET /serialization as an AASX package', () => {
  let srv: TestServer;
  let api: string;
  let pdfPath: string;
  let thumbnailPath: string;
  before(async () => {
    srv = await startTestServer();
    api = srv.baseUrl;
    assert.equal((await request('POST', `${api}/submodels`, documentsSubmodel(DOCS_ID))).status, 201);
    assert.equal((await request('POST', `${api}/shells`, shell(SHELL_ID, { submodels: [submodelRef(DOCS_ID)] }))).status, 201);
    const element = `${api}/submodels/${b64(DOCS_ID)}/submodel-elements/Manuals.Operating/attachment`;
    const pdf = await upload(element, uploadForm(PDF, { fileName: 'operating manual.pdf', type: 'application/pdf' }));
    assert.equal(pdf.status, 204, pdf.text);
    const thumb = await upload(`${api}/shells/${b64(SHELL_ID)}/asset-information/thumbnail`, uploadForm(PNG, { fileName: 'front.png', type: 'image/png' }));
    assert.equal(thumb.status, 204, thumb.text);
    const sm = (await request('GET', `${api}/submodels/${b64(DOCS_ID)}`)).body;
    pdfPath = sm.submodelElements[1].value[0].value;
    thumbnailPath = (await request('GET', `${api}/shells/${b64(SHELL_ID)}`)).body.assetInformation.defaultThumbnail.path;
  });
  after(() => srv.close());

  it('holds the environment of the JSON serialization, the uploaded PDF and thumbnail, and no external file', async () => {
    const url = `${api}/serialization?aasIds=${b64(SHELL_ID)}&submodelIds=${b64(DOCS_ID)}`;
    const json = (await request('GET', url, undefined, { Accept: 'application/json' })).body;
    const { res, pkg } = await getPackage(url);
    try {
      assert.equal(res.headers.get('x-aas-package-warnings'), null);
      assert.equal(pkg.format, 'xml');
      assert.equal(pkg.version, '3.1');
      assert.deepEqual(pkg.environment, json);
      assert.deepEqual(pkg.warnings, []);

      const pdf = await fileBytes(pkg, pdfPath);
      assert.ok(pdf.bytes.equals(PDF), 'the PDF bytes are the uploaded ones');
      assert.equal(pdf.contentType, 'application/pdf');
      const png = await fileBytes(pkg, thumbnailPath);
      assert.ok(png.bytes.equals(PNG), 'the thumbnail bytes are the uploaded ones');
      assert.equal(png.contentType, 'image/png');
      assert.equal(pkg.thumbnail, thumbnailPath, 'the first shell\'s thumbnail is the package thumbnail');

      assert.equal(pkg.files.has(EXTERNAL), false);
      assert.deepEqual([...pkg.files.keys()].sort(), [pdfPath, thumbnailPath].sort());
    } finally {
      pkg.close();
    }
  });

  it('answers the older application/aasx+xml the same way, and 406 for a type it has not', async () => {
    const url = `${api}/serialization?submodelIds=${b64(DOCS_ID)}`;
    const { pkg } = await getPackage(url, 'application/aasx+xml');
    try {
      assert.deepEqual(pkg.environment.submodels?.map((s) => s.id), [DOCS_ID]);
      assert.deepEqual([...pkg.files.keys()], [pdfPath], 'only the submodel was asked for: no thumbnail');
      assert.equal(pkg.thumbnail, undefined);
    } finally {
      pkg.close();
    }
    assert.equal((await request('GET', url, undefined, { Accept: 'application/zip' })).status, 406);
  });

  it('leaves out a path with no stored bytes and says so in X-AAS-Package-Warnings', async () => {
    const id = 'urn:example:sm:package-missing';
    const sm = {
      modelType: 'Submodel',
      id,
      submodelElements: [{ modelType: 'File', idShort: 'Gone', contentType: 'text/plain', value: '/aasx/files/never-uploaded.txt' }],
    };
    assert.equal((await request('POST', `${api}/submodels`, sm)).status, 201);
    const { res, pkg } = await getPackage(`${api}/serialization?submodelIds=${b64(id)}`);
    try {
      assert.equal(pkg.files.size, 0);
      const warnings = JSON.parse(res.headers.get('x-aas-package-warnings') ?? '[]') as string[];
      assert.equal(warnings.length, 1, JSON.stringify(warnings));
      assert.match(warnings[0], /no content is stored for "\/aasx\/files\/never-uploaded\.txt" \(of submodel "urn:example:sm:package-missing"\)/);
    } finally {
      pkg.close();
    }
  });

  it('for one path two submodels hold different bytes of, takes the first submodel in the request, and warns', async () => {
    // Upload paths are fresh per upload; a second owner of one path with other bytes comes from an import or
    // a copy. Here the second submodel's bytes are put into the store directly.
    const otherId = 'urn:example:sm:package-copy';
    const copy = { ...documentsSubmodel(otherId), submodelElements: [{ modelType: 'File', idShort: 'Operating', contentType: 'application/pdf', value: pdfPath }] };
    assert.equal((await request('POST', `${api}/submodels`, copy)).status, 201);
    const otherPdf = Buffer.from('%PDF-1.7 another manual');
    await srv.server.services.store.attachments.put(
      { owner: { kind: 'submodels', id: otherId }, name: pdfPath },
      Readable.from([otherPdf]),
      { contentType: 'application/pdf', fileName: 'operating manual.pdf' },
      1024,
    );

    for (const [first, second, expected] of [
      [DOCS_ID, otherId, PDF],
      [otherId, DOCS_ID, otherPdf],
    ] as const) {
      const { res, pkg } = await getPackage(`${api}/serialization?submodelIds=${b64(first)},${b64(second)}`);
      try {
        assert.deepEqual(pkg.environment.submodels?.map((s) => s.id), [first, second]);
        assert.ok((await fileBytes(pkg, pdfPath)).bytes.equals(expected), `the bytes of ${first}`);
        const warnings = JSON.parse(res.headers.get('x-aas-package-warnings') ?? '[]') as string[];
        assert.equal(warnings.length, 1, JSON.stringify(warnings));
        assert.ok(warnings[0].includes(`different content; the package holds the content of submodel "${first}"`), warnings[0]);
      } finally {
        pkg.close();
      }
    }

    // The same bytes under one path in two submodels are no conflict.
    await srv.server.services.store.attachments.put(
      { owner: { kind: 'submodels', id: otherId }, name: pdfPath },
      Readable.from([PDF]),
      { contentType: 'application/pdf', fileName: 'operating manual.pdf' },
      1024,
    );
    const same = await getPackage(`${api}/serialization?submodelIds=${b64(otherId)},${b64(DOCS_ID)}`);
    same.pkg.close();
    assert.equal(same.res.headers.get('x-aas-package-warnings'), null);
  });
});
