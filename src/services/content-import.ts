/**
 * Importing AAS content with its files (an AASX package, an XML or JSON environment): validated like any write
 * (strict: every violation listed with its path, nothing stored; lenient: stored, violations reported), the
 * documents in one atomic batch, and each File element's and thumbnail's bytes from the package into the
 * attachment store under the document that references them.
 *
 * File.value and defaultThumbnail.path are kept as the package has them (`/aasx/files/manual.pdf`): the stored
 * attachment is named by exactly that path, so the File element's `/attachment` serves it and an export puts it
 * back at the same part name.
 *
 * Order (the one AttachmentService uses for uploads): bytes staged, then committed under their keys (pinned
 * against the sweep), then the documents written; if that write fails the committed bytes are deleted again,
 * and what a crash leaves between the steps is removed by the attachment sweep.
 */
import type { Readable } from 'node:stream';
import { Conflict } from '../errors.js';
import type { EventBus } from '../events/bus.js';
import { isExternalPath, shellAttachmentPaths, submodelAttachmentPaths } from '../model/attachment-paths.js';
import type { Environment } from '../model/types.js';
import type { AasStore, AttachmentKey, AttachmentOwner, StagedAttachment, WriteOp } from '../store/store.js';
import type { ValidationIssue } from '../validation/issues.js';
import type { Validator } from '../validation/validator.js';
import type { AttachmentSweep } from './attachment-sweep.js';

/** A file of the content, by the reference the environment uses for it (File.value, defaultThumbnail.path). */
export interface ContentFile {
  contentType: string;
  /** The name a download gives it; by default the last segment of its reference. */
  fileName?: string;
  open(): Promise<Readable>;
}

/** A file to store under an attachment key. */
export interface PlannedFile {
  key: AttachmentKey;
  file: ContentFile;
  /** Its largest size, in bytes; the deps' `fileLimit` when absent. */
  maxBytes?: number;
}

export interface ImportContent {
  /** Parsed, not yet validated. */
  environment: unknown;
  files?: ReadonlyMap<string, ContentFile>;
}

export interface ImportOptions {
  /** Shells and submodels whose ids exist: replaced, or the import is refused with 409 naming them. */
  existing: 'replace' | 'refuse';
  /** With `refuse`: ids replaced all the same (what an earlier version of the same package brought). */
  replaceable?: { shells: ReadonlySet<string>; submodels: ReadonlySet<string> };
  /** With `refuse`: appended to the 409's message (how to ask for a replace). */
  refusalHint?: string;
  /**
   * Concept descriptions whose ids exist: replaced (a preload directory is the source of truth), or kept as
   * they are (packages share concept descriptions, so another package's copy is no conflict).
   */
  conceptDescriptions: 'replace' | 'keep';
  /** More writes for the same atomic batch, and their files (a package's record and its bytes). */
  alsoWrite?: { ops: readonly WriteOp[]; files: readonly PlannedFile[] };
}

export interface ImportReport {
  created: { shells: string[]; submodels: string[]; conceptDescriptions: string[] };
  replaced: { shells: string[]; submodels: string[] };
  replacedConceptDescriptions: string[];
  /** Concept descriptions that exist already and were kept (`conceptDescriptions: 'keep'`). */
  keptConceptDescriptions: string[];
  /** Attachments stored from the content's files. */
  files: number;
  /** References to files the content does not hold (left as they are; GET …/attachment answers 404). */
  missingFiles: string[];
  warnings: ValidationIssue[];
}

export interface ContentImportDeps {
  store: AasStore;
  sweep: AttachmentSweep;
  validator: Validator;
  events: EventBus;
  /** Largest file taken from the content, in bytes (AAS_ATTACHMENT_LIMIT). */
  fileLimit: number;
}

