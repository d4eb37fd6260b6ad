/**
 * Writes an environment as an AASX package (Part 5), streamed: the AAS part (`/aasx/xml/content.xml`, or
 * `/aasx/json/content.json`), every file a File element or a shell thumbnail refers to that the caller provides,
 * and the OPC structure that ties them together:
 *   /_rels/.rels                        aasx-origin → /aasx/aasx-origin; thumbnail → the package thumbnail
 *   /aasx/_rels/aasx-origin.rels        aas-spec → the AAS part
 *   /aasx/xml/_rels/content.xml.rels    aas-suppl → each file a File element refers to
 *   /[Content_Types].xml                a content type for every part
 * Each file is stored under its reference as part name (`/aasx/files/<uuid>/manual.pdf`), so File.value stays
 * true inside the package. Relationship types are written in their current spelling (no `www.`).
 *
 * Files are asked for one at a time, each after the previous one is in the archive, so at most one caller stream
 * is open; the relationships and `[Content_Types].xml`, which depend on which files the caller had, come last in
 * the ZIP. OPC locates parts through the central directory, so their position does not matter (ECMA-376-2 §A).
 */
import { PassThrough, type Readable } from 'node:stream';
import { finished } from 'node:stream/promises';
import yazl from 'yazl';
import type { Environment } from '../../model/types.js';
import { environmentToXml, type AasXmlVersion } from '../xml/index.js';
import { environmentReferences, type EnvironmentReferences } from './environment-references.js';
import { contentTypesXml, packageContentType, RELATIONSHIP_TYPES, relationshipsXml } from './opc-xml.js';
import { CONTENT_TYPES_ITEM, PACKAGE_RELATIONSHIPS_PART, partNameForReference, partNameKey, relationshipsPartOf } from './part-names.js';

/** The content of the file an environment refers to by `reference`, or undefined when there is none. */
export type AasxFileSource = (reference: string) => Promise<{ content: Readable; contentType: string } | undefined>;

export interface AasxWriteOptions {
  /** The AAS part's serialization; default xml. */
  format?: 'xml' | 'json';
  /** Metamodel version of an XML part; default 3.1. */
  version?: AasXmlVersion;
  /** Reference of the package thumbnail; default the first shell's defaultThumbnail.path the source provides. */
  thumbnail?: string;
  /** Told about each reference left out (not a part name, or not provided). */
  onWarning?: (text: string) => void;
}

const ORIGIN_PART = '/aasx/aasx-origin';
const AAS_PARTS = {
  xml: { partName: '/aasx/xml/content.xml', contentType: 'text/xml' },
  json: { partName: '/aasx/json/content.json', contentType: 'application/json' },
} as const;

const GENERIC_CONTENT_TYPE = 'application/octet-stream';

const itemName = (partName: string) => partName.slice(1);

interface PlannedFile {
  reference: string;
  partName: string;
  /** Referenced by a File element (an aas-suppl relationship), not only as a thumbnail. */
  supplementary: boolean;
}

/** The files to ask for, each part once; references that cannot be a part are reported and left out. */
function planFiles(references: EnvironmentReferences, thumbnail: string | undefined, reserved: Set<string>, warn: (text: string) => void): PlannedFile[] {
  const planned = new Map<string, PlannedFile>();
  const plan = (reference: string, supplementary: boolean) => {
    const partName = partNameForReference(reference);
    const key = partName === undefined ? undefined : partNameKey(partName);
    if (partName === undefined || key === undefined || reserved.has(key)) {
      warn(`"${reference}" cannot be a part of the package (not an absolute part name, or one the package structure uses); left out`);
      return;
    }
    const earlier = planned.get(key);
    if (earlier) earlier.supplementary ||= supplementary;
    else planned.set(key, { reference, partName, supplementary });
  };
  for (const reference of references.files) plan(reference, true);
  for (const reference of references.thumbnails) plan(reference, false);
  if (thumbnail !== undefined) plan(thumbnail, false);
  return [...planned.values()];
}

/**
 * The package as a ZIP stream. Throws BadRequest at once when the environment cannot be serialized (see the XML
 * writer); an error of the file source or of one of its streams fails the returned stream.
 */
