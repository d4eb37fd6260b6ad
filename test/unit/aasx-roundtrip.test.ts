/**
 * AASX both ways: a package written by writeAasx (XML 3.0 and 3.1, JSON; a thumbnail PNG and a PDF attachment)
 * follows the OPC rules and reads back as the same environment, the same bytes and the same content types; a
 * package built by hand the way AASX Package Explorer writes one (`www.` relationship types, the AAS part under
 * /aasx/<name>/<name>.aas.xml, core properties, relative targets) reads correctly.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { buffer as readAll } from 'node:stream/consumers';
import { describe, it } from 'node:test';
import { BadRequest } from '../../src/errors.js';
import { readAasx, writeAasx, type AasxFileSource, type AasxPackage } from '../../src/interchange/aasx/index.js';
import type { Environment } from '../../src/model/types.js';
import {
  checkPackageStructure,
  MANUAL_PATH,
  PDF_BYTES,
  PNG_BYTES,
  relationshipsXmlText,
  sampleEnvironment,
  THUMBNAIL_PATH,
  zipOf,
} from './aasx-fixtures.js';

const STORED: Record<string, { bytes: Buffer; contentType: string }> = {
  [THUMBNAIL_PATH]: { bytes: PNG_BYTES, contentType: 'image/png' },
  [MANUAL_PATH]: { bytes: PDF_BYTES, contentType: 'application/pdf' },
};

/** The attachment store as writeAasx sees it; records what it was asked for. */
function storedFiles(asked: string[] = []): AasxFileSource {
  return async (reference) => {
    asked.push(reference);
    const file = STORED[reference];
    // Two chunks, so the writer has to stream rather than get one buffer.
    return file && { content: Readable.from([file.bytes.subarray(0, 10), file.bytes.subarray(10)]), contentType: file.contentType };
  };
}

async function bytesOf(pkg: AasxPackage, reference: string): Promise<Buffer> {
  const file = pkg.files.get(reference);
  assert.ok(file, `no file for ${reference}`);
  return readAll(await file.open());
}

const cases = [
  { format: 'xml', version: '3.1', aasPart: '/aasx/xml/content.xml', type: 'text/xml' },
  { format: 'xml', version: '3.0', aasPart: '/aasx/xml/content.xml', type: 'text/xml' },
  { format: 'json', version: undefined, aasPart: '/aasx/json/content.json', type: 'application/json' },
] as const;

