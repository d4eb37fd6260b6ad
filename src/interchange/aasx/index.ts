/**
 * AASX packages (IDTA Part 5, on the Open Packaging Conventions of ECMA-376 Part 2): a ZIP with the environment
 * as one XML or JSON part, its files as further parts, and OPC relationships and content types tying them
 * together. Pure: no HTTP, no store; the caller stores what is read and provides what is written.
 *
 *   readAasx(source: string (file path) | Buffer, limits?: Partial<AasxLimits>): Promise<AasxPackage>
 *     → { environment, format: 'xml' | 'json', version?: '3.0' | '3.1', aasPart,
 *         files: Map<reference, { partName, contentType, size, open(): Promise<Readable> }>,
 *         thumbnail?: reference, warnings: string[], close() }
 *     `files` is keyed by the reference the environment uses (File.value, defaultThumbnail.path), so an importer
 *     looks each File element's content up by its value; the package thumbnail is in it too (`thumbnail`).
 *     Files are inflated on demand from the archive, never spooled; `close()` releases the archive.
 *     Throws BadRequest (400) for what is not a readable or acceptable package (not a ZIP, hostile entry names,
 *     duplicate part names, zip bombs, entries inflating past their declared size or the size limits of
 *     aasx-limits.ts, a broken relationship chain, an AAS part that does not parse, with the XML reader's details).
 *
 *   writeAasx(environment, files: (reference) => Promise<{ content: Readable; contentType } | undefined>,
 *             options?: { format?, version?, thumbnail?, onWarning? }): Readable
 *     The package as a ZIP stream, with every file a File element or thumbnail refers to that `files` provides.
 */
export { DEFAULT_AASX_LIMITS, type AasxLimits } from './aasx-limits.js';
export { readAasx, type AasxFile, type AasxPackage } from './read-aasx.js';
export { writeAasx, type AasxFileSource, type AasxWriteOptions } from './write-aasx.js';
export { RELATIONSHIP_TYPES } from './opc-xml.js';