export function writeAasx(environment: Environment, files: AasxFileSource, options: AasxWriteOptions = {}): Readable {
  const format = options.format ?? 'xml';
  const aas = AAS_PARTS[format];
  const aasBytes = Buffer.from(format === 'xml' ? environmentToXml(environment, { version: options.version }) : `${JSON.stringify(environment, null, 2)}\n`, 'utf8');
  const warn = options.onWarning ?? (() => {});
  const reserved = new Set([ORIGIN_PART, aas.partName, `/${CONTENT_TYPES_ITEM}`].map(partNameKey));
  const references = environmentReferences(environment);
  const planned = planFiles(references, options.thumbnail, reserved, warn);
  // Candidates for the package thumbnail, in order of preference: the one asked for, else the shells' thumbnails.
  const thumbnailCandidates = (options.thumbnail !== undefined ? [options.thumbnail] : references.thumbnails)
    .map(partNameForReference)
    .filter((partName): partName is string => partName !== undefined)
    .map(partNameKey);

  const zip = new yazl.ZipFile();
  const output = new PassThrough();
  zip.on('error', (error: Error) => output.destroy(error));
  zip.outputStream.pipe(output);
  let current: Readable | undefined;
  // A consumer that goes away must not leave the caller's current stream (a file descriptor, a cursor) open.
  output.on('close', () => current?.destroy());

  const contentTypes = new Map<string, string>([
    [ORIGIN_PART, 'text/plain'],
    [aas.partName, aas.contentType],
  ]);
  // Part 5: the origin part's content is not used; AASX tools write this text.
  zip.addBuffer(Buffer.from('Intentionally empty.', 'utf8'), itemName(ORIGIN_PART));
  zip.addBuffer(aasBytes, itemName(aas.partName));

  const addFiles = async () => {
    const supplementary: string[] = [];
    const written = new Map<string, string>(); // key → part name
    for (const file of planned) {
      if (output.destroyed) return;
      const provided = await files(file.reference);
      if (provided === undefined) {
        warn(`no content for "${file.reference}"; left out of the package`);
        continue;
      }
      current = provided.content;
      if (output.destroyed) {
        current.destroy();
        return;
      }
      const contentType = packageContentType(provided.contentType);
      if (contentType === undefined) warn(`"${provided.contentType}" (of "${file.reference}") is not a media type; written as ${GENERIC_CONTENT_TYPE}`);
      contentTypes.set(file.partName, contentType ?? GENERIC_CONTENT_TYPE);
      zip.addReadStream(provided.content, itemName(file.partName));
      await finished(provided.content);
      current = undefined;
      if (file.supplementary) supplementary.push(file.partName);
      written.set(partNameKey(file.partName), file.partName);
    }
    const thumbnailKey = thumbnailCandidates.find((key) => written.has(key));
    const thumbnailPart = thumbnailKey === undefined ? undefined : written.get(thumbnailKey);
    if (options.thumbnail !== undefined && thumbnailPart === undefined) warn(`the thumbnail "${options.thumbnail}" is not in the package`);

    let id = 0;
    const relationship = (type: string, target: string) => ({ id: `R${(++id).toString(16).padStart(4, '0')}`, type, target });
    if (supplementary.length > 0) {
      const rels = supplementary.map((partName) => relationship(RELATIONSHIP_TYPES.supplementary, partName));
      zip.addBuffer(Buffer.from(relationshipsXml(rels), 'utf8'), itemName(relationshipsPartOf(aas.partName)));
    }
    zip.addBuffer(Buffer.from(relationshipsXml([relationship(RELATIONSHIP_TYPES.spec, aas.partName)]), 'utf8'), itemName(relationshipsPartOf(ORIGIN_PART)));
    const packageRels = [relationship(RELATIONSHIP_TYPES.origin, ORIGIN_PART)];
    if (thumbnailPart !== undefined) packageRels.push(relationship(RELATIONSHIP_TYPES.thumbnail, thumbnailPart));
    zip.addBuffer(Buffer.from(relationshipsXml(packageRels), 'utf8'), itemName(PACKAGE_RELATIONSHIPS_PART));
    zip.addBuffer(Buffer.from(contentTypesXml(contentTypes), 'utf8'), CONTENT_TYPES_ITEM);
    zip.end();
  };
  addFiles().catch((error: unknown) => output.destroy(error instanceof Error ? error : new Error(String(error))));
  return output;
}
