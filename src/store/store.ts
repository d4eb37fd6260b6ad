/**
 * The store contract. Every backend (embedded SQLite, MongoDB) implements it and passes the shared contract
 * suite in test/store/. Filtering and paging happen inside the store, on indexes: no method loads a whole
 * collection to filter or page it in JavaScript.
 *
 * Documents are stored and returned as plain JSON in the Part 1 JSON serialization; the store never validates
 * them (services do) and never changes them (what goes in comes out, byte-for-byte equal after JSON round-trip).
 */
import type { Readable } from 'node:stream';
import type { AssetAdministrationShell, ConceptDescription, Reference, Submodel, SubmodelElement } from '../model/types.js';

/** One page of a list. `next` is the sort key to continue after; absent on the last page. */
export interface Page<T> {
  items: T[];
  next?: string;
}

/** `after` is the `next` of the previous page (the store's own sort key, opaque to callers). */
export interface PageRequest {
  limit: number;
  after?: string;
}

/** A name/value pair to match against a shell's specific asset ids; name `globalAssetId` matches the global one. */
export interface AssetIdCriterion {
  name: string;
  value: string;
}

export interface ShellFilter {
  /** Exact, case-sensitive idShort. */
  idShort?: string;
  /** Every criterion must match (AND), in any order. */
  assetIds?: AssetIdCriterion[];
}

/**
 * A semanticId criterion. A `reference` matches when it equals (type and keys; referredSemanticId ignored)
 * the semanticId or one of the supplementalSemanticIds; a `keyValue` matches when it equals the value of any
 * key of the semanticId or of a supplementalSemanticId.
 */
export type SemanticIdCriterion = { reference: Reference } | { keyValue: string };

export interface SubmodelFilter {
  idShort?: string;
  semanticId?: SemanticIdCriterion;
}

export interface ConceptDescriptionFilter {
  idShort?: string;
  /** Matches when equal (type and keys) to one of the concept description's isCaseOf references. */
  isCaseOf?: Reference;
  /** Matches when equal to the dataSpecification of one of its embeddedDataSpecifications. */
  dataSpecificationRef?: Reference;
}

/**
 * An AASX package uploaded through the AASX File Server API (`/packages`): the package's bytes are an attachment of
 * owner `{ kind: 'packages', id }`; this record names it and says what the package brought into the repositories.
 * Stored and written like an Identifiable (same batches, revisions and paging).
 */
export interface PackageRecord {
  id: string;
  /** The name of the package's bytes among the record's attachments (new for every version). */
  attachment: string;
  /** The file name the package was uploaded under (answered as X-FileName). */
  fileName: string;
  /** The shells and submodels the package holds (a later upload of the package may replace them). */
  aasIds: string[];
  submodelIds: string[];
}

export interface PackageFilter {
  /** Packages holding the shell with this id. */
  aasId?: string;
}

/**
 * A document with its revision: an opaque token that every write of the document changes (for a submodel, also
 * every write of one of its elements). A read-modify-write reads it and makes its write conditional on it
 * (WriteOp `ifRevision`), so that two writers (two server instances on one MongoDB) never lose an update silently.
 */
export interface Revised<T> {
  doc: T;
  revision: string;
}

/** One repository of Identifiables of one kind. */
export interface IdentifiableCollection<T extends { id: string }, F> {
  get(id: string): Promise<T | undefined>;
  /** `get` with the document's revision, for a read-modify-write. */
  getRevised(id: string): Promise<Revised<T> | undefined>;
  /** The documents with these ids that exist, in the order of `ids`. */
  getMany(ids: readonly string[]): Promise<T[]>;
  has(id: string): Promise<boolean>;
  /** Ordered by id (code-point order), deterministic across pages. */
  list(filter: F, page: PageRequest): Promise<Page<T>>;
  /**
   * `get` as JSON text: exactly `JSON.stringify` of the document `get` returns (compact), so a server can pass
   * a stored document through without parsing and serialising it again.
   */
  getJson(id: string): Promise<string | undefined>;
  /** `list` with every item as JSON text, as `getJson` gives it. */
  listJson(filter: F, page: PageRequest): Promise<Page<string>>;
  /** `list` as the documents' ids only (same pages and cursors), without reading the documents. */
  listIds(filter: F, page: PageRequest): Promise<Page<string>>;
  count(): Promise<number>;
}

