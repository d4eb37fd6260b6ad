/**
 * Revisions of stored documents (store contract: `Revised`, WriteOp `ifRevision`), and the conditions that make a
 * write take effect only on the state it was planned against.
 *
 * A revision is `<writer>.<uuid>`: a fresh random UUID per write, so a document never gets a revision it had
 * before, even after it was deleted and created again (a counter would start over); the prefix names the store
 * instance that wrote it, which lets the change stream tell this instance's own writes from other instances'
 * (remote-change-events.ts) without a second field. Revisions are opaque to callers.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IdentifiableKind } from './document-layout.js';

/** A short random name of one store instance (one `openMongoStore`), used as the prefix of its revisions. */
export function newWriterTag(): string {
  return randomBytes(8).toString('hex');
}

export function newRevision(writer: string): string {
  return `${writer}.${randomUUID()}`;
}

/** The writer prefix of a revision this store made (undefined for anything else). */
export function writerOfRevision(revision: string): string | undefined {
  const dot = revision.indexOf('.');
  return dot > 0 ? revision.slice(0, dot) : undefined;
}

/**
 * The revision reported for a document stored before revisions existed (no `revision` field). Its next write gives
 * it a real one; a condition on this value matches only a document that still has none.
 */
export const UNREVISED = 'unrevised';

export function revisionOf(stored: { revision?: string | null }): string {
  return typeof stored.revision === 'string' ? stored.revision : UNREVISED;
}

/** The filter of one stored document (by `_id`) whose revision is still `expected`. */
export function revisionFilter(id: string, expected: string): { _id: string; revision: string | { $exists: false } } {
  return { _id: id, revision: expected === UNREVISED ? { $exists: false } : expected };
}

/**
 * A conditional write found the document not in the state its batch was planned against (another writer got in
 * between). Internal: the batch writer plans again, where the op then fails as it should (StaleRevision for an
 * `ifRevision` that no longer holds, Conflict for a create of an id that now exists) or succeeds on the new state.
 */
export class ConditionMissed extends Error {
  constructor(
    readonly kind: IdentifiableKind,
    readonly id: string,
  ) {
    super(`The ${kind} document '${id}' changed while the write was applied`);
    this.name = 'ConditionMissed';
  }
}
