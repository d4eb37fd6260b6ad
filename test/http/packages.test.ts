/**
 * The AASX File Server (`/packages`) on a real server: a package with a thumbnail and a PDF is uploaded as
 * multipart/form-data, its content served by the repositories (the PDF through the File element's `/attachment`),
 * the package downloaded as uploaded and the content exported again as a package; conflicts, overwrite, shared
 * concept descriptions, replacing and deleting packages, and uploads that must store nothing.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { readAasx } from '../../src/interchange/aasx/index.js';
import type { Environment, Submodel } from '../../src/model/types.js';
import { aasxOf, MANUAL_PATH, minimalPackageEntries, PDF_BYTES, PNG_BYTES, renameEntry, sampleEnvironment, THUMBNAIL_PATH, zipOf } from '../unit/aasx-fixtures.js';
import { b64 } from './fixtures.js';
import { startTestServer, type TestServer } from './test-server.js';

const PACKAGE_TYPE = 'application/asset-administration-shell-package';

interface Upload {
  bytes: Buffer;
  fileName?: string;
  aasIds?: string[];
}

function form({ bytes, fileName = 'pump.aasx', aasIds = [] }: Upload): FormData {
  const body = new FormData();
  for (const id of aasIds) body.append('aasIds', id);
  body.append('fileName', fileName);
  body.append('file', new Blob([new Uint8Array(bytes)], { type: PACKAGE_TYPE }), fileName);
  return body;
}

/** An environment like the sample one under other ids (`tag` in each), so tests do not collide. */
function environmentTagged(tag: string): Environment {
  const env = sampleEnvironment();
  const [shell] = env.assetAdministrationShells!;
  const [submodel] = env.submodels!;
  shell.id = `${shell.id}/${tag}`;
  submodel.id = `${submodel.id}/${tag}`;
  shell.submodels![0].keys[0].value = submodel.id;
  return env;
}

/** The sample submodel's Property `Pages`. */
const pagesOf = (submodel: Submodel) => submodel.submodelElements![1] as { value?: string };

const warningsOf = (res: Response): string[] => JSON.parse(res.headers.get('x-aas-package-warnings') ?? '[]') as string[];