describe('writeAasx → readAasx', () => {
  for (const c of cases) {
    it(`round-trips the environment and its files (${c.format}${c.version ? ` ${c.version}` : ''})`, async () => {
      const environment = sampleEnvironment();
      const asked: string[] = [];
      const warnings: string[] = [];
      const zip = await readAll(writeAasx(environment, storedFiles(asked), { format: c.format, version: c.version, onWarning: (w) => warnings.push(w) }));
      // The external File.value (https:) is never asked for; each package file once.
      assert.deepEqual(asked.sort(), [MANUAL_PATH, THUMBNAIL_PATH].sort());
      assert.deepEqual(warnings, []);

      const pkg = await readAasx(zip);
      try {
        assert.deepEqual(pkg.environment, environment);
        assert.equal(pkg.format, c.format);
        assert.equal(pkg.version, c.version);
        assert.equal(pkg.aasPart, c.aasPart);
        assert.deepEqual(pkg.warnings, []);
        assert.deepEqual([...pkg.files.keys()].sort(), [MANUAL_PATH, THUMBNAIL_PATH].sort());
        assert.equal(pkg.thumbnail, THUMBNAIL_PATH);
        for (const [reference, stored] of Object.entries(STORED)) {
          assert.deepEqual(await bytesOf(pkg, reference), stored.bytes);
          assert.equal(pkg.files.get(reference)?.contentType, stored.contentType);
          assert.equal(pkg.files.get(reference)?.size, stored.bytes.length);
        }
        // open() may be called again, e.g. after a failed attempt to store.
        assert.deepEqual(await bytesOf(pkg, MANUAL_PATH), PDF_BYTES);
      } finally {
        pkg.close();
      }
    });

    it(`writes a package that follows the OPC rules (${c.format}${c.version ? ` ${c.version}` : ''})`, async () => {
      const zip = await readAll(writeAasx(sampleEnvironment(), storedFiles(), { format: c.format, version: c.version }));
      const structure = await checkPackageStructure(zip);
      assert.equal(structure.aasPart, c.aasPart);
      assert.deepEqual(structure.supplementary, [MANUAL_PATH], 'the File element is an aas-suppl target, the thumbnail is not');
      assert.equal(structure.thumbnail, THUMBNAIL_PATH);
      assert.equal(structure.contentTypes.get(c.aasPart), c.type);
      assert.equal(structure.contentTypes.get(MANUAL_PATH), 'application/pdf');
      assert.equal(structure.contentTypes.get(THUMBNAIL_PATH), 'image/png');
      assert.equal(structure.contentTypes.get('/aasx/aasx-origin'), 'text/plain');
      // The File element's value is the part name itself, so it stays true inside the package.
      assert.deepEqual(structure.entries.get(MANUAL_PATH), PDF_BYTES);
    });
  }

  it('reads from a file path and releases the file on close()', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'aasx-rt-'));
    try {
      const path = join(dir, 'pump.aasx');
      await writeFile(path, await readAll(writeAasx(sampleEnvironment(), storedFiles())));
      const pkg = await readAasx(path);
      assert.deepEqual(pkg.environment, sampleEnvironment());
      assert.deepEqual(await bytesOf(pkg, THUMBNAIL_PATH), PNG_BYTES);
      pkg.close();
      await assert.rejects(async () => (await pkg.files.get(MANUAL_PATH)?.open())?.resume(), /closed/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('leaves out what the store does not have, and says so on both sides', async () => {
    const environment = sampleEnvironment();
    const warnings: string[] = [];
    const onlyThumbnail: AasxFileSource = async (reference) =>
      reference === THUMBNAIL_PATH ? { content: Readable.from([PNG_BYTES]), contentType: 'image/png' } : undefined;
    const zip = await readAll(writeAasx(environment, onlyThumbnail, { onWarning: (w) => warnings.push(w) }));
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /operating%20manual\.pdf/);
    const structure = await checkPackageStructure(zip);
    assert.deepEqual(structure.supplementary, []);
    const pkg = await readAasx(zip);
    pkg.close();
    assert.deepEqual(pkg.environment, environment, 'the File element keeps its value');
    assert.deepEqual([...pkg.files.keys()], [THUMBNAIL_PATH]);
    assert.ok(pkg.warnings.some((w) => w.includes(MANUAL_PATH)), pkg.warnings.join('; '));
  });

  it('fails the stream when a file the store provides fails', async () => {
    const failing: AasxFileSource = async () => {
      const content = new PassThrough();
      setImmediate(() => content.destroy(new Error('disk gone')));
      return { content, contentType: 'image/png' };
    };
    await assert.rejects(readAll(writeAasx(sampleEnvironment(), failing)), /disk gone/);
  });

  it('takes the package thumbnail asked for, even one no shell refers to', async () => {
    const environment = sampleEnvironment();
    delete environment.assetAdministrationShells?.[0].assetInformation.defaultThumbnail;
    const logo = '/aasx/logo.png';
    const source: AasxFileSource = async (reference) =>
      reference === logo ? { content: Readable.from([PNG_BYTES]), contentType: 'image/png' } : storedFiles()(reference);
    const zip = await readAll(writeAasx(environment, source, { thumbnail: logo }));
    assert.equal((await checkPackageStructure(zip)).thumbnail, logo);
    const pkg = await readAasx(zip);
    try {
      assert.equal(pkg.thumbnail, logo);
      assert.deepEqual(await bytesOf(pkg, logo), PNG_BYTES);
      assert.deepEqual(pkg.environment, environment);
    } finally {
      pkg.close();
    }
  });

  it('writes content types as OPC accepts them', async () => {
    const warnings: string[] = [];
    const loose: AasxFileSource = async (reference) => ({
      content: Readable.from([Buffer.from('x')]),
      contentType: reference === MANUAL_PATH ? 'application/pdf ; version = "1.7"' : 'a picture',
    });
    const zip = await readAll(writeAasx(sampleEnvironment(), loose, { onWarning: (w) => warnings.push(w) }));
    const structure = await checkPackageStructure(zip);
    assert.equal(structure.contentTypes.get(MANUAL_PATH), 'application/pdf;version="1.7"');
    assert.equal(structure.contentTypes.get(THUMBNAIL_PATH), 'application/octet-stream');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /"a picture".*not a media type/);
  });

  it('releases the store\'s stream when the consumer goes away', async () => {
    let released = false;
    const endless: AasxFileSource = async () => {
      const content = new Readable({ read() { this.push(Buffer.alloc(64 * 1024, 1)); } });
      content.on('close', () => (released = true));
      return { content, contentType: 'image/png' };
    };
    const output = writeAasx(sampleEnvironment(), endless);
    for await (const _chunk of output) break; // for await's break destroys the output
    for (let i = 0; i < 50 && !released; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(released, true);
  });

  it('refuses at once an environment the chosen XML version cannot carry', () => {
    const environment = sampleEnvironment();
    (environment.submodels as { idShort: string }[])[0].idShort = 'Docu-mentation';
    assert.throws(() => writeAasx(environment, storedFiles(), { version: '3.0' }), BadRequest);
  });
});

