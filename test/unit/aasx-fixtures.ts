/**
 * What the AASX tests build and inspect packages with, independent of the module under test: sample environments
 * and file bytes, ZIP archives assembled entry by entry (yazl), byte-level patches of the central directory for
 * what yazl refuses to write (hostile names, lying sizes, encryption flags), and an OPC structure check of a
 * package (ECMA-376 Part 2: content types, relationships, the AASX chain of Part 5).
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { buffer as readAll } from 'node:stream/consumers';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { writeAasx } from '../../src/interchange/aasx/index.js';
import type { Environment } from '../../src/model/types.js';

export const THUMBNAIL_PATH = '/aasx/files/5b3a2f0e-1d1c-4c55-9d5e-0f6f1c0d7a11/thumbnail.png';
export const MANUAL_PATH = '/aasx/files/0e8d7a7c-4f3e-4e0b-a3d6-2c1b9e5f4a22/operating%20manual.pdf';

/** The PNG signature and an IHDR chunk, enough to be recognised as a PNG; the tests compare bytes only. */
export const PNG_BYTES = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000' + '1f15c489' + '0000000049454e44ae426082', 'hex');

/** A PDF header with every byte value after it, so any re-encoding of the bytes would show. */
export const PDF_BYTES = Buffer.concat([
  Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1'),
  Buffer.from(Array.from({ length: 256 }, (_, i) => i)),
  Buffer.from('\n%%EOF\n', 'latin1'),
]);

const SAMPLE_FILES: Record<string, { bytes: Buffer; contentType: string }> = {
  [MANUAL_PATH]: { bytes: PDF_BYTES, contentType: 'application/pdf' },
  [THUMBNAIL_PATH]: { bytes: PNG_BYTES, contentType: 'image/png' },
};

/** An AASX package of `environment` with the sample files it references (the PDF manual, the PNG thumbnail). */
export async function aasxOf(environment: Environment): Promise<Buffer> {
  return readAll(
    writeAasx(environment, async (reference) => {
      const file = SAMPLE_FILES[reference];
      return file && { content: Readable.from([file.bytes]), contentType: file.contentType };
    }),
  );
}

/** A shell with a thumbnail and a submodel with a File element; expressible in metamodel V3.0 and V3.1. */
export function sampleEnvironment(): Environment {
  return {
    assetAdministrationShells: [
      {
        modelType: 'AssetAdministrationShell',
        id: 'https://example.com/ids/aas/pump-7',
        idShort: 'Pump7',
        assetInformation: {
          assetKind: 'Instance',
          globalAssetId: 'https://example.com/ids/asset/pump-7',
          defaultThumbnail: { path: THUMBNAIL_PATH, contentType: 'image/png' },
        },
        submodels: [{ type: 'ModelReference', keys: [{ type: 'Submodel', value: 'https://example.com/ids/sm/pump-7/docs' }] }],
      },
    ],
    submodels: [
      {
        modelType: 'Submodel',
        id: 'https://example.com/ids/sm/pump-7/docs',
        idShort: 'Documentation',
        submodelElements: [
          {
            modelType: 'SubmodelElementCollection',
            idShort: 'Manual',
            value: [
              { modelType: 'File', idShort: 'DigitalFile', contentType: 'application/pdf', value: MANUAL_PATH },
              { modelType: 'File', idShort: 'Website', contentType: 'text/html', value: 'https://example.com/pump-7' },
            ],
          },
          { modelType: 'Property', idShort: 'Pages', valueType: 'xs:int', value: '12' },
        ],
      },
    ],
    conceptDescriptions: [{ modelType: 'ConceptDescription', id: 'https://example.com/ids/cd/pages', idShort: 'Pages' }],
  } as Environment;
}

export interface ZipEntrySpec {
  /** A name ending in `/` is a directory entry. */
  name: string;
  data: Buffer | string;
  /** Default true (deflate). */
  compress?: boolean;
}

/** A ZIP of exactly these entries, in this order (yazl). */
export async function zipOf(entries: readonly ZipEntrySpec[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const entry of entries) {
    if (entry.name.endsWith('/')) zip.addEmptyDirectory(entry.name);
    else zip.addBuffer(Buffer.isBuffer(entry.data) ? entry.data : Buffer.from(entry.data, 'utf8'), entry.name, { compress: entry.compress ?? true });
  }
  zip.end();
  return readAll(zip.outputStream);
}