/**
 * The submodels, with reads and writes of one top-level element that need not touch the rest of the submodel
 * (a backend that stores submodels whole may still do them on the whole document; the contract is the same).
 */
export interface SubmodelCollection extends IdentifiableCollection<Submodel, SubmodelFilter> {
  /**
   * The top-level element of the submodel whose idShort is `idShort` (the first one, should a stored document
   * hold several); undefined when the submodel or that element is absent.
   */
  getTopLevelElement(submodelId: string, idShort: string): Promise<SubmodelElement | undefined>;
  /** The submodel's current revision (see Revised); undefined when it is absent. */
  revision(submodelId: string): Promise<string | undefined>;
  /** The submodel without `submodelElements` ($metadata), without reading its elements. */
  getMetadata(submodelId: string): Promise<SubmodelMetadata | undefined>;
  /** `list` as `getMetadata` gives each submodel (same pages and cursors). */
  listMetadata(filter: SubmodelFilter, page: PageRequest): Promise<Page<SubmodelMetadata>>;
}

export type SubmodelMetadata = Omit<Submodel, 'submodelElements'>;

/**
 * A write in a batch. `create` fails with Conflict if the id exists, `update` with NotFound if it does not.
 * `submodelElement replace` puts `element` in the place (same position) of the submodel's top-level element whose
 * idShort is `element.idShort`; NotFound when the submodel or that element is absent.
 * `ifRevision` (update, replace): the op fails with StaleRevision when the document's (the submodel's) revision
 * before the batch is not that one; like any failing op, the whole batch then takes no effect. Several replaces of
 * one submodel in one batch may carry the same `ifRevision`.
 */
export type WriteOp =
  | { kind: 'shells'; op: 'create' | 'upsert'; doc: AssetAdministrationShell }
  | { kind: 'submodels'; op: 'create' | 'upsert'; doc: Submodel }
  | { kind: 'conceptDescriptions'; op: 'create' | 'upsert'; doc: ConceptDescription }
  | { kind: 'packages'; op: 'create' | 'upsert'; doc: PackageRecord }
  | { kind: 'shells'; op: 'update'; doc: AssetAdministrationShell; ifRevision?: string }
  | { kind: 'submodels'; op: 'update'; doc: Submodel; ifRevision?: string }
  | { kind: 'conceptDescriptions'; op: 'update'; doc: ConceptDescription; ifRevision?: string }
  | { kind: 'packages'; op: 'update'; doc: PackageRecord; ifRevision?: string }
  | { kind: 'shells' | 'submodels' | 'conceptDescriptions' | 'packages'; op: 'delete'; id: string }
  | { kind: 'submodelElement'; op: 'replace'; submodelId: string; element: SubmodelElement; ifRevision?: string };

/** A change another writer (another server instance on the same store) made, as the services' events name it. */
export interface RemoteChange {
  type: 'created' | 'updated' | 'deleted';
  kind: 'shells' | 'submodels' | 'conceptDescriptions';
  id: string;
}

/**
 * What one op of a batch did: `created` or `updated` for writes (`updated` for an element replace), `deleted` or
 * `absent` for deletes.
 */
export type WriteOutcome = 'created' | 'updated' | 'deleted' | 'absent';

/**
 * The document an attachment belongs to: a shell (its thumbnail), a submodel (its File elements) or a package record
 * (the package's bytes).
 */
export interface AttachmentOwner {
  kind: 'shells' | 'submodels' | 'packages';
  id: string;
}

/** An attachment is named within its owner; the services use the path recorded in File.value / Resource.path. */
export interface AttachmentKey {
  owner: AttachmentOwner;
  name: string;
}

export interface AttachmentMeta {
  contentType: string;
  fileName: string;
}

export interface StoredAttachment extends AttachmentMeta {
  /** The bytes, streamed; the reader must consume or destroy it. */
  content: Readable;
  size: number;
}

