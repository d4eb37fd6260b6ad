/**
 * The collections of the MongoDB store and every index on them, with the query each index serves. Created at
 * start-up with `createIndexes`, which is idempotent for an identical definition, so every start may run it.
 * docs/mongodb.md lists the same table for operators.
 *
 * No index sets a collation: strings then compare by their UTF-8 bytes, which is Unicode code-point order, the
 * order the store contract promises for ids and attachment names.
 */
import type { IndexDescription } from 'mongodb';

export const COLLECTIONS = {
  shells: 'shells',
  submodels: 'submodels',
  submodelElements: 'submodelElements',
  conceptDescriptions: 'conceptDescriptions',
  /** Records of uploaded AASX packages, stored like the Identifiables. */
  packages: 'packages',
  assetConnections: 'assetConnections',
  /** At most one document: the batch in progress (batch-journal.ts). */
  batchJournal: 'batchJournal',
  /** The staged writes of that batch. */
  batchStaging: 'batchStaging',
  /** At most one document: which server instance may write, where one writes at a time (writer-lease.ts). */
  writerLease: 'writerLease',
  /** One document per live store instance, where several write (instance-heartbeat.ts). */
  instances: 'instances',
  /** Attachment key → GridFS file. */
  attachmentKeys: 'attachmentKeys',
  /** GridFS files that may be garbage: staged and not yet committed, or replaced and not yet deleted. */
  attachmentPending: 'attachmentPending',
} as const;

/** The GridFS bucket of attachment bytes: collections `attachments.files` and `attachments.chunks`. */
export const ATTACHMENT_BUCKET = 'attachments';

export interface CollectionIndexes {
  collection: string;
  indexes: IndexDescription[];
  /** Which queries use them (for docs and tests; MongoDB ignores it). */
  serves: string;
}

/** Indexes of a collection of Identifiables (shells, submodel headers, concept descriptions). */
function identifiableIndexes(collection: string): CollectionIndexes {
  return {
    collection,
    indexes: [
      { key: { idShort: 1, _id: 1 }, name: 'idShort_id' },
      // Multikey: one entry per term of a document (asset ids, semantic ids, isCaseOf, data specifications).
      { key: { terms: 1, _id: 1 }, name: 'terms_id' },
    ],
    serves: 'get/has/getMany by _id (built-in unique _id index); list pages by idShort or by a term, in id order',
  };
}

export const INDEX_DEFINITIONS: readonly CollectionIndexes[] = [
  identifiableIndexes(COLLECTIONS.shells),
  identifiableIndexes(COLLECTIONS.submodels),
  identifiableIndexes(COLLECTIONS.conceptDescriptions),
  {
    collection: COLLECTIONS.packages,
    // Multikey: one entry per shell the package holds.
    indexes: [{ key: { terms: 1, _id: 1 }, name: 'terms_id' }],
    serves: 'get by _id (built-in unique _id index); list pages of the packages holding a shell, in id order',
  },
  {
    collection: COLLECTIONS.submodelElements,
    indexes: [
      // Versions are unique per header write, so (version, position) is unique; it orders a submodel's elements.
      { key: { version: 1, position: 1 }, name: 'version_position', unique: true },
      { key: { version: 1, idShort: 1, position: 1 }, name: 'version_idShort_position' },
    ],
    serves:
      'all elements of a submodel in order, for a page of submodels ($in over versions); one element by idShort ' +
      '(the first by position); an element replace by (version, position); dropping a replaced version',
  },
  {
    collection: COLLECTIONS.batchStaging,
    indexes: [{ key: { batch: 1, seq: 1 }, name: 'batch_seq', unique: true }],
    serves: 'rolling a batch forward in op order, rolling it back, dropping its staged records',
  },
  {
    collection: COLLECTIONS.attachmentKeys,
    indexes: [
      { key: { ownerKind: 1, ownerId: 1, name: 1 }, name: 'owner_name', unique: true },
      { key: { fileId: 1 }, name: 'fileId' },
    ],
    serves: 'get/commit/delete by key; names of an owner in order; owners(); is a GridFS file still referenced',
  },
  {
    collection: COLLECTIONS.instances,
    // TTL: MongoDB removes an instance's document a day after its last beat (it died without a clean close).
    indexes: [{ key: { renewedAt: 1 }, name: 'renewedAt_ttl', expireAfterSeconds: 86_400 }],
    serves: 'removing the heartbeat documents of instances that died long ago (liveness itself is read by _id scan)',
  },
  {
    // The indexes the GridFS specification asks for, under the names the driver gives them when it creates them
    // itself on a first upload (another name for the same keys would be refused as a conflicting index).
    collection: `${ATTACHMENT_BUCKET}.files`,
    indexes: [{ key: { filename: 1, uploadDate: 1 } }],
    serves: 'GridFS (the driver looks files up by _id; the index is the one the GridFS spec requires)',
  },
  {
    collection: `${ATTACHMENT_BUCKET}.chunks`,
    indexes: [{ key: { files_id: 1, n: 1 }, unique: true }],
    serves: 'GridFS downloads (chunks of a file in order) and deleting the chunks of a file',
  },
];