const rels = (...relationships: [type: string, target: string][]) =>
  `<?xml version="1.0" encoding="utf-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${relationships
    .map(([type, target], i) => `<Relationship Type="${type}" Target="${target}" Id="R${i}"/>`)
    .join('')}</Relationships>`;
export { rels as relationshipsXmlText };

export const MINIMAL_XML = `<?xml version="1.0" encoding="utf-8"?>
<environment xmlns="https://admin-shell.io/aas/3/1"><submodels><submodel><idShort>S</idShort><id>urn:s</id></submodel></submodels></environment>`;

const CONTENT_TYPES = `<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="text/xml"/><Default Extension="bin" ContentType="application/octet-stream"/><Default Extension="pdf" ContentType="application/pdf"/><Override PartName="/aasx/aasx-origin" ContentType="text/plain"/></Types>`;

/** The entries of a small valid package (current relationship types), to which a test adds or replaces entries. */
export function minimalPackageEntries(aasPart = MINIMAL_XML): ZipEntrySpec[] {
  return [
    { name: '[Content_Types].xml', data: CONTENT_TYPES },
    { name: '_rels/.rels', data: rels(['http://admin-shell.io/aasx/relationships/aasx-origin', '/aasx/aasx-origin']) },
    { name: 'aasx/aasx-origin', data: 'Intentionally empty.' },
    { name: 'aasx/_rels/aasx-origin.rels', data: rels(['http://admin-shell.io/aasx/relationships/aas-spec', '/aasx/xml/content.xml']) },
    { name: 'aasx/xml/content.xml', data: aasPart },
  ];
}

// --- byte-level patches (PKWARE APPNOTE 4.3.12 central directory header, 4.3.7 local file header) ---

interface CentralRecord {
  offset: number;
  name: string;
  nameLength: number;
  localOffset: number;
}

function centralRecords(zip: Buffer): CentralRecord[] {
  const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  assert.ok(eocd >= 0, 'no end of central directory record');
  const count = zip.readUInt16LE(eocd + 10);
  let offset = zip.readUInt32LE(eocd + 16);
  const records: CentralRecord[] = [];
  for (let i = 0; i < count; i++) {
    assert.equal(zip.readUInt32LE(offset), 0x02014b50);
    const nameLength = zip.readUInt16LE(offset + 28);
    const name = zip.toString('utf8', offset + 46, offset + 46 + nameLength);
    records.push({ offset, name, nameLength, localOffset: zip.readUInt32LE(offset + 42) });
    offset += 46 + nameLength + zip.readUInt16LE(offset + 30) + zip.readUInt16LE(offset + 32);
  }
  return records;
}

function record(zip: Buffer, name: string): CentralRecord {
  const found = centralRecords(zip).find((r) => r.name === name);
  assert.ok(found, `no entry ${name}`);
  return found;
}

/** Renames an entry in place (both headers); the new name must have the same byte length. */
export function renameEntry(zip: Buffer, from: string, to: string): Buffer {
  const patched = Buffer.from(zip);
  const target = Buffer.from(to, 'utf8');
  const { offset, nameLength, localOffset } = record(patched, from);
  assert.equal(target.length, nameLength, 'a renamed entry keeps its name length');
  target.copy(patched, offset + 46);
  target.copy(patched, localOffset + 30);
  return patched;
}

/** Makes an entry's headers declare `size` uncompressed bytes, whatever it really inflates to. */
export function declareSize(zip: Buffer, name: string, size: number): Buffer {
  const patched = Buffer.from(zip);
  const { offset, localOffset } = record(patched, name);
  patched.writeUInt32LE(size, offset + 24);
  patched.writeUInt32LE(size, localOffset + 22);
  return patched;
}

/** Sets the "encrypted" flag (general purpose bit 0) of an entry. */
export function markEncrypted(zip: Buffer, name: string): Buffer {
  const patched = Buffer.from(zip);
  const { offset, localOffset } = record(patched, name);
  patched.writeUInt16LE(patched.readUInt16LE(offset + 8) | 1, offset + 8);
  patched.writeUInt16LE(patched.readUInt16LE(localOffset + 6) | 1, localOffset + 6);
  return patched;
}

// --- OPC structure check ---

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', isArray: (_n, _p, _l, isAttribute) => !isAttribute });

type XmlNode = Record<string, unknown>;

