/**
 * Reads an AASX package (Part 5): follows the relationship chain package → `aasx-origin` → `aas-spec` to the AAS
 * part (XML of namespace 3.0 or 3.1, or JSON), parses it, and hands back every package part the environment
 * refers to (File.value, defaultThumbnail.path) and the package thumbnail, opened on demand.
 *
 * Why on demand rather than spooled to a temp dir: the caller has the archive on disk or in memory already, yauzl
 * seeks to each entry, and an entry inflated straight into the attachment store is one copy less and leaves
 * nothing behind to clean up; the only thing to release is the archive itself (`close()`).
 *
 * Lenient where packages in the field differ and nothing is lost: relationship types with `www.admin-shell.io`,
 * the AAS part anywhere (`/aasx/xml/content.xml`, `/aasx/<name>/<name>.aas.xml`), relative Targets, a missing
 * content type (application/octet-stream, with a warning). What cannot be read is a 400 naming the part.
 */
import type { Readable } from 'node:stream';
import { BadRequest } from '../../errors.js';
import type { Environment } from '../../model/types.js';
import { readXmlDocument, type AasXmlVersion } from '../xml/index.js';
import { checkAasPartSize, DEFAULT_AASX_LIMITS, type AasxLimits } from './aasx-limits.js';
import { environmentReferences } from './environment-references.js';
import { extensionOf, parseContentTypes, parseRelationships, RELATIONSHIP_TYPES, type ContentTypes, type Relationship } from './opc-xml.js';
import { CONTENT_TYPES_ITEM, PACKAGE_RELATIONSHIPS_PART, partNameKey, referenceKey, relationshipsPartOf, resolveRelationshipTarget } from './part-names.js';
import { ZipArchive, type ZipPart } from './zip-archive.js';

export interface AasxFile {
  /** The part's name in the package. */
  partName: string;
  /** From `[Content_Types].xml`. */
  contentType: string;
  /** Uncompressed bytes (declared, and held to on reading). */
  size: number;
  /** The bytes; may be called more than once, until `close()`. The stream fails with 400/413 on a lying entry. */
  open(): Promise<Readable>;
}

export interface AasxPackage {
  environment: Environment;
  format: 'xml' | 'json';
  /** Metamodel version of an XML part (from its namespace); JSON does not say. */
  version?: AasXmlVersion;
  /** Part name of the AAS part that was read. */
  aasPart: string;
  /** The package's files by the reference the environment uses for them (File.value, defaultThumbnail.path). */
  files: Map<string, AasxFile>;
  /** Key in `files` of the package thumbnail (the OPC thumbnail relationship), if there is one. */
  thumbnail?: string;
  /** What was read leniently or left out, for the caller to pass on. */
  warnings: string[];
  /** Releases the archive; `open()` fails afterwards. Call it when done, also after a failed import. */
  close(): void;
}

const FALLBACK_CONTENT_TYPE = 'application/octet-stream';

function notAccepted(text: string, path?: string): BadRequest {
  return new BadRequest(`The AASX package is not accepted: ${text}`, [{ text, ...(path === undefined ? {} : { path }) }]);
}

/** Text of an XML or JSON part: UTF-8 (BOM or not) or UTF-16 with a BOM, as XML 1.0 §4.3.3 allows. */
function decodeText(bytes: Buffer, partName: string): string {
  const encoding = bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : 'utf-8';
  try {
    return new TextDecoder(encoding, { fatal: true }).decode(bytes);
  } catch {
    throw notAccepted(`${partName} is not valid ${encoding.toUpperCase()} text`, partName);
  }
}

const ENVIRONMENT_LIST = { AssetAdministrationShell: 'assetAdministrationShells', Submodel: 'submodels', ConceptDescription: 'conceptDescriptions' } as const;