describe('a package as AASX Package Explorer writes it', () => {
  const NS30 = 'https://admin-shell.io/aas/3/0';
  const aasXml = `<?xml version="1.0" encoding="utf-8"?>
<aas:environment xmlns:aas="${NS30}">
  <aas:assetAdministrationShells>
    <aas:assetAdministrationShell>
      <aas:idShort>Robot</aas:idShort>
      <aas:id>urn:example:aas:robot</aas:id>
      <aas:assetInformation><aas:assetKind>Type</aas:assetKind><aas:globalAssetId>urn:example:asset:robot</aas:globalAssetId></aas:assetInformation>
    </aas:assetAdministrationShell>
  </aas:assetAdministrationShells>
  <aas:submodels>
    <aas:submodel>
      <aas:idShort>Documentation</aas:idShort>
      <aas:id>urn:example:sm:docs</aas:id>
      <aas:submodelElements>
        <aas:file><aas:idShort>Manual</aas:idShort><aas:contentType>application/pdf</aas:contentType><aas:value>/aasx/files/Manual.pdf</aas:value></aas:file>
        <aas:file><aas:idShort>Drawing</aas:idShort><aas:contentType>application/pdf</aas:contentType><aas:value>/aasx/files/drawing.PDF</aas:value></aas:file>
      </aas:submodelElements>
    </aas:submodel>
  </aas:submodels>
</aas:environment>`;
  const www = (name: string) => `http://www.admin-shell.io/aasx/relationships/${name}`;
  const openXml = (name: string) => `http://schemas.openxmlformats.org/package/2006/relationships/metadata/${name}`;
  const contentTypes = `<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml" /><Default Extension="xml" ContentType="text/xml" /><Default Extension="png" ContentType="image/png" /><Default Extension="pdf" ContentType="application/pdf" /><Default Extension="psmdcp" ContentType="application/vnd.openxmlformats-package.core-properties+xml" /><Override PartName="/aasx/aasx-origin" ContentType="text/plain" /></Types>`;
  const drawing = Buffer.from('%PDF-1.7 drawing');

  const entries = () => [
    { name: '[Content_Types].xml', data: contentTypes },
    { name: '_rels/.rels', data: relationshipsXmlText([www('aasx-origin'), '/aasx/aasx-origin'], [openXml('thumbnail'), '/Robot.png'], [openXml('core-properties'), '/package/services/metadata/core-properties/4f2e.psmdcp']) },
    { name: 'aasx/', data: '' },
    { name: 'aasx/aasx-origin', data: 'Intentionally empty.' },
    { name: 'aasx/_rels/aasx-origin.rels', data: relationshipsXmlText([www('aas-spec'), '/aasx/Robot/Robot.aas.xml']) },
    { name: 'aasx/Robot/Robot.aas.xml', data: aasXml },
    // Relative targets resolve against the AAS part (ECMA-376-2 §9.3.2.2); part names ignore case.
    { name: 'aasx/Robot/_rels/Robot.aas.xml.rels', data: relationshipsXmlText([www('aas-suppl'), '../files/Manual.pdf'], [www('aas-suppl'), '../files/Drawing.pdf']) },
    { name: 'aasx/files/Manual.pdf', data: PDF_BYTES, compress: false },
    { name: 'aasx/files/Drawing.pdf', data: drawing },
    { name: 'Robot.png', data: PNG_BYTES, compress: false },
    { name: 'package/services/metadata/core-properties/4f2e.psmdcp', data: '<coreProperties/>' },
  ];

  it('reads the environment (V3.0 XML), its attachments and the package thumbnail', async () => {
    const pkg = await readAasx(await zipOf(entries()));
    try {
      assert.equal(pkg.format, 'xml');
      assert.equal(pkg.version, '3.0');
      assert.equal(pkg.aasPart, '/aasx/Robot/Robot.aas.xml');
      assert.equal(pkg.environment.assetAdministrationShells?.[0].idShort, 'Robot');
      const values = (pkg.environment.submodels?.[0].submodelElements ?? []).map((e) => (e as { value?: string }).value);
      assert.deepEqual(values, ['/aasx/files/Manual.pdf', '/aasx/files/drawing.PDF']);
      assert.deepEqual(pkg.warnings, []);
      assert.deepEqual([...pkg.files.keys()].sort(), ['/Robot.png', '/aasx/files/Manual.pdf', '/aasx/files/drawing.PDF']);
      assert.deepEqual(await bytesOf(pkg, '/aasx/files/Manual.pdf'), PDF_BYTES);
      // Found under the spelling the File element uses; the part keeps its own name and content type.
      assert.deepEqual(await bytesOf(pkg, '/aasx/files/drawing.PDF'), drawing);
      assert.equal(pkg.files.get('/aasx/files/drawing.PDF')?.partName, '/aasx/files/Drawing.pdf');
      assert.equal(pkg.files.get('/aasx/files/drawing.PDF')?.contentType, 'application/pdf');
      assert.equal(pkg.thumbnail, '/Robot.png');
      assert.equal(pkg.files.get('/Robot.png')?.contentType, 'image/png');
      assert.deepEqual(await bytesOf(pkg, '/Robot.png'), PNG_BYTES);
    } finally {
      pkg.close();
    }
  });

  it('reads a JSON AAS part the same way, and warns about what it leaves out', async () => {
    const environment: Environment = { submodels: [{ modelType: 'Submodel', id: 'urn:sm', submodelElements: [{ modelType: 'File', idShort: 'Gone', value: '/aasx/files/gone.pdf' }] }] } as Environment;
    const list = entries().map((e) =>
      e.name === 'aasx/_rels/aasx-origin.rels'
        ? { ...e, data: relationshipsXmlText([www('aas-spec'), 'json/env.json']) }
        : e.name === 'aasx/Robot/Robot.aas.xml'
          ? { name: 'aasx/json/env.json', data: `\ufeff${JSON.stringify(environment)}` }
          : e,
    );
    const pkg = await readAasx(await zipOf(list));
    pkg.close();
    assert.equal(pkg.format, 'json');
    assert.equal(pkg.version, undefined);
    assert.deepEqual(pkg.environment, environment);
    assert.deepEqual([...pkg.files.keys()], ['/Robot.png']);
    assert.ok(pkg.warnings.some((w) => w.includes('/aasx/files/gone.pdf')), pkg.warnings.join('; '));
  });
});
