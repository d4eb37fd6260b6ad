/**
 * GenerateSerializationByIds as an AASX package (Part 2 §… Serialization API, Part 5): the environment plus the
 * stored bytes of every File element and shell thumbnail it refers to. No HTTP types in here.
 *
 * Attachments are stored per owning document (store.ts AttachmentKey), but a package has one part per path. Paths
 * of uploads are fresh UUID paths (model/attachment-paths.ts), so two documents share one only after an import or
 * a copy of a document; when they do and their content differs, the package holds the content of the FIRST owner
 * in the environment's order (submodels in the order exported, then shells in the order exported) that has bytes
 * stored, and a warning says so. That order follows the request's ids, so the choice is deterministic.
 */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';
import { writeAasx, type AasxFileSource } from '../interchange/aasx/index.js';
import { partNameForReference, partNameKey } from '../interchange/aasx/part-names.js';
import { isExternalPath } from '../model/attachment-paths.js';
import { childElements } from '../model/element-tree.js';
import type { Environment, SubmodelElement } from '../model/types.js';
import type { AasStore, AttachmentOwner } from '../store/store.js';

export interface PackageExport {
  /** The package (a ZIP), streamed. */
  content: Readable;
  /**
   * Files left out or chosen between owners, known before the first byte is sent (so they can go in a header).
   * Later surprises (content deleted while the package streams) reach `onWarning` of the options.
   */
  warnings: string[];
}

export interface PackageExportOptions {
  /** Told what the package writer leaves out: the early warnings again in its words, and what fails while streaming. */
  onWarning?: (text: string) => void;
}

/** A document referring to a package-internal path, with the content type it declares for it. */
interface Referrer {
  owner: AttachmentOwner;
  reference: string;
  declaredType?: string;
}

/** The owner whose bytes become the part (stored under `name`, its spelling of the path) and its declared type. */
interface ChosenContent {
  owner: AttachmentOwner;
  name: string;
  declaredType?: string;
}

const describeOwner = (owner: AttachmentOwner) => `${owner.kind === 'shells' ? 'shell' : 'submodel'} "${owner.id}"`;

function collectFileReferrers(elements: readonly SubmodelElement[], owner: AttachmentOwner, into: Referrer[]): void {
  for (const element of elements) {
    const node = element as { modelType?: string; value?: unknown; contentType?: unknown };
    if (node.modelType === 'File' && typeof node.value === 'string') {
      into.push({ owner, reference: node.value, declaredType: typeof node.contentType === 'string' ? node.contentType : undefined });
    }
    collectFileReferrers(childElements(element), owner, into);
  }
}

/** Every package-internal reference in document order: File elements of the submodels, then the shells' thumbnails. */
function referrersOf(environment: Environment): Referrer[] {
  const all: Referrer[] = [];
  for (const submodel of environment.submodels ?? []) {
    collectFileReferrers((submodel.submodelElements ?? []) as SubmodelElement[], { kind: 'submodels', id: submodel.id }, all);
  }
  for (const shell of environment.assetAdministrationShells ?? []) {
    const thumbnail = shell.assetInformation?.defaultThumbnail;
    if (thumbnail?.path !== undefined) all.push({ owner: { kind: 'shells', id: shell.id }, reference: thumbnail.path, declaredType: thumbnail.contentType });
  }
  return all.filter((r) => r.reference !== '' && !isExternalPath(r.reference));
}

const ownerKey = (owner: AttachmentOwner) => `${owner.kind}\u0000${owner.id}`;

/** A fingerprint of one owner's content at a path: its effective content type and the bytes' SHA-256. */
async function fingerprint(store: AasStore, referrer: Referrer): Promise<string | undefined> {
  const stored = await store.attachments.get({ owner: referrer.owner, name: referrer.reference });
  if (!stored) return undefined;
  const hash = createHash('sha256');
  for await (const chunk of stored.content) hash.update(chunk as Buffer);
  return `${referrer.declaredType ?? stored.contentType}\u0000${hash.digest('hex')}`;
}