function parseAasPart(text: string, format: 'xml' | 'json', partName: string): { environment: Environment; version?: AasXmlVersion } {
  if (format === 'json') {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw notAccepted(`the AAS part ${partName} is not JSON: ${message}`, partName);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw notAccepted(`the AAS part ${partName} is not a JSON object (an Environment)`, partName);
    return { environment: value as Environment };
  }
  try {
    const document = readXmlDocument(text);
    const environment = document.rootClass === 'Environment' ? document.value : ({ [ENVIRONMENT_LIST[document.rootClass]]: [document.value] } as Environment);
    return { environment, version: document.version };
  } catch (error) {
    // The XML reader's BadRequest, with its details (XPath locations), said of this part.
    if (error instanceof BadRequest) throw new BadRequest(`The AAS part ${partName} of the AASX package cannot be read: ${error.message}`, error.details);
    throw error;
  }
}

/** XML or JSON: by extension, else by content type, else by the first character. */
function formatOf(partName: string, contentType: string | undefined, text: string): 'xml' | 'json' {
  const extension = extensionOf(partName);
  if (extension === 'json') return 'json';
  if (extension === 'xml') return 'xml';
  if (contentType?.includes('json')) return 'json';
  if (contentType?.includes('xml')) return 'xml';
  return text.trimStart().replace(/^\uFEFF/, '').startsWith('{') ? 'json' : 'xml';
}

class PackageReading {
  readonly warnings: string[] = [];
  private contentTypes: ContentTypes | undefined;

  constructor(
    readonly archive: ZipArchive,
    readonly limits: AasxLimits,
  ) {}

  /** A relationships part or the content types stream, read as text within the AAS part limit. */
  private async xmlPart(part: ZipPart): Promise<string> {
    checkAasPartSize(part.itemName, part.size, this.limits, 'the package structure part');
    return decodeText(await this.archive.readPart(part, this.limits), part.partName);
  }

  async readContentTypes(): Promise<void> {
    const part = this.archive.part(`/${CONTENT_TYPES_ITEM}`);
    if (part === undefined) {
      this.warnings.push(`the package has no ${CONTENT_TYPES_ITEM}; content types are taken as ${FALLBACK_CONTENT_TYPE}`);
      return;
    }
    this.contentTypes = parseContentTypes(await this.xmlPart(part), partNameKey);
  }

  /** ECMA-376-2 §10.1.2.4: an Override for the part, else the Default for its extension. */
  contentTypeOf(part: ZipPart): string | undefined {
    return this.contentTypes?.overrides.get(part.key) ?? this.contentTypes?.defaults.get(extensionOf(part.partName));
  }

  /** The relationships of a source part ('/' for the package); undefined when it has no relationships part. */
  async relationshipsOf(sourcePartName: string): Promise<Relationship[] | undefined> {
    const relsName = sourcePartName === '/' ? PACKAGE_RELATIONSHIPS_PART : relationshipsPartOf(sourcePartName);
    const part = this.archive.part(relsName);
    return part === undefined ? undefined : parseRelationships(await this.xmlPart(part), part.partName);
  }

  /** The parts a source's relationships of `type` point to, in order, each resolved and present in the package. */
  targets(relationships: readonly Relationship[], type: string, sourcePartName: string, what: string): ZipPart[] {
    const parts: ZipPart[] = [];
    for (const relationship of relationships.filter((r) => r.type === type && !r.external)) {
      const partName = resolveRelationshipTarget(relationship.target, sourcePartName);
      const part = partName === undefined ? undefined : this.archive.part(partName);
      if (part === undefined) this.warnings.push(`the ${what} relationship ${relationship.id} points to "${relationship.target}", which is not in the package`);
      else parts.push(part);
    }
    return parts;
  }

  file(part: ZipPart): AasxFile {
    let contentType = this.contentTypeOf(part);
    if (contentType === undefined) {
      this.warnings.push(`${part.partName} has no content type in ${CONTENT_TYPES_ITEM}; taken as ${FALLBACK_CONTENT_TYPE}`);
      contentType = FALLBACK_CONTENT_TYPE;
    }
    return { partName: part.partName, contentType, size: part.size, open: () => this.archive.openPart(part, this.limits) };
  }
}

