/**
 * The AASX File Server (Part 2 AasxFileServerServiceSpecification, `/packages`): an uploaded package is kept as it
 * came, downloadable byte for byte, and what it holds is loaded into the repositories like any import
 * (content-import.ts: validated, files into the attachment store, all in one atomic batch with the package's record
 * and bytes).
 *
 * Rules:
 * - a shell or submodel id that exists already refuses the upload (409 naming them) unless `overwrite` is asked
 *   for; a new version of a package (PUT) replaces what its previous version brought without asking;
 * - concept descriptions are shared between packages: one that exists is kept as it is and reported;
 * - deleting a package deletes the package (record and bytes), not the shells, submodels and concept descriptions it
 *   brought: they are repository content by then, possibly edited, and are deleted through their own APIs.
 *
 * The upload is spooled to a temporary file first (a ZIP is read from its end, so it cannot be read as it streams
 * in), held to `packageLimit`; the file is gone when the request is answered.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { BadRequest, NotFound, PayloadTooLarge } from '../errors.js';
import { readAasx, type AasxLimits } from '../interchange/aasx/index.js';
import { decodeId } from '../model/identifiers.js';
import type { AttachmentKey, Page, PackageFilter, PackageRecord, PageRequest, WriteOp } from '../store/store.js';
import type { Download, Upload } from './attachments.js';
import { importContent, type ContentImportDeps, type ImportReport } from './content-import.js';

/** The media type Part 2 gives AASX packages. */
export const PACKAGE_CONTENT_TYPE = 'application/asset-administration-shell-package';
/** PackageDescription.packageId: at most 128 characters (Part 2 schema). */
const MAX_PACKAGE_ID = 128;

/** What `GET /packages` lists (Part 2 PackageDescription). */
export interface PackageDescription {
  packageId: string;
  aasIds: string[];
}

export interface PackageUploadOptions {
  /** Replace shells and submodels that exist already instead of refusing the upload. */
  overwrite: boolean;
}

export interface PackageUploadResult {
  description: PackageDescription;
  /** False when an existing package was replaced (PUT). */
  created: boolean;
  report: ImportReport;
  /** What the client hears besides validation warnings: kept concept descriptions, missing files, package oddities. */
  notes: string[];
}

export interface AasxFileServerDeps extends ContentImportDeps {
  /** Largest package upload, in bytes (AAS_PACKAGE_LIMIT). */
  packageLimit: number;
  /** Limits for reading packages; the defaults of aasx-limits.ts where absent. */
  aasxLimits?: Partial<AasxLimits>;
}

const describe = (record: PackageRecord): PackageDescription => ({ packageId: record.id, aasIds: record.aasIds });
/** Every version's bytes under a name of their own, so a failed upload never touches the stored version's. */
const packageKey = (record: PackageRecord): AttachmentKey => ({ owner: { kind: 'packages', id: record.id }, name: record.attachment });

export class AasxFileServer {
  constructor(private readonly deps: AasxFileServerDeps) {}

  async list(filter: PackageFilter, page: PageRequest): Promise<Page<PackageDescription>> {
    const { items, next } = await this.deps.store.packages.list(filter, page);
    const descriptions = items.map(describe);
    return next === undefined ? { items: descriptions } : { items: descriptions, next };
  }

  async download(id: string): Promise<Download> {
    const record = await this.record(id);
    const stored = await this.deps.store.attachments.get(packageKey(record));
    if (stored === undefined) throw new NotFound(`The bytes of AASX package '${id}' are missing from the store`);
    return { content: stored.content, contentType: PACKAGE_CONTENT_TYPE, fileName: record.fileName, size: stored.size };
  }

  /** PostAASXPackage: a new package under a new id. */
  async create(upload: Upload, options: PackageUploadOptions): Promise<PackageUploadResult> {
    return this.store(randomUUID(), undefined, upload, options);
  }

  /** PutAASXByPackageId: a new version of package `id`, or a new package under that id. */
  async put(id: string, upload: Upload, options: PackageUploadOptions): Promise<PackageUploadResult> {
    if (id.length > MAX_PACKAGE_ID) throw new BadRequest(`A package id has at most ${MAX_PACKAGE_ID} characters`);
    return this.store(id, await this.deps.store.packages.getRevised(id), upload, options);
  }