/**
 * Decides, per part, whose stored bytes it holds. Reads each owner's names once; reads bytes only for parts that
 * several owners hold (to tell same from different content).
 */
async function chooseContent(store: AasStore, referrers: Referrer[], warn: (text: string) => void): Promise<Map<string, ChosenContent>> {
  const byPart = new Map<string, Referrer[]>();
  const reported = new Set<string>();
  for (const referrer of referrers) {
    const partName = partNameForReference(referrer.reference);
    if (partName === undefined) {
      if (!reported.has(referrer.reference)) warn(`"${referrer.reference}" (of ${describeOwner(referrer.owner)}) cannot be a part name of the package; left out`);
      reported.add(referrer.reference);
      continue;
    }
    const key = partNameKey(partName);
    byPart.set(key, [...(byPart.get(key) ?? []), referrer]);
  }

  const names = new Map<string, Set<string>>();
  const storedNames = async (owner: AttachmentOwner) => {
    let set = names.get(ownerKey(owner));
    if (!set) names.set(ownerKey(owner), (set = new Set(await store.attachments.names(owner))));
    return set;
  };

  const chosen = new Map<string, ChosenContent>();
  for (const [key, candidates] of byPart) {
    // One candidate per owner: the first element of that owner that refers to the part.
    const perOwner = new Map<string, Referrer>();
    for (const c of candidates) if (!perOwner.has(ownerKey(c.owner))) perOwner.set(ownerKey(c.owner), c);
    const holding: Referrer[] = [];
    for (const c of perOwner.values()) if ((await storedNames(c.owner)).has(c.reference)) holding.push(c);
    const first = candidates[0];
    if (holding.length === 0) {
      warn(`no content is stored for "${first.reference}" (of ${describeOwner(first.owner)}); left out of the package`);
      continue;
    }
    const pick = holding[0];
    chosen.set(key, { owner: pick.owner, name: pick.reference, declaredType: pick.declaredType });
    if (holding.length > 1) {
      const prints: (string | undefined)[] = [];
      for (const c of holding) prints.push(await fingerprint(store, c));
      const differing = holding.filter((_, i) => prints[i] !== prints[0]);
      if (differing.length > 0) {
        warn(
          `"${pick.reference}" is used by ${holding.map((c) => describeOwner(c.owner)).join(', ')} with different content; ` +
            `the package holds the content of ${describeOwner(pick.owner)} (the first in the environment), not that of ${differing.map((c) => describeOwner(c.owner)).join(', ')}`,
        );
      }
    }
  }
  return chosen;
}

/**
 * The environment as an AASX package with the XML 3.1 AAS part (the writer's default). The package thumbnail is
 * the writer's default too: the thumbnail of the first exported shell whose thumbnail is in the package.
 * Throws BadRequest at once when the environment cannot be written as XML.
 */
export async function exportPackage(store: AasStore, environment: Environment, options: PackageExportOptions = {}): Promise<PackageExport> {
  const warnings: string[] = [];
  const chosen = await chooseContent(store, referrersOf(environment), (text) => warnings.push(text));
  const files: AasxFileSource = async (reference) => {
    const partName = partNameForReference(reference);
    const choice = partName === undefined ? undefined : chosen.get(partNameKey(partName));
    if (!choice) return undefined;
    // The writer consumes (or, when the client goes away, destroys) the stream it is given.
    const stored = await store.attachments.get({ owner: choice.owner, name: choice.name });
    // As GetFileByPath: the type the document declares, the stored upload's type otherwise.
    return stored && { content: stored.content, contentType: choice.declaredType ?? stored.contentType };
  };
  // The writer repeats, in its words, what was left out above; it alone knows what goes wrong while streaming.
  const content = writeAasx(environment, files, { onWarning: options.onWarning });
  return { content, warnings };
}
