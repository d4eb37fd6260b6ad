/**
 * The MongoDB writes of a planned batch (batch-plan.ts): each effect becomes one `DocumentWrite`, built here
 * without I/O, and applied by `applyWrite` in a fixed order that keeps every intermediate state readable:
 *
 * - put: new element documents first (under a fresh version nobody reads yet), then the header in one replace
 *   (the switch: readers now see the new version), then the previous version's element documents are dropped;
 * - patch: one `updateOne` per replaced element, addressed by (version, position), in one bulk write;
 * - delete: the header first (the document is gone for readers), then its element documents.
 *
 * Every step is idempotent (replace with upsert, delete by key, update to a fixed value), so the journal can
 * repeat a half-applied batch after a crash. Element inserts are the exception and happen only before the switch,
 * where the journal rolls back instead (batch-journal.ts).
 */
import type { AnyBulkWriteOperation, ClientSession, Collection, WriteConcernSettings } from 'mongodb';
import type { Effect } from './batch-plan.js';
import { assertFitsInOneDocument } from './storable-json.js';
import { toStoredForm, elementIdShort, newElementVersion, type IdentifiableKind, type StoredElement, type StoredIdentifiable } from './document-layout.js';

export interface ElementPatch {
  position: number;
  idShort: string | null;
  element: unknown;
}

export type DocumentWrite =
  | {
      action: 'put';
      kind: IdentifiableKind;
      id: string;
      stored: StoredIdentifiable;
      elements: StoredElement[];
      /** The element set the header showed before, to drop after the switch (only when it had elements). */
      dropVersion?: string;
    }
  | { action: 'patch'; kind: 'submodels'; id: string; version: string; patches: ElementPatch[] }
  | { action: 'delete'; kind: IdentifiableKind; id: string; dropVersion?: string };

/**
 * How the steps are sent: in a transaction (`session`; no per-operation write concern is allowed there), or by the
 * journal with a lighter write concern (`writeConcern`), whose own durable commit and finish flush them.
 */
export interface StepOptions {
  session?: ClientSession;
  writeConcern?: WriteConcernSettings;
}

/** The collections a write touches. */
export interface WriteTargets {
  identifiables(kind: IdentifiableKind): Collection<StoredIdentifiable>;
  elements: Collection<StoredElement>;
}

function previousVersion(effect: Effect): string | undefined {
  if (effect.action === 'patch') return undefined;
  const layout = effect.previous?.layout;
  return layout && layout.count > 0 ? layout.version : undefined;
}

/** The write of one planned effect. Checks sizes (PayloadTooLarge) before anything is written. */
export function toDocumentWrite(effect: Effect, version: () => string = newElementVersion): DocumentWrite {
  const dropVersion = previousVersion(effect);
  switch (effect.action) {
    case 'put': {
      const { stored, elements } = toStoredForm(effect.kind, effect.doc, version);
      return { action: 'put', kind: effect.kind, id: effect.id, stored, elements, ...(dropVersion ? { dropVersion } : {}) };
    }
    case 'patch': {
      const patches = [...effect.elements].sort(([a], [b]) => a - b).map(([position, element]) => ({ position, idShort: elementIdShort(element), element }));
      for (const { position, idShort, element } of patches) {
        const elementDoc: StoredElement = { submodelId: effect.id, version: effect.version, position, idShort, element };
        assertFitsInOneDocument(elementDoc, `Element '${idShort ?? ''}' of Submodel '${effect.id}'`);
      }
      return { action: 'patch', kind: 'submodels', id: effect.id, version: effect.version, patches };
    }
    case 'delete':
      return { action: 'delete', kind: effect.kind, id: effect.id, ...(dropVersion ? { dropVersion } : {}) };
  }
}

/** True when the write changes exactly one MongoDB document, so it is atomic on its own (no journal needed). */
export function isSingleDocumentWrite(write: DocumentWrite): boolean {
  switch (write.action) {
    case 'put':
      return write.elements.length === 0 && write.dropVersion === undefined;
    case 'patch':
      return write.patches.length === 1;
    case 'delete':
      return write.dropVersion === undefined;
  }
}

/** The bulk operations of a patch: each element document found by its (unique) version and position. */
export function patchOperations(version: string, patches: readonly ElementPatch[]): AnyBulkWriteOperation<StoredElement>[] {
  return patches.map(({ position, idShort, element }) => ({
    updateOne: { filter: { version, position }, update: { $set: { idShort, element } } },
  }));
}

/** Steps of a put that come before the header switch (the journal stages them). */
export async function insertElements(targets: WriteTargets, elements: readonly StoredElement[], options: StepOptions = {}): Promise<void> {
  // insertMany adds `_id` to the objects it is given: hand it copies, so a repeated write starts clean.
  if (elements.length > 0) await targets.elements.insertMany(elements.map((e) => ({ ...e })), { ...options, ordered: true });
}

/** The header switch and what follows it: idempotent, so a journal may run it again after a crash. */
export async function applyAfterStaging(targets: WriteTargets, write: DocumentWrite, options: StepOptions = {}): Promise<void> {
  switch (write.action) {
    case 'put':
      await targets.identifiables(write.kind).replaceOne({ _id: write.id }, write.stored, { ...options, upsert: true });
      if (write.dropVersion) await targets.elements.deleteMany({ version: write.dropVersion }, options);
      return;
    case 'patch':
      await targets.elements.bulkWrite(patchOperations(write.version, write.patches), { ...options, ordered: true });
      return;
    case 'delete':
      await targets.identifiables(write.kind).deleteOne({ _id: write.id }, options);
      if (write.dropVersion) await targets.elements.deleteMany({ version: write.dropVersion }, options);
      return;
  }
}

/** A whole write, alone (the client's durable write concern) or inside a transaction (`session`). */
export async function applyWrite(targets: WriteTargets, write: DocumentWrite, options: StepOptions = {}): Promise<void> {
  if (write.action === 'put') await insertElements(targets, write.elements, options);
  await applyAfterStaging(targets, write, options);
}
