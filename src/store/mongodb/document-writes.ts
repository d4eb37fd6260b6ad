/**
 * The MongoDB writes of a planned batch (batch-plan.ts): each effect becomes one `DocumentWrite`, built here
 * without I/O, and applied in a fixed order that keeps every intermediate state readable:
 *
 * - put: new element documents first (under a fresh version nobody reads yet), then the header in one replace
 *   (the switch: readers now see the new version and the new revision), then the previous version's element
 *   documents are dropped;
 * - patch: one `updateOne` per replaced element, addressed by (version, position), in one bulk write, then the
 *   header's new revision. In this order a reader can see a new element with the old revision, never the new
 *   revision with an old element, so a read-modify-write based on what it read can only fail as stale, not
 *   overwrite the replace (see docs/mongodb.md, "Revisions");
 * - delete: the header first (the document is gone for readers), then its element documents.
 *
 * Two ways to apply them. `applyWrite`/`applyAfterStaging` are unconditional and every step is idempotent (replace
 * with upsert, delete by key, update to a fixed value), so the journal can repeat a half-applied batch after a crash
 * (element inserts happen only before the switch, where the journal rolls back instead, batch-journal.ts); they
 * rely on the plan having been checked under exclusive access (the writer lease). `applyConditionally` makes the
 * header write conditional on the revision the plan saw (or on absence, by inserting), for writers without
 * exclusive access: a miss throws ConditionMissed and nothing else of the write happens (in a transaction, or
 * because the header write is the write).
 */
import type { AnyBulkWriteOperation, BulkWriteResult, ClientSession, Collection, WriteConcernSettings } from 'mongodb';
import type { Effect } from './batch-plan.js';
import { assertFitsInOneDocument } from './storable-json.js';
import { toStoredForm, elementIdShort, newElementVersion, type IdentifiableKind, type StoredElement, type StoredIdentifiable } from './document-layout.js';
import { ConditionMissed, revisionFilter } from './revisions.js';

export interface ElementPatch {
  position: number;
  idShort: string | null;
  element: unknown;
}

/** `expected`: the revision the plan saw (absent on a put: the document did not exist). */
export type DocumentWrite =
  | {
      action: 'put';
      kind: IdentifiableKind;
      id: string;
      stored: StoredIdentifiable;
      elements: StoredElement[];
      /** The element set the header showed before, to drop after the switch (only when it had elements). */
      dropVersion?: string;
      expected?: string;
    }
  | {
      action: 'patch';
      kind: 'submodels';
      id: string;
      version: string;
      patches: ElementPatch[];
      /** The header's new revision; absent only on a journal record that is not the patch's last. */
      revision?: string;
      expected: string;
    }
  | { action: 'delete'; kind: IdentifiableKind; id: string; dropVersion?: string; expected: string };

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

/** What a write gets fresh: the document's new revision, and new element-set versions. */
export interface FreshTokens {
  revision: string;
  version?: () => string;
}

/** The write of one planned effect. Checks sizes (PayloadTooLarge) before anything is written. */
export function toDocumentWrite(effect: Effect, fresh: FreshTokens): DocumentWrite {
  const dropVersion = previousVersion(effect);
  const { revision } = fresh;
  // No key with an undefined value: BSON would store it as null, and a journal record must read back unchanged.
  const expected = effect.previous === undefined ? {} : { expected: effect.previous.revision };
  switch (effect.action) {
    case 'put': {
      const form = toStoredForm(effect.kind, effect.doc, fresh.version ?? newElementVersion);
      // The revision's few bytes fit in the room storable-json.ts keeps below the limit.
      const stored = { ...form.stored, revision };
      return { action: 'put', kind: effect.kind, id: effect.id, stored, elements: form.elements, ...(dropVersion ? { dropVersion } : {}), ...expected };
    }
    case 'patch': {
      const patches = [...effect.elements].sort(([a], [b]) => a - b).map(([position, element]) => ({ position, idShort: elementIdShort(element), element }));
      for (const { position, idShort, element } of patches) {
        const elementDoc: StoredElement = { submodelId: effect.id, version: effect.version, position, idShort, element };
        assertFitsInOneDocument(elementDoc, `Element '${idShort ?? ''}' of Submodel '${effect.id}'`);
      }
      return { action: 'patch', kind: 'submodels', id: effect.id, version: effect.version, patches, revision, expected: effect.previous.revision };
    }
    case 'delete':
      return { action: 'delete', kind: effect.kind, id: effect.id, ...(dropVersion ? { dropVersion } : {}), expected: effect.previous.revision };
  }
}

