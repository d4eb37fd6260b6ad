/**
 * Importing content with its files: an AASX package with a thumbnail and a PDF, through the preload directory
 * into a real server (the bytes come back through `/attachment` and the thumbnail route), and the import
 * service's policies (existing ids refused or replaced, shared concept descriptions kept, strict validation
 * storing nothing).
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { Conflict, ValidationFailed } from '../../src/errors.js';
import { openContentFile } from '../../src/interchange/content-file.js';
import { EventBus } from '../../src/events/bus.js';
import { AttachmentSweep } from '../../src/services/attachment-sweep.js';
import { importContent } from '../../src/services/content-import.js';
import { Validator } from '../../src/validation/validator.js';
import { aasxOf, MANUAL_PATH, PDF_BYTES, PNG_BYTES, sampleEnvironment } from '../unit/aasx-fixtures.js';
import { b64 } from './fixtures.js';
import { startTestServer, type TestServer } from './test-server.js';

describe('importing content with its files', () => {
  let dir: string;
  let server: TestServer;
  const env = sampleEnvironment();
  const [shell] = env.assetAdministrationShells!;
  const [submodel] = env.submodels!;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aas-content-import-'));
    await mkdir(join(dir, 'preload'));
    await writeFile(join(dir, 'preload', 'pump.aasx'), await aasxOf(env));
    server = await startTestServer({ config: { preloadDir: join(dir, 'preload') } });
  });
  after(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  /** The import service on the running server's store, strict unless asked otherwise. */
  const importDeps = (level: 'strict' | 'lenient' = 'strict') => ({
    store: server.server.services.store,
    sweep: new AttachmentSweep(server.server.services.store, () => {}),
    validator: new Validator(level),
    events: new EventBus(),
    fileLimit: 1024 ** 2,
  });

  it('preloads an AASX package: documents as they are, the PDF and the thumbnail served from the store', async () => {
    const stored = await fetch(`${server.baseUrl}/submodels/${b64(submodel.id)}`);
    assert.deepEqual(await stored.json(), submodel);
    const pdf = await fetch(`${server.baseUrl}/submodels/${b64(submodel.id)}/submodel-elements/Manual.DigitalFile/attachment`);
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    assert.deepEqual(Buffer.from(await pdf.arrayBuffer()), PDF_BYTES);
    const png = await fetch(`${server.baseUrl}/shells/${b64(shell.id)}/asset-information/thumbnail`);
    assert.equal(png.status, 200);
    assert.deepEqual(Buffer.from(await png.arrayBuffer()), PNG_BYTES);
    const external = await fetch(`${server.baseUrl}/submodels/${b64(submodel.id)}/submodel-elements/Manual.Website/attachment`);
    assert.equal(external.status, 404);
  });

  it('refuses existing shells and submodels unless asked to replace them; keeps shared concept descriptions', async () => {
    const services = server.server.services;
    const deps = importDeps();
    const file = join(dir, 'again.aasx');
    const changed = sampleEnvironment();
    changed.submodels![0].idShort = 'Changed';
    changed.conceptDescriptions![0].idShort = 'ChangedToo';
    await writeFile(file, await aasxOf({ submodels: changed.submodels, conceptDescriptions: changed.conceptDescriptions }));

    const refused = await openContentFile(file);
    try {
      await assert.rejects(importContent(deps, refused, { existing: 'refuse', conceptDescriptions: 'keep' }), (e: unknown) => {
        assert.ok(e instanceof Conflict);
        assert.deepEqual(e.details.map((d) => d.text), [`exists already: ${submodel.id}`]);
        return true;
      });
    } finally {
      refused.close();
    }
    assert.equal((await services.store.submodels.get(submodel.id))?.idShort, 'Documentation');

    const replacing = await openContentFile(file);
    try {
      const report = await importContent(deps, replacing, { existing: 'replace', conceptDescriptions: 'keep' });
      assert.deepEqual(report.replaced.submodels, [submodel.id]);
      assert.deepEqual(report.keptConceptDescriptions, [env.conceptDescriptions![0].id]);
      assert.equal(report.files, 1);
    } finally {
      replacing.close();
    }
    assert.equal((await services.store.submodels.get(submodel.id))?.idShort, 'Changed');
    assert.equal((await services.store.conceptDescriptions.get(env.conceptDescriptions![0].id))?.idShort, 'Pages');
  });

  it('a failed write deletes the files the import added, never content that was stored under the same path', async () => {
    const store = server.server.services.store;
    const failing = new Proxy(store, {
      get: (target, property) => (property === 'write' ? async () => Promise.reject(new Error('disk full')) : Reflect.get(target, property, target)),
    });
    const deps = { ...importDeps(), store: failing, sweep: new AttachmentSweep(failing, () => {}) };
    const changed = sampleEnvironment();
    const added = '/aasx/files/added.txt';
    changed.submodels![0].submodelElements!.push({ modelType: 'File', idShort: 'Added', contentType: 'text/plain', value: added } as never);
    const bytes = (text: string) => ({ contentType: 'text/plain', open: async () => Readable.from([Buffer.from(text)]) });
    const files = new Map([[MANUAL_PATH, bytes('new manual')], [added, bytes('added')]]);
    const owner = { kind: 'submodels', id: submodel.id } as const;

    await assert.rejects(importContent(deps, { environment: { submodels: changed.submodels }, files }, { existing: 'replace', conceptDescriptions: 'keep' }), /disk full/);
    assert.deepEqual(await store.attachments.names(owner), [MANUAL_PATH], 'the added file is gone, the stored path still has content');
    const pdf = await fetch(`${server.baseUrl}/submodels/${b64(submodel.id)}/submodel-elements/Manual.DigitalFile/attachment`);
    assert.equal(pdf.status, 200);
  });

  it('rejects invalid content in strict mode with every violation and its path, storing nothing', async () => {
    const services = server.server.services;
    const deps = importDeps();
    const broken = {
      submodels: [
        { modelType: 'Submodel', id: 'urn:broken:1', submodelElements: [{ modelType: 'Property', idShort: 'x', valueType: 'xs:int', value: 'nine' }] },
        { modelType: 'Submodel', id: 'urn:broken:2', idShort: '1bad' },
      ],
    };
    await assert.rejects(importContent(deps, { environment: broken }, { existing: 'refuse', conceptDescriptions: 'keep' }), (e: unknown) => {
      assert.ok(e instanceof ValidationFailed);
      const paths = e.details.map((d) => d.path ?? d.text);
      assert.ok(paths.some((p) => p.startsWith('$.submodels[0].submodelElements[0]')), JSON.stringify(paths));
      assert.ok(paths.some((p) => p.startsWith('$.submodels[1].idShort')), JSON.stringify(paths));
      return true;
    });
    assert.equal(await services.store.submodels.has('urn:broken:1'), false);
  });

  it('imports content that breaks constraints in lenient mode, reporting each violation with its path', async () => {
    // As published templates often do: two elements of one idShort (AASd-022), a value its valueType rejects.
    const element = (value: string) => ({ modelType: 'Property', idShort: 'Dup', valueType: 'xs:int', value });
    const template = { submodels: [{ modelType: 'Submodel', id: 'urn:lenient:1', submodelElements: [element('1'), element('nine')] }] };
    await assert.rejects(importContent(importDeps('strict'), { environment: template }, { existing: 'refuse', conceptDescriptions: 'keep' }), ValidationFailed);
    const report = await importContent(importDeps('lenient'), { environment: template }, { existing: 'refuse', conceptDescriptions: 'keep' });
    assert.deepEqual(report.created.submodels, ['urn:lenient:1']);
    const paths = report.warnings.map((w) => w.path);
    assert.ok(paths.some((p) => p.startsWith('$.submodels[0].submodelElements[1]')), JSON.stringify(report.warnings));
    assert.ok(report.warnings.some((w) => /AASd-022/.test(w.message)), JSON.stringify(report.warnings));
    assert.equal(await server.server.services.store.submodels.has('urn:lenient:1'), true);
  });
});