function elements(text: string, root: string, child: string, namespace: string): Record<string, string>[] {
  assert.equal(XMLValidator.validate(text), true, `not well-formed: ${text.slice(0, 200)}`);
  const [rootNode] = (xml.parse(text) as XmlNode)[root] as XmlNode[];
  assert.equal(rootNode.xmlns, namespace);
  return ((rootNode[child] as XmlNode[] | undefined) ?? []).map((node) => node as Record<string, string>);
}

export interface PackageStructure {
  /** Part name → content type, for every part (every entry but [Content_Types].xml). */
  contentTypes: Map<string, string>;
  entries: Map<string, Buffer>;
  aasPart: string;
  supplementary: string[];
  thumbnail?: string;
}

/**
 * Reads every entry of a package and asserts the OPC rules an AASX consumer (AASX Package Explorer,
 * System.IO.Packaging) relies on; returns what it found.
 */
export async function checkPackageStructure(zipBytes: Buffer): Promise<PackageStructure> {
  const zip = await yauzl.fromBufferPromise(zipBytes, { lazyEntries: true });
  const entries = new Map<string, Buffer>();
  const seen = new Set<string>();
  for await (const entry of zip.eachEntry()) {
    assert.ok(!entry.fileName.endsWith('/'), `directory entry ${entry.fileName}`);
    assert.ok(!seen.has(entry.fileName.toLowerCase()), `part ${entry.fileName} twice`);
    seen.add(entry.fileName.toLowerCase());
    entries.set(`/${entry.fileName}`, await readAll(await zip.openReadStreamPromise(entry)));
  }
  const typesText = entries.get('/[Content_Types].xml')?.toString('utf8');
  assert.ok(typesText, 'no [Content_Types].xml');
  const ns = 'http://schemas.openxmlformats.org/package/2006/content-types';
  const defaults = new Map(elements(typesText, 'Types', 'Default', ns).map((d) => [d.Extension.toLowerCase(), d.ContentType]));
  const overrides = new Map(elements(typesText, 'Types', 'Override', ns).map((o) => [o.PartName.toLowerCase(), o.ContentType]));
  const contentTypes = new Map<string, string>();
  for (const partName of entries.keys()) {
    if (partName === '/[Content_Types].xml') continue;
    const extension = partName.includes('.') ? partName.slice(partName.lastIndexOf('.') + 1).toLowerCase() : '';
    const type = overrides.get(partName.toLowerCase()) ?? defaults.get(extension);
    assert.ok(type, `part ${partName} has no content type`);
    contentTypes.set(partName, type);
  }
  const relsNs = 'http://schemas.openxmlformats.org/package/2006/relationships';
  const relationshipsOf = (source: string) => {
    const relsName = source === '/' ? '/_rels/.rels' : `${source.slice(0, source.lastIndexOf('/'))}/_rels/${source.slice(source.lastIndexOf('/') + 1)}.rels`;
    const text = entries.get(relsName)?.toString('utf8');
    if (text === undefined) return [];
    assert.equal(contentTypes.get(relsName), 'application/vnd.openxmlformats-package.relationships+xml');
    const list = elements(text, 'Relationships', 'Relationship', relsNs);
    assert.equal(new Set(list.map((r) => r.Id)).size, list.length, `duplicate Ids in ${relsName}`);
    for (const r of list) {
      assert.match(r.Id, /^[A-Za-z_][\w.-]*$/, 'Id is an xsd:ID');
      assert.ok(entries.has(r.Target), `${relsName}: target ${r.Target} is not a part`);
    }
    return list;
  };
  for (const name of entries.keys()) if (name.endsWith('.rels')) relationshipsOf(name === '/_rels/.rels' ? '/' : name.replace('/_rels/', '/').slice(0, -'.rels'.length));
  const packageRels = relationshipsOf('/');
  const origins = packageRels.filter((r) => r.Type === 'http://admin-shell.io/aasx/relationships/aasx-origin');
  assert.equal(origins.length, 1, 'one aasx-origin relationship');
  const specs = relationshipsOf(origins[0].Target).filter((r) => r.Type === 'http://admin-shell.io/aasx/relationships/aas-spec');
  assert.equal(specs.length, 1, 'one aas-spec relationship');
  const aasPart = specs[0].Target;
  const supplementary = relationshipsOf(aasPart)
    .filter((r) => r.Type === 'http://admin-shell.io/aasx/relationships/aas-suppl')
    .map((r) => r.Target);
  const thumbnail = packageRels.find((r) => r.Type === 'http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail')?.Target;
  return { contentTypes, entries, aasPart, supplementary, ...(thumbnail === undefined ? {} : { thumbnail }) };
}