/** Follows package → aasx-origin → aas-spec (Part 5 §4.3) to the AAS part. */
async function findAasPart(reading: PackageReading): Promise<{ aasPart: ZipPart; packageRelationships: Relationship[] }> {
  const packageRelationships = await reading.relationshipsOf('/');
  if (packageRelationships === undefined) {
    throw notAccepted(`it has no package relationships (${PACKAGE_RELATIONSHIPS_PART}), so its AAS part cannot be found (Part 5)`, PACKAGE_RELATIONSHIPS_PART);
  }
  const origins = reading.targets(packageRelationships, RELATIONSHIP_TYPES.origin, '/', 'aasx-origin');
  if (origins.length === 0) throw notAccepted(`${PACKAGE_RELATIONSHIPS_PART} has no aasx-origin relationship to a part in the package (Part 5)`, PACKAGE_RELATIONSHIPS_PART);
  const origin = origins[0].partName;
  const originRelationships = await reading.relationshipsOf(origin);
  if (originRelationships === undefined) throw notAccepted(`the origin part ${origin} has no relationships part (${relationshipsPartOf(origin)})`, relationshipsPartOf(origin));
  const specs = reading.targets(originRelationships, RELATIONSHIP_TYPES.spec, origin, 'aas-spec');
  if (specs.length === 0) throw notAccepted(`the origin part ${origin} has no aas-spec relationship to a part in the package (Part 5)`, relationshipsPartOf(origin));
  if (specs.length > 1) {
    reading.warnings.push(`the package has ${specs.length} AAS parts; ${specs[0].partName} was read, ${specs.slice(1).map((p) => p.partName).join(', ')} ignored`);
  }
  return { aasPart: specs[0], packageRelationships };
}

/** Reads an AASX package from a file path or a Buffer; see the module comment and AasxPackage. */
export async function readAasx(source: string | Buffer, limits: Partial<AasxLimits> = {}): Promise<AasxPackage> {
  const effective: AasxLimits = { ...DEFAULT_AASX_LIMITS, ...limits };
  const archive = await ZipArchive.open(source, effective);
  try {
    const reading = new PackageReading(archive, effective);
    await reading.readContentTypes();
    const { aasPart, packageRelationships } = await findAasPart(reading);
    checkAasPartSize(aasPart.itemName, aasPart.size, effective);
    const text = decodeText(await archive.readPart(aasPart, effective), aasPart.partName);
    const format = formatOf(aasPart.partName, reading.contentTypeOf(aasPart), text);
    const { environment, version } = parseAasPart(text, format, aasPart.partName);

    // Parts that are the package's structure, never an attachment.
    const structural = (part: ZipPart) => part.key === aasPart.key || /\/_RELS\//.test(part.key) || part.key === partNameKey(`/${CONTENT_TYPES_ITEM}`);
    const files = new Map<string, AasxFile>();
    const returned = new Map<string, string>(); // part key → reference it is returned under
    const references = environmentReferences(environment);
    for (const reference of [...references.files, ...references.thumbnails]) {
      const key = referenceKey(reference);
      const part = key === undefined ? undefined : archive.parts.get(key);
      if (part === undefined || structural(part)) {
        reading.warnings.push(`"${reference}" is referenced by the environment but is not a file in the package`);
        continue;
      }
      files.set(reference, reading.file(part));
      if (!returned.has(part.key)) returned.set(part.key, reference);
    }

    let thumbnail: string | undefined;
    const thumbnailPart = reading.targets(packageRelationships, RELATIONSHIP_TYPES.thumbnail, '/', 'thumbnail')[0];
    if (thumbnailPart !== undefined && !structural(thumbnailPart)) {
      thumbnail = returned.get(thumbnailPart.key) ?? thumbnailPart.partName;
      if (!files.has(thumbnail)) files.set(thumbnail, reading.file(thumbnailPart));
      returned.set(thumbnailPart.key, thumbnail);
    }

    const supplementary = reading.targets((await reading.relationshipsOf(aasPart.partName)) ?? [], RELATIONSHIP_TYPES.supplementary, aasPart.partName, 'aas-suppl');
    for (const part of supplementary) {
      if (!returned.has(part.key)) reading.warnings.push(`the supplementary file ${part.partName} is referenced by no File element or thumbnail; it is left out`);
    }
    return { environment, format, ...(version === undefined ? {} : { version }), aasPart: aasPart.partName, files, ...(thumbnail === undefined ? {} : { thumbnail }), warnings: reading.warnings, close: () => archive.close() };
  } catch (error) {
    archive.close();
    throw error;
  }
}
