/**
 * Planning a batch: which op fails (the first failing op's error, as the contract says), what each op reports,
 * and the net effect of the whole batch on each document, before anything is written.
 *
 * The plan reads the current state through a `PlanReader` (existence of ids, an element's position) and keeps
 * the batch's own writes in an overlay, so op n sees ops 1..n-1. Effects are collapsed per document: a document
 * created and then updated in one batch is one put of the final document; an element replaced and then the whole
 * submodel rewritten is one put. That keeps every batch a short, idempotent list of document writes, which is what
 * the journal (batch-journal.ts) and transactions (batch-writer.ts) apply.
 *
 * Revisions: an op's `ifRevision` is compared with the document's revision as the reader saw it before the batch
 * (the contract's "revision before the batch"), so several replaces of one submodel may carry the same one. Every
 * effect also keeps the revision it was planned against (`previous`), so that a writer without exclusive access
 * (several server instances, batch-writer.ts) can make each write conditional on it.
 *
 * No I/O here beyond the reader, so the rules are unit-tested with an in-memory reader.
 */
import { BadRequest, Conflict, NotFound, StaleRevision } from '../../errors.js';
import type { WriteOp, WriteOutcome } from '../store.js';
import { KIND_LABELS, type ElementLayout, type IdentifiableKind } from './document-layout.js';
import { MAX_DOCUMENT_DEPTH, toStorableJson } from './storable-json.js';

/** A document as it is stored now: its revision, and for submodels the element layout (null when not split). */
export interface ExistingDocument {
  layout: ElementLayout | null;
  revision: string;
}

export interface PlanReader {
  /** The ids of `kind` among `ids` that exist now. */
  existing(kind: IdentifiableKind, ids: readonly string[]): Promise<Map<string, ExistingDocument>>;
  /** The position of the first element named `idShort` in the element set `version`; undefined if none. */
  elementPosition(version: string, idShort: string): Promise<number | undefined>;
}

export type Effect =
  /** Store `doc` (normalised JSON) under its id; `previous` is what it replaces, if anything. */
  | { action: 'put'; kind: IdentifiableKind; id: string; doc: Record<string, unknown>; previous?: ExistingDocument }
  /** Replace elements of the stored submodel's current element set, by position. */
  | { action: 'patch'; kind: 'submodels'; id: string; version: string; elements: Map<number, Record<string, unknown>>; previous: ExistingDocument }
  | { action: 'delete'; kind: IdentifiableKind; id: string; previous: ExistingDocument };

export interface BatchPlan {
  outcomes: WriteOutcome[];
  effects: Effect[];
}

/** Elements sit two levels below their submodel (submodel → submodelElements → element). */
const MAX_ELEMENT_DEPTH = MAX_DOCUMENT_DEPTH - 2;

interface Slot {
  kind: IdentifiableKind;
  id: string;
  /** The state before the batch; undefined when absent. */
  previous?: ExistingDocument;
  exists: boolean;
  /** Set when the batch writes the whole document. */
  doc?: Record<string, unknown>;
  /** Element replaces on the stored element set, when the batch does not write the whole document. */
  patches?: Map<number, Record<string, unknown>>;
}

const slotKey = (kind: IdentifiableKind, id: string) => `${kind}\u0000${id}`;

function kindOf(op: WriteOp): IdentifiableKind {
  if (op.kind === 'submodelElement') return 'submodels';
  if (op.kind === 'shells' || op.kind === 'submodels' || op.kind === 'conceptDescriptions' || op.kind === 'packages') return op.kind;
  throw new BadRequest(`Unknown kind of document: ${String((op as { kind: unknown }).kind)}`);
}

function idOf(op: WriteOp): string {
  let id: unknown;
  if (op.kind === 'submodelElement') id = op.submodelId;
  else if (op.op === 'delete') id = op.id;
  else id = (op.doc as { id?: unknown } | null)?.id;
  if (typeof id !== 'string') throw new BadRequest(`A ${KIND_LABELS[kindOf(op)]} to store has no string id`);
  return id;
}