/** True when the write changes exactly one MongoDB document (no elements involved), so it is atomic on its own. */
export function isSingleDocumentWrite(write: DocumentWrite): boolean {
  switch (write.action) {
    case 'put':
      return write.elements.length === 0 && write.dropVersion === undefined;
    case 'patch':
      return false;
    case 'delete':
      return write.dropVersion === undefined;
  }
}

/**
 * True for a replace of one element: its element document and then the header's revision, safe without journal
 * or transaction for a single writer (the order above; a failure in between is repaired by the writer).
 */
export function isOneElementPatch(write: DocumentWrite): boolean {
  return write.action === 'patch' && write.patches.length === 1;
}

/** The header write of `write`, unconditional and idempotent (the journal may repeat it); none for a non-final patch record. */
export function headerOperation(write: DocumentWrite): AnyBulkWriteOperation<StoredIdentifiable> | undefined {
  switch (write.action) {
    case 'put':
      return { replaceOne: { filter: { _id: write.id }, replacement: write.stored, upsert: true } };
    case 'patch':
      return write.revision === undefined ? undefined : { updateOne: { filter: { _id: write.id }, update: { $set: { revision: write.revision } } } };
    case 'delete':
      return { deleteOne: { filter: { _id: write.id } } };
  }
}

/**
 * The header write of `write`, conditional on the state the plan saw: an insert where the document was absent
 * (a duplicate key then says another writer created it), otherwise the revision the plan read.
 */
export function conditionalHeaderOperation(write: DocumentWrite): AnyBulkWriteOperation<StoredIdentifiable> {
  switch (write.action) {
    case 'put':
      if (write.expected === undefined) return { insertOne: { document: write.stored } };
      return { replaceOne: { filter: revisionFilter(write.id, write.expected), replacement: write.stored } };
    case 'patch':
      if (write.revision === undefined) throw new Error('A patch without its new revision cannot be applied conditionally');
      return { updateOne: { filter: revisionFilter(write.id, write.expected), update: { $set: { revision: write.revision } } } };
    case 'delete':
      return { deleteOne: { filter: revisionFilter(write.id, write.expected) } };
  }
}

/** Whether a single-operation bulk write of `operation` found its document as the plan expected. */
export function conditionHeld(operation: AnyBulkWriteOperation<StoredIdentifiable>, result: Pick<BulkWriteResult, 'insertedCount' | 'matchedCount' | 'deletedCount'>): boolean {
  if ('insertOne' in operation) return result.insertedCount === 1;
  if ('deleteOne' in operation) return result.deletedCount === 1;
  return result.matchedCount === 1;
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
  if (write.action === 'patch') {
    await targets.elements.bulkWrite(patchOperations(write.version, write.patches), { ...options, ordered: true });
    const header = headerOperation(write);
    if (header) await targets.identifiables('submodels').bulkWrite([header], { ...options, ordered: true });
    return;
  }
  await targets.identifiables(write.kind).bulkWrite([headerOperation(write)!], { ...options, ordered: true });
  if (write.dropVersion) await targets.elements.deleteMany({ version: write.dropVersion }, options);
}

/** A whole write, unconditional (see above), alone or with `options` (a journal step's write concern). */
export async function applyWrite(targets: WriteTargets, write: DocumentWrite, options: StepOptions = {}): Promise<void> {
  if (write.action === 'put') await insertElements(targets, write.elements, options);
  await applyAfterStaging(targets, write, options);
}

/**
 * A whole write, its header conditional on the plan's view: ConditionMissed (or a duplicate key error, for an
 * insert) when another writer got in between. Alone only for a single-document write; otherwise in a transaction
 * (`session`), which the error aborts, so no step of the write remains.
 */
export async function applyConditionally(targets: WriteTargets, write: DocumentWrite, options: StepOptions = {}): Promise<void> {
  const header = conditionalHeaderOperation(write);
  const headerWrite = async () => {
    const result = await targets.identifiables(write.kind).bulkWrite([header], { ...options, ordered: true });
    if (!conditionHeld(header, result)) throw new ConditionMissed(write.kind, write.id);
  };
  switch (write.action) {
    case 'put':
      await insertElements(targets, write.elements, options);
      await headerWrite();
      if (write.dropVersion) await targets.elements.deleteMany({ version: write.dropVersion }, options);
      return;
    case 'patch': {
      // Header first: a concurrent writer of the same submodel conflicts here, before any element is touched.
      await headerWrite();
      const result = await targets.elements.bulkWrite(patchOperations(write.version, write.patches), { ...options, ordered: true });
      if (result.matchedCount !== write.patches.length) throw new ConditionMissed(write.kind, write.id);
      return;
    }
    case 'delete':
      await headerWrite();
      if (write.dropVersion) await targets.elements.deleteMany({ version: write.dropVersion }, options);
      return;
  }
}