describe('AASX File Server: /packages', () => {
  let server: TestServer;
  let api: string;
  const upload = (method: 'POST' | 'PUT', path: string, content: Upload) => fetch(`${api}${path}`, { method, body: form(content) });
  const json = async (res: Response) => (await res.json()) as Record<string, unknown>;
  const messages = async (res: Response) => ((await json(res)).messages as { text: string }[]).map((m) => m.text).join('\n');

  before(async () => {
    // A package larger than one attachment may be: its own bytes are held to the package limit only.
    server = await startTestServer({ config: { packageLimit: 64 * 1024, attachmentLimit: 1024 } });
    api = server.baseUrl;
  });
  after(async () => {
    await server?.close();
  });

  it('uploads a package with a thumbnail and a PDF, serves both, gives the package back and exports it again', async () => {
    const env = sampleEnvironment();
    const [shell] = env.assetAdministrationShells!;
    const [submodel] = env.submodels!;
    const bytes = await aasxOf(env);

    const posted = await upload('POST', '/packages', { bytes, fileName: 'pump 7.aasx', aasIds: [shell.id] });
    assert.equal(posted.status, 201, await posted.clone().text());
    const description = await json(posted);
    assert.deepEqual(description.aasIds, [shell.id]);
    const packageId = description.packageId as string;
    assert.equal(posted.headers.get('location'), `/api/v3.0/packages/${b64(packageId)}`);

    const pdf = await fetch(`${api}/submodels/${b64(submodel.id)}/submodel-elements/Manual.DigitalFile/attachment`);
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    assert.deepEqual(Buffer.from(await pdf.arrayBuffer()), PDF_BYTES);
    const viaShell = await fetch(`${api}/shells/${b64(shell.id)}/submodels/${b64(submodel.id)}/submodel-elements/Manual.DigitalFile/attachment`);
    assert.deepEqual(Buffer.from(await viaShell.arrayBuffer()), PDF_BYTES);
    const png = await fetch(`${api}/shells/${b64(shell.id)}/asset-information/thumbnail`);
    assert.deepEqual(Buffer.from(await png.arrayBuffer()), PNG_BYTES);
    assert.deepEqual(await json(await fetch(`${api}/submodels/${b64(submodel.id)}`)), submodel);

    const downloaded = await fetch(`${api}/packages/${b64(packageId)}`);
    assert.equal(downloaded.status, 200);
    assert.equal(downloaded.headers.get('content-type'), PACKAGE_TYPE);
    assert.equal(downloaded.headers.get('x-filename'), 'pump 7.aasx');
    assert.deepEqual(Buffer.from(await downloaded.arrayBuffer()), bytes, 'the package comes back as it was uploaded');

    const exported = await fetch(`${api}/serialization?aasIds=${b64(shell.id)}&submodelIds=${b64(submodel.id)}`, {
      headers: { accept: 'application/asset-administration-shell-package+xml' },
    });
    assert.equal(exported.status, 200);
    const again = await readAasx(Buffer.from(await exported.arrayBuffer()));
    try {
      assert.deepEqual(again.environment.submodels, [submodel]);
      assert.deepEqual(again.environment.assetAdministrationShells, [shell]);
      assert.equal(again.thumbnail, THUMBNAIL_PATH);
      const manual = again.files.get(MANUAL_PATH);
      assert.ok(manual, 'the exported package holds the PDF');
      assert.deepEqual(Buffer.concat(await (await manual.open()).toArray()), PDF_BYTES);
      const thumbnail = again.files.get(THUMBNAIL_PATH)!;
      assert.deepEqual(Buffer.concat(await (await thumbnail.open()).toArray()), PNG_BYTES);
    } finally {
      again.close();
    }

    const listed = await json(await fetch(`${api}/packages`));
    assert.deepEqual(listed.result, [{ packageId, aasIds: [shell.id] }]);
    assert.deepEqual(listed.paging_metadata, {});
    assert.deepEqual((await json(await fetch(`${api}/packages?aasId=${b64(shell.id)}`))).result, [{ packageId, aasIds: [shell.id] }]);
    assert.deepEqual((await json(await fetch(`${api}/packages?aasId=${b64('urn:other')}`))).result, []);
  });

  it('refuses shells and submodels that exist (409, nothing stored) unless overwrite=true; shared concept descriptions are kept', async () => {
    const env = environmentTagged('conflict');
    const [shell] = env.assetAdministrationShells!;
    const [submodel] = env.submodels!;
    const cd = env.conceptDescriptions![0];
    assert.equal((await upload('POST', '/packages', { bytes: await aasxOf(env) })).status, 201);
    const before = (await json(await fetch(`${api}/packages?limit=1000`))).result as unknown[];

    const changed = environmentTagged('conflict');
    pagesOf(changed.submodels![0]).value = '99';
    changed.conceptDescriptions![0].idShort = 'Renamed';
    const refused = await upload('POST', '/packages', { bytes: await aasxOf(changed) });
    assert.equal(refused.status, 409);
    const text = await messages(refused);
    assert.match(text, /overwrite=true/);
    assert.ok(text.includes(`exists already: ${shell.id}`) && text.includes(`exists already: ${submodel.id}`), text);
    assert.deepEqual((await json(await fetch(`${api}/packages?limit=1000`))).result, before, 'no package was added');
    assert.deepEqual(await json(await fetch(`${api}/submodels/${b64(submodel.id)}`)), submodel);

    const overwritten = await fetch(`${api}/packages?overwrite=true`, { method: 'POST', body: form({ bytes: await aasxOf(changed) }) });
    assert.equal(overwritten.status, 201);
    assert.deepEqual(warningsOf(overwritten), [`concept description kept as stored (it exists already): ${cd.id}`]);
    assert.deepEqual(await json(await fetch(`${api}/submodels/${b64(submodel.id)}`)), changed.submodels![0]);
    assert.deepEqual(await json(await fetch(`${api}/concept-descriptions/${b64(cd.id)}`)), cd, 'the stored concept description is kept');
    // Both packages hold the shell.
    assert.equal(((await json(await fetch(`${api}/packages?aasId=${b64(shell.id)}`))).result as unknown[]).length, 2);
  });

  it('PUT replaces a package and what it brought without overwrite, creates one under a new id, DELETE leaves the content', async () => {
    const env = environmentTagged('versions');
    const [submodel] = env.submodels!;
    const packageId = 'urn:example:package:pump-7';
    const created = await upload('PUT', `/packages/${b64(packageId)}`, { bytes: await aasxOf(env), fileName: 'v1.aasx' });
    assert.equal(created.status, 201);
    assert.deepEqual(await json(created), { packageId, aasIds: [env.assetAdministrationShells![0].id] });

    const v2 = environmentTagged('versions');
    pagesOf(v2.submodels![0]).value = '13';
    const v2Bytes = await aasxOf(v2);
    const replaced = await upload('PUT', `/packages/${b64(packageId)}`, { bytes: v2Bytes, fileName: 'v2.aasx' });
    assert.equal(replaced.status, 204, await replaced.clone().text());
    assert.equal(pagesOf((await json(await fetch(`${api}/submodels/${b64(submodel.id)}`))) as unknown as Submodel).value, '13');
    const downloaded = await fetch(`${api}/packages/${b64(packageId)}`);
    assert.equal(downloaded.headers.get('x-filename'), 'v2.aasx');
    assert.deepEqual(Buffer.from(await downloaded.arrayBuffer()), v2Bytes);

    assert.equal((await fetch(`${api}/packages/${b64(packageId)}`, { method: 'DELETE' })).status, 204);
    assert.equal((await fetch(`${api}/packages/${b64(packageId)}`)).status, 404);
    assert.equal((await fetch(`${api}/packages/${b64(packageId)}`, { method: 'DELETE' })).status, 404);
    assert.equal((await fetch(`${api}/submodels/${b64(submodel.id)}`)).status, 200, 'the content stays in the repository');
    const pdf = await fetch(`${api}/submodels/${b64(submodel.id)}/submodel-elements/Manual.DigitalFile/attachment`);
    assert.deepEqual(Buffer.from(await pdf.arrayBuffer()), PDF_BYTES);
  });

  it('stores nothing from a package that fails validation, and lists every problem with its path', async () => {
    const env = environmentTagged('invalid');
    const [shell] = env.assetAdministrationShells!;
    pagesOf(env.submodels![0]).value = 'twelve';
    const res = await upload('POST', '/packages', { bytes: await aasxOf(env) });
    assert.equal(res.status, 400);
    assert.match(await messages(res), /submodelElements\[1\]/);
    assert.equal((await fetch(`${api}/shells/${b64(shell.id)}`)).status, 404);
    assert.deepEqual((await json(await fetch(`${api}/packages?aasId=${b64(shell.id)}`))).result, []);
  });

  it('answers malformed uploads with 400, 413 and 415 and stores nothing', async () => {
    const env = environmentTagged('malformed');
    const count = async () => ((await json(await fetch(`${api}/packages?limit=1000`))).result as unknown[]).length;
    const packages = await count();

    const unknownShell = await upload('POST', '/packages', { bytes: await aasxOf(env), aasIds: ['urn:not-in-the-package'] });
    assert.equal(unknownShell.status, 400);
    assert.match(await messages(unknownShell), /not in the package: urn:not-in-the-package/);
    // aasIds may also come base64url-encoded.
    const encoded = await upload('POST', '/packages', { bytes: await aasxOf(environmentTagged('encoded')), aasIds: [b64(`${sampleEnvironment().assetAdministrationShells![0].id}/encoded`)] });
    assert.equal(encoded.status, 201);

    const hostile = renameEntry(await zipOf([...minimalPackageEntries(), { name: 'xx/evil', data: 'x' }]), 'xx/evil', '../evil');
    const traversal = await upload('POST', '/packages', { bytes: hostile });
    assert.equal(traversal.status, 400);
    assert.match(await messages(traversal), /\.\.\/evil/);
    const notZip = await upload('POST', '/packages', { bytes: Buffer.from('this is not a package') });
    assert.equal(notZip.status, 400);

    const big = Buffer.alloc(65 * 1024, 1);
    const tooLarge = await upload('POST', '/packages', { bytes: big });
    assert.equal(tooLarge.status, 413);

    const notMultipart = await fetch(`${api}/packages`, { method: 'POST', headers: { 'content-type': PACKAGE_TYPE }, body: new Uint8Array(await aasxOf(env)) });
    assert.equal(notMultipart.status, 415);
    const badFlag = await fetch(`${api}/packages?overwrite=yes`, { method: 'POST', body: form({ bytes: await aasxOf(env) }) });
    assert.equal(badFlag.status, 400);
    // Fields beyond the limit are refused, never dropped.
    const manyIds = await upload('POST', '/packages', { bytes: await aasxOf(env), aasIds: Array.from({ length: 1000 }, (_, i) => `urn:x:${i}`) });
    assert.equal(manyIds.status, 400);
    assert.match(await messages(manyIds), /more than 1000 fields/);
    const longId = await upload('PUT', `/packages/${b64('x'.repeat(129))}`, { bytes: await aasxOf(env) });
    assert.equal(longId.status, 400, await longId.clone().text());

    assert.equal(await count(), packages + 1, 'only the good upload was stored');
    assert.equal((await fetch(`${api}/shells/${b64(env.assetAdministrationShells![0].id)}`)).status, 404);
  });

  it('claims the AASX File Server profile in /description', async () => {
    const { profiles } = (await json(await fetch(`${api}/description`))) as { profiles: string[] };
    assert.ok(profiles.includes('https://admin-shell.io/aas/API/3/1/AasxFileServerServiceSpecification/SSP-001'));
  });
});