export async function importContent(deps: ContentImportDeps, content: ImportContent, options: ImportOptions): Promise<ImportReport> {
  const warnings = deps.validator.validate('Environment', content.environment);
  const env = content.environment as Environment;
  const shells = env.assetAdministrationShells ?? [];
  const submodels = env.submodels ?? [];
  const cds = env.conceptDescriptions ?? [];
  const existingShells = new Set((await deps.store.shells.getMany(shells.map((s) => s.id))).map((s) => s.id));
  const existingSubmodels = new Set((await deps.store.submodels.getMany(submodels.map((s) => s.id))).map((s) => s.id));
  const existingCds = new Set((await deps.store.conceptDescriptions.getMany(cds.map((c) => c.id))).map((c) => c.id));
  if (options.existing === 'refuse') {
    const replaceable = options.replaceable;
    const ids = [
      ...[...existingShells].filter((id) => !replaceable?.shells.has(id)),
      ...[...existingSubmodels].filter((id) => !replaceable?.submodels.has(id)),
    ];
    if (ids.length > 0) {
      const message = `The content holds ${ids.length} shell(s) or submodel(s) that exist already; nothing was imported`;
      throw new Conflict(options.refusalHint ? `${message}. ${options.refusalHint}` : message, ids.map((id) => ({ text: `exists already: ${id}` })));
    }
  }

  const planned: PlannedFile[] = [];
  const missingFiles: string[] = [];
  const plan = (owner: AttachmentOwner, paths: Set<string>) => {
    for (const path of paths) {
      if (isExternalPath(path)) continue;
      const file = content.files?.get(path);
      if (file === undefined) missingFiles.push(path);
      else planned.push({ key: { owner, name: path }, file });
    }
  };
  for (const shell of shells) plan({ kind: 'shells', id: shell.id }, shellAttachmentPaths(shell));
  for (const submodel of submodels) plan({ kind: 'submodels', id: submodel.id }, submodelAttachmentPaths(submodel));

  // Refusing: a shell or submodel that was not there is created, so one that another writer makes meanwhile fails
  // the batch (409) instead of being overwritten.
  const opFor = (existing: Set<string>, id: string) => (options.existing === 'refuse' && !existing.has(id) ? 'create' : 'upsert');
  const modelOps = [
    ...shells.map((doc) => ({ kind: 'shells', op: opFor(existingShells, doc.id), doc }) as const),
    ...submodels.map((doc) => ({ kind: 'submodels', op: opFor(existingSubmodels, doc.id), doc }) as const),
    ...cds
      .filter((cd) => options.conceptDescriptions === 'replace' || !existingCds.has(cd.id))
      .map((doc) => ({ kind: 'conceptDescriptions', op: 'upsert', doc }) as const),
  ];
  const also = options.alsoWrite ?? { ops: [], files: [] };
  await storeWithFiles(deps, [...planned, ...also.files], [...modelOps, ...also.ops]);
  for (const op of modelOps) {
    const existed = (op.kind === 'shells' ? existingShells : op.kind === 'submodels' ? existingSubmodels : existingCds).has(op.doc.id);
    deps.events.emit({ type: existed ? 'updated' : 'created', kind: op.kind, id: op.doc.id });
  }
  return {
    created: {
      shells: shells.map((s) => s.id).filter((id) => !existingShells.has(id)),
      submodels: submodels.map((s) => s.id).filter((id) => !existingSubmodels.has(id)),
      conceptDescriptions: cds.map((c) => c.id).filter((id) => !existingCds.has(id)),
    },
    replaced: { shells: [...existingShells], submodels: [...existingSubmodels] },
    replacedConceptDescriptions: options.conceptDescriptions === 'replace' ? [...existingCds] : [],
    keptConceptDescriptions: options.conceptDescriptions === 'keep' ? [...existingCds] : [],
    files: planned.length,
    missingFiles,
    warnings,
  };
}

/**
 * Stages every file, commits them (pinned), writes the documents; if the write fails, deletes the files it added.
 * A file committed over content that was there already (a re-import, same path) is left: a stored document may
 * reference that path, and a path with other bytes is better than one with none.
 */
async function storeWithFiles(deps: ContentImportDeps, planned: readonly PlannedFile[], ops: readonly WriteOp[]): Promise<void> {
  const staged: { planned: PlannedFile; staged: StagedAttachment }[] = [];
  const unpins: (() => void)[] = [];
  const added: AttachmentKey[] = [];
  try {
    for (const p of planned) staged.push({ planned: p, staged: await deps.store.attachments.stage(await p.file.open(), p.maxBytes ?? deps.fileLimit) });
    const before = await existingNames(deps, planned);
    for (const { planned: p, staged: s } of staged) {
      unpins.push(deps.sweep.pin(p.key));
      await s.commit(p.key, { contentType: p.file.contentType, fileName: p.file.fileName ?? fileNameOf(p.key.name) });
      if (!before.get(ownerKey(p.key.owner))?.has(p.key.name)) added.push(p.key);
    }
    try {
      await deps.store.write(ops);
    } catch (error) {
      for (const key of added) await deps.store.attachments.delete(key).catch(() => false);
      throw error;
    }
  } finally {
    unpins.forEach((unpin) => unpin());
    for (const { staged: s } of staged) await s.discard();
  }
}

const ownerKey = (owner: AttachmentOwner) => `${owner.kind}\u0000${owner.id}`;

/** The names of the attachments each owner of `planned` has now, by ownerKey. */
async function existingNames(deps: ContentImportDeps, planned: readonly PlannedFile[]): Promise<Map<string, Set<string>>> {
  const names = new Map<string, Set<string>>();
  for (const { key } of planned) {
    const owner = ownerKey(key.owner);
    if (!names.has(owner)) names.set(owner, new Set(await deps.store.attachments.names(key.owner)));
  }
  return names;
}

/** The file name a download names: the path's last segment, percent-decoded where that is well-formed. */
function fileNameOf(path: string): string {
  const last = path.split('/').pop() || 'file';
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}
