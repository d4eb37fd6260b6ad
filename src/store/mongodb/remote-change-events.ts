/**
 * Which change-stream events are other instances' changes, and what they mean for the store contract's
 * `remoteChanges` (no I/O here; remote-changes.ts runs the stream).
 *
 * One stream on the database watches the three collections of Identifiables. Submodel element documents are not
 * watched: every element replace also writes its submodel header's revision, which arrives as an `update` of the
 * submodel, and that is what the contract reports ("updated" of the submodel).
 *
 * Own writes are told apart by the writer prefix of the revision every write sets (revisions.ts):
 * - insert and replace events carry the whole document (`fullDocument.revision`);
 * - update events carry the changed fields; the revision changes with every write, so it is always among them
 *   (a separate writer field would not be: MongoDB leaves out a field set to the value it already had);
 * - delete events carry nothing but the id. Own deletes are therefore announced to `OwnDeletes` before they are
 *   written, and the event of each is consumed there instead of being reported.
 * The filter runs in the server (the `$match`), and a `$project` drops the documents from the events, so the
 * stream carries a few hundred bytes per change, whatever the documents' size.
 */
import type { Document } from 'mongodb';
import type { RemoteChange } from '../store.js';
import type { IdentifiableKind } from './document-layout.js';
import { COLLECTIONS } from './index-definitions.js';

const KIND_OF_COLLECTION = new Map<string, RemoteChange['kind']>([
  [COLLECTIONS.shells, 'shells'],
  [COLLECTIONS.submodels, 'submodels'],
  [COLLECTIONS.conceptDescriptions, 'conceptDescriptions'],
]);
const WATCHED_KINDS = new Set<IdentifiableKind>(KIND_OF_COLLECTION.values());

/** A revision this writer made: its tag, then the dot (revisions.ts `newRevision`). Tags are hex, nothing to escape. */
function ownRevision(writer: string): RegExp {
  if (!/^[0-9a-f]+$/.test(writer)) throw new Error(`A writer tag is hex, not '${writer}'`);
  return new RegExp(`^${writer}\\.`);
}

/** The aggregation pipeline of the change stream of the instance whose revisions start with `writer`. */
export function remoteChangePipeline(writer: string): Document[] {
  const own = ownRevision(writer);
  return [
    {
      $match: {
        'ns.coll': { $in: [...KIND_OF_COLLECTION.keys()] },
        $or: [
          { operationType: { $in: ['insert', 'replace'] }, 'fullDocument.revision': { $not: own } },
          { operationType: 'update', 'updateDescription.updatedFields.revision': { $not: own } },
          { operationType: 'delete' },
        ],
      },
    },
    // `_id` is the resume token and must stay; the rest is all the mapping needs.
    { $project: { _id: 1, operationType: 1, ns: 1, documentKey: 1 } },
  ];
}

/** The parts of a change event the mapping reads. */
export interface ChangeEventView {
  operationType?: unknown;
  ns?: { coll?: unknown } | null;
  documentKey?: { _id?: unknown } | null;
}

const TYPE_OF_OPERATION: Record<string, RemoteChange['type']> = {
  insert: 'created',
  replace: 'updated',
  update: 'updated',
  delete: 'deleted',
};

/** The change an event reports; undefined for events of other collections or kinds (drop, rename, …). */
export function toRemoteChange(event: ChangeEventView): RemoteChange | undefined {
  const type = typeof event.operationType === 'string' ? TYPE_OF_OPERATION[event.operationType] : undefined;
  const kind = typeof event.ns?.coll === 'string' ? KIND_OF_COLLECTION.get(event.ns.coll) : undefined;
  const id = event.documentKey?._id;
  if (type === undefined || kind === undefined || typeof id !== 'string') return undefined;
  return { type, kind, id };
}

/** How long an announced own delete waits for its event before it is forgotten (the stream was down meanwhile). */
export const OWN_DELETE_TTL_MS = 10 * 60_000;

/**
 * The deletes this instance is making or has made and whose change events have not arrived yet. A delete is
 * announced before it is written (its event can arrive before the write's reply) and withdrawn if the write fails.
 * Inactive (announcing does nothing) while nobody listens to remote changes.
 */
export class OwnDeletes {
  private readonly expected = new Map<string, number[]>();
  active = false;

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Announces a delete of `kind`/`id`; the returned function withdraws it (the write failed). Kinds the stream does
   * not watch (package records) have no event to expect.
   */
  announce(kind: IdentifiableKind, id: string): () => void {
    if (!this.active || !WATCHED_KINDS.has(kind)) return () => undefined;
    this.forgetExpired();
    const key = keyOf(kind, id);
    const at = this.now();
    const list = this.expected.get(key) ?? [];
    list.push(at);
    this.expected.set(key, list);
    let withdrawn = false;
    return () => {
      if (withdrawn) return;
      withdrawn = true;
      const current = this.expected.get(key);
      const index = current?.indexOf(at) ?? -1;
      if (current === undefined || index < 0) return;
      current.splice(index, 1);
      if (current.length === 0) this.expected.delete(key);
    };
  }

  /** True (and forgotten) when a delete event of `kind`/`id` is one this instance announced. */
  consume(kind: IdentifiableKind, id: string): boolean {
    this.forgetExpired();
    const key = keyOf(kind, id);
    const list = this.expected.get(key);
    if (list === undefined) return false;
    list.shift();
    if (list.length === 0) this.expected.delete(key);
    return true;
  }

  /** Announced deletes whose events are still to come. */
  get size(): number {
    let n = 0;
    for (const list of this.expected.values()) n += list.length;
    return n;
  }

  clear(): void {
    this.expected.clear();
  }

  private forgetExpired(): void {
    const oldest = this.now() - OWN_DELETE_TTL_MS;
    for (const [key, list] of this.expected) {
      while (list.length > 0 && list[0] < oldest) list.shift();
      if (list.length === 0) this.expected.delete(key);
    }
  }
}

const keyOf = (kind: IdentifiableKind, id: string) => `${kind}\u0000${id}`;