export async function planBatch(ops: readonly WriteOp[], reader: PlanReader): Promise<BatchPlan> {
  // One existence lookup per kind for the whole batch (ids that fail the checks above fail below, in op order).
  const idsByKind = new Map<IdentifiableKind, Set<string>>();
  for (const op of ops) {
    let kind: IdentifiableKind;
    let id: string;
    try {
      kind = kindOf(op);
      id = idOf(op);
    } catch {
      continue;
    }
    if (!idsByKind.has(kind)) idsByKind.set(kind, new Set());
    idsByKind.get(kind)!.add(id);
  }
  const existing = new Map<string, ExistingDocument>();
  for (const [kind, ids] of idsByKind) {
    for (const [id, doc] of await reader.existing(kind, [...ids])) existing.set(slotKey(kind, id), doc);
  }

  const slots = new Map<string, Slot>();
  const slotFor = (kind: IdentifiableKind, id: string): Slot => {
    const key = slotKey(kind, id);
    let slot = slots.get(key);
    if (slot === undefined) {
      const previous = existing.get(key);
      slot = { kind, id, previous, exists: previous !== undefined };
      slots.set(key, slot);
    }
    return slot;
  };

  const outcomes: WriteOutcome[] = [];
  for (const op of ops) {
    const kind = kindOf(op);
    const id = idOf(op);
    const label = KIND_LABELS[kind];
    if (op.kind === 'submodelElement') {
      if (op.op !== 'replace') throw new BadRequest(`Unknown element operation: ${String((op as { op: unknown }).op)}`);
      await replaceElement(slotFor(kind, id), op.element, op.ifRevision, reader);
      outcomes.push('updated');
      continue;
    }
    const slot = slotFor(kind, id);
    switch (op.op) {
      case 'delete':
        outcomes.push(slot.exists ? 'deleted' : 'absent');
        Object.assign(slot, { exists: false, doc: undefined, patches: undefined });
        continue;
      case 'create':
        if (slot.exists) throw new Conflict(`A ${label} with id '${id}' already exists`);
        outcomes.push('created');
        break;
      case 'update':
        if (!slot.exists) throw new NotFound(`No ${label} with id '${id}'`);
        checkRevision(slot, op.ifRevision);
        outcomes.push('updated');
        break;
      case 'upsert':
        outcomes.push(slot.exists ? 'updated' : 'created');
        break;
      default:
        throw new BadRequest(`Unknown write operation: ${String((op as { op: unknown }).op)}`);
    }
    const doc = toStorableJson(op.doc, `${label} '${id}'`);
    Object.assign(slot, { exists: true, doc, patches: undefined });
  }
  return { outcomes, effects: [...slots.values()].flatMap(effectOf) };
}

/** StaleRevision unless the document's revision before the batch is `ifRevision` (when one is given). */
function checkRevision(slot: Slot, ifRevision: string | undefined): void {
  if (ifRevision === undefined || slot.previous?.revision === ifRevision) return;
  throw new StaleRevision(`${KIND_LABELS[slot.kind]} '${slot.id}' was changed by another writer since it was read`);
}

async function replaceElement(slot: Slot, element: unknown, ifRevision: string | undefined, reader: PlanReader): Promise<void> {
  const idShort = (element as { idShort?: unknown } | null)?.idShort;
  if (typeof idShort !== 'string') throw new BadRequest('A top-level element to replace has no string idShort');
  if (!slot.exists) throw new NotFound(`No Submodel with id '${slot.id}'`);
  // Before the element lookup: on a changed submodel the element may be gone, and "stale" is the useful answer.
  checkRevision(slot, ifRevision);
  const missing = () => new NotFound(`Submodel '${slot.id}' has no top-level element '${idShort}'`);
  const stored = toStorableJson(element, `Element '${idShort}' of Submodel '${slot.id}'`, MAX_ELEMENT_DEPTH);
  if (slot.doc !== undefined) {
    // Written earlier in this batch: replace in the document the batch will store.
    const elements = slot.doc.submodelElements;
    const at = Array.isArray(elements) ? elements.findIndex((e) => (e as { idShort?: unknown } | null)?.idShort === idShort) : -1;
    if (at < 0) throw missing();
    (elements as unknown[])[at] = stored;
    return;
  }
  const layout = slot.previous?.layout;
  if (!layout) throw missing();
  // Replaces keep the idShort, so the stored index still finds the first element of that name.
  const position = await reader.elementPosition(layout.version, idShort);
  if (position === undefined) throw missing();
  slot.patches ??= new Map();
  slot.patches.set(position, stored);
}

function effectOf(slot: Slot): Effect[] {
  const { kind, id, previous } = slot;
  if (!slot.exists) return previous === undefined ? [] : [{ action: 'delete', kind, id, previous }];
  if (slot.doc !== undefined) return [{ action: 'put', kind, id, doc: slot.doc, previous }];
  if (slot.patches !== undefined && previous?.layout) {
    return [{ action: 'patch', kind: 'submodels', id, version: previous.layout.version, elements: slot.patches, previous }];
  }
  return [];
}