  /** Deletes the package (its record and bytes); the content it brought stays in the repositories. */
  async delete(id: string): Promise<void> {
    const [outcome] = await this.deps.store.write([{ kind: 'packages', op: 'delete', id }]);
    if (outcome === 'absent') throw new NotFound(`No AASX package with id '${id}'`);
  }

  private async record(id: string): Promise<PackageRecord> {
    const record = await this.deps.store.packages.get(id);
    if (record === undefined) throw new NotFound(`No AASX package with id '${id}'`);
    return record;
  }

  private async store(
    id: string,
    previous: { doc: PackageRecord; revision: string } | undefined,
    upload: Upload,
    options: PackageUploadOptions,
  ): Promise<PackageUploadResult> {
    const dir = await mkdtemp(join(tmpdir(), 'aas-package-'));
    try {
      const file = join(dir, 'package.aasx');
      await spool(upload.content, file, this.deps.packageLimit);
      const details = await upload.details;
      const aasx = await readAasx(file, this.deps.aasxLimits);
      try {
        const environment = aasx.environment as { assetAdministrationShells?: unknown; submodels?: unknown };
        const record: PackageRecord = {
          id,
          attachment: `${randomUUID()}.aasx`,
          fileName: details.fileName,
          aasIds: idsOf(environment.assetAdministrationShells),
          submodelIds: idsOf(environment.submodels),
        };
        checkDeclaredShells(details.fields, record.aasIds);
        const recordOp: WriteOp = previous
          ? { kind: 'packages', op: 'update', doc: record, ifRevision: previous.revision }
          : { kind: 'packages', op: 'create', doc: record };
        const report = await importContent(
          this.deps,
          { environment: aasx.environment, files: aasx.files },
          {
            existing: options.overwrite ? 'replace' : 'refuse',
            replaceable: previous && { shells: new Set(previous.doc.aasIds), submodels: new Set(previous.doc.submodelIds) },
            refusalHint: 'Upload with overwrite=true to replace them',
            conceptDescriptions: 'keep',
            alsoWrite: {
              ops: [recordOp],
              files: [
                {
                  key: packageKey(record),
                  file: { contentType: PACKAGE_CONTENT_TYPE, fileName: details.fileName, open: async () => createReadStream(file) },
                  maxBytes: this.deps.packageLimit,
                },
              ],
            },
          },
        );
        const notes = [
          ...report.keptConceptDescriptions.map((cd) => `concept description kept as stored (it exists already): ${cd}`),
          ...report.missingFiles.map((path) => `file referenced but not in the package: ${path}`),
          ...aasx.warnings,
        ];
        return { description: describe(record), created: previous === undefined, report, notes };
      } finally {
        aasx.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
}

/** Copies the upload into `file`, refusing it (413) beyond `limit` bytes. */
async function spool(content: Readable, file: string, limit: number): Promise<void> {
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > limit) callback(new PayloadTooLarge(`The package exceeds the limit of ${limit} bytes (AAS_PACKAGE_LIMIT)`));
      else callback(null, chunk);
    },
  });
  await pipeline(content, meter, createWriteStream(file, { flags: 'wx' }));
}

function idsOf(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((item) => (item as { id?: unknown } | null)?.id).filter((id): id is string => typeof id === 'string');
}

/**
 * The upload's `aasIds` (also spelt `aasIds[]`) must name shells the package holds. Part 2 does not say how they
 * are encoded in the form; a value is taken as the id itself, or else as its base64url encoding.
 */
function checkDeclaredShells(fields: ReadonlyMap<string, readonly string[]>, aasIds: readonly string[]): void {
  const held = new Set(aasIds);
  const declared = [...(fields.get('aasIds') ?? []), ...(fields.get('aasIds[]') ?? [])].filter((value) => value !== '');
  const unknown = declared.filter((value) => !held.has(value) && !held.has(decodedOrSame(value)));
  if (unknown.length > 0) {
    throw new BadRequest(
      `The upload names ${unknown.length} shell(s) in aasIds that the package does not hold`,
      unknown.map((value) => ({ text: `not in the package: ${value}` })),
    );
  }
}

function decodedOrSame(value: string): string {
  try {
    return decodeId(value, 'aasIds');
  } catch {
    return value;
  }
}