/** Content written in full (durably) but not yet visible under any key: the first half of `put`. */
export interface StagedAttachment {
  readonly size: number;
  /** Makes the content visible under `key` (replacing what was there, atomically). At most once. */
  commit(key: AttachmentKey, meta: AttachmentMeta): Promise<void>;
  /** Drops uncommitted content; a no-op after `commit` or a second `discard`. */
  discard(): Promise<void>;
}

/**
 * Bytes of File elements and thumbnails, streamed in and out: no method holds a whole attachment in memory.
 * The store does not look inside documents: which attachments a document still references is the services'
 * business (they drop the rest, see services/attachment-sweep.ts); the store keeps bytes until told otherwise.
 */
export interface AttachmentStore {
  /**
   * Reads `content` to its end into durable storage. Beyond `maxBytes` it stops reading, keeps nothing and
   * rejects with PayloadTooLarge; a failing `content` stream rejects with its error and keeps nothing. Content
   * staged but never committed (a crash, a lost process) is removed when the store opens next.
   */
  stage(content: Readable, maxBytes: number): Promise<StagedAttachment>;
  /** `stage` then `commit`: once resolved, `get(key)` returns exactly these bytes and meta. */
  put(key: AttachmentKey, content: Readable, meta: AttachmentMeta, maxBytes: number): Promise<{ size: number }>;
  get(key: AttachmentKey): Promise<StoredAttachment | undefined>;
  /** True when there was an attachment to delete. */
  delete(key: AttachmentKey): Promise<boolean>;
  /** The names of an owner's attachments, in code-point order. */
  names(owner: AttachmentOwner): Promise<string[]>;
  /** Every owner that has at least one attachment (for the start-up sweep). */
  owners(): Promise<AttachmentOwner[]>;
}

/**
 * Configuration documents kept beside the model, each under a unique id: the asset connections made over REST.
 * A handful per server, so no paging. Every method is atomic, and durable once it resolves.
 */
export interface ConfigDocumentCollection<T extends { id: string }> {
  get(id: string): Promise<T | undefined>;
  /** All documents, ordered by id (code-point order). */
  list(): Promise<T[]>;
  /** `create` fails with Conflict when the id exists, `update` with NotFound when it does not. */
  put(doc: T, op: 'create' | 'update'): Promise<void>;
  /** True when there was a document to delete. */
  delete(id: string): Promise<boolean>;
}

export interface AasStore {
  readonly shells: IdentifiableCollection<AssetAdministrationShell, ShellFilter>;
  readonly submodels: SubmodelCollection;
  readonly conceptDescriptions: IdentifiableCollection<ConceptDescription, ConceptDescriptionFilter>;
  /** Records of the AASX packages uploaded through `/packages`. */
  readonly packages: IdentifiableCollection<PackageRecord, PackageFilter>;
  readonly attachments: AttachmentStore;
  /** Asset connections (connectors/opcua) created over REST, as JSON objects with a string `id`. */
  readonly assetConnections: ConfigDocumentCollection<{ id: string }>;

  /**
   * Applies all ops atomically, in order: either every op takes effect or none does (the first failing op's
   * error is thrown: Conflict for `create` of an existing id, NotFound for `update` of a missing one or for an
   * element replace whose submodel or element is missing). Once the
   * promise resolves, the batch is durable (it survives a crash or `kill -9` of the process).
   */
  write(ops: readonly WriteOp[]): Promise<WriteOutcome[]>;

  /**
   * Changes other server instances make to this store, where the store can tell (MongoDB replica set: change
   * streams). Absent where one process is the only writer (embedded), silent where the deployment cannot report
   * them (standalone MongoDB, whose one writing instance has no one to hear from). The server's own writes are
   * not reported here.
   */
  readonly remoteChanges?: { subscribe(listener: (change: RemoteChange) => void): () => void };

  /** Resolves when the store can serve requests; rejects with the reason when it cannot (used by /ready). */
  ping(): Promise<void>;

  /** True when the store holds no shell, submodel or concept description (demo data is loaded only then). */
  isEmpty(): Promise<boolean>;

  close(): Promise<void>;
}
