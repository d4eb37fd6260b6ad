/**
 * The embedded store: one SQLite file, `<dataDir>/aas.sqlite`, through better-sqlite3.
 *
 * Durability: WAL journal with `synchronous = FULL`, so a commit returns only after the WAL is fsynced; a batch
 * that `write()` acknowledged survives kill -9 and power loss. Each batch is one transaction (all or nothing).
 *
 * Exclusivity: `locking_mode = EXCLUSIVE` makes the connection hold the file lock for its whole life (released
 * by the OS when the process dies, so no stale lock after a crash). A second server on the same directory fails
 * at startup with `DataDirectoryInUse` instead of both writing to one file.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { BadRequest, Conflict, NotFound, StaleRevision } from '../../errors.js';
import type { AssetAdministrationShell, ConceptDescription } from '../../model/types.js';
import type {
  AasStore,
  ConceptDescriptionFilter,
  PackageFilter,
  PackageRecord,
  ShellFilter,
  WriteOp,
  WriteOutcome,
} from '../store.js';
import {
  conceptDescriptionFilterTerms,
  conceptDescriptionTerms,
  packageFilterTerms,
  packageTerms,
  shellFilterTerms,
  shellTerms,
  submodelFilterTerms,
  submodelTerms,
} from './index-terms.js';
import { AttachmentFiles } from './attachment-files.js';
import { SqliteConfigDocuments } from './config-documents.js';
import { CONCEPT_DESCRIPTION_TABLES, PACKAGE_TABLES, SHELL_TABLES, SUBMODEL_TABLES, ensureSchema, type KindTables } from './schema.js';
import { SqliteCollection } from './sqlite-collection.js';
import { SqliteSubmodelCollection } from './submodel-collection.js';

export const DATABASE_FILE_NAME = 'aas.sqlite';

/** Another process (or another store in this process) has the data directory open. */
export class DataDirectoryInUse extends Error {
  constructor(readonly file: string) {
    super(
      `The embedded store ${file} is locked by another process. Two servers cannot share one data directory; ` +
        'stop the other server or give this one its own data directory.',
    );
    this.name = 'DataDirectoryInUse';
  }
}

export interface EmbeddedStoreOptions {
  dataDir: string;
  /** Memory for assembled submodel texts (bytes, approximately); default 64 MiB, 0 turns the cache off. */
  cacheBytes?: number;
}

const DEFAULT_CACHE_BYTES = 64 * 1024 ** 2;

type Kind = Exclude<WriteOp['kind'], 'submodelElement'>;

/** Names used in error messages (the Part 1 class names). */
const KIND_LABELS: Record<Kind, string> = {
  shells: 'AssetAdministrationShell',
  submodels: 'Submodel',
  conceptDescriptions: 'ConceptDescription',
  packages: 'AASX package',
};

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code === 'SQLITE_BUSY' || code.startsWith('SQLITE_BUSY_'));
}

function configure(db: Database.Database): void {
  // Order matters: EXCLUSIVE before the first access to the WAL keeps the WAL index in process memory (no -shm
  // file) and takes the lock that keeps other processes out.
  db.pragma('locking_mode = EXCLUSIVE');
  const mode = db.pragma('journal_mode = WAL', { simple: true });
  if (mode !== 'wal') throw new Error(`SQLite refused WAL journal mode (got ${String(mode)})`);
  db.pragma('synchronous = FULL');
  // macOS: fsync() does not flush the drive's cache; F_FULLFSYNC does. No effect elsewhere.
  db.pragma('fullfsync = ON');
  db.pragma('checkpoint_fullfsync = ON');
  // After a checkpoint, shrink a WAL that a large import grew (it is otherwise kept at its largest size).
  db.pragma('journal_size_limit = 67108864');
  // Reads through a memory map (up to 256 MiB of the file) skip a read() per page: at 100k documents this keeps a
  // page of a list as fast as at 1k. Writes still go through the WAL.
  db.pragma('mmap_size = 268435456');
  // A write transaction takes the exclusive lock now, at startup, rather than at the first client write.
  db.transaction(() => ensureSchema(db)).immediate();
}

export async function openEmbeddedStore(options: EmbeddedStoreOptions): Promise<AasStore> {
  await mkdir(options.dataDir, { recursive: true });
  const file = join(options.dataDir, DATABASE_FILE_NAME);
  // timeout 0: a locked file means a second server, which waiting will not fix.
  const db = new Database(file, { timeout: 0 });
  try {
    configure(db);
  } catch (error) {
    db.close();
    throw isBusy(error) ? new DataDirectoryInUse(file) : error;
  }
  const store = new SqliteStore(db, options.dataDir, options.cacheBytes ?? DEFAULT_CACHE_BYTES);
  try {
    // Only after the lock is ours: another server's in-flight uploads must never be taken for crash leftovers.
    await store.attachments.recover();
  } catch (error) {
    db.close();
    throw error;
  }
  return store;
}

class SqliteStore implements AasStore {
  readonly shells: SqliteCollection<AssetAdministrationShell, ShellFilter>;
  readonly submodels: SqliteSubmodelCollection;
  readonly conceptDescriptions: SqliteCollection<ConceptDescription, ConceptDescriptionFilter>;
  readonly packages: SqliteCollection<PackageRecord, PackageFilter>;
  readonly attachments: AttachmentFiles;
  readonly assetConnections: SqliteConfigDocuments<{ id: string }>;
  private readonly applyBatch: (ops: readonly WriteOp[]) => WriteOutcome[];
  private readonly selectOne: Database.Statement;
  private readonly selectEmpty: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    dataDir: string,
    cacheBytes: number,
  ) {
    this.shells = new SqliteCollection(db, SHELL_TABLES, {
      documentTerms: shellTerms,
      filterTerms: shellFilterTerms,
    });
    // UTF-16: two bytes a code unit.
    this.submodels = new SqliteSubmodelCollection(db, { documentTerms: submodelTerms, filterTerms: submodelFilterTerms }, Math.floor(cacheBytes / 2));
    this.conceptDescriptions = new SqliteCollection(db, CONCEPT_DESCRIPTION_TABLES, {
      documentTerms: conceptDescriptionTerms,
      filterTerms: conceptDescriptionFilterTerms,
    });
    this.packages = new SqliteCollection(db, PACKAGE_TABLES, { documentTerms: packageTerms, filterTerms: packageFilterTerms });
    this.attachments = new AttachmentFiles(db, dataDir);
    this.assetConnections = new SqliteConfigDocuments(db, 'asset_connections', 'asset connection');
    // A throw inside rolls the whole batch back (better-sqlite3 transactions), so no op of a failed batch stays.
    // Revision conditions are checked first: they refer to the revisions before the batch.
    this.applyBatch = db.transaction((ops: readonly WriteOp[]) => {
      for (const op of ops) this.checkRevision(op);
      return ops.map((op) => this.apply(op));
    }).immediate;
    this.selectOne = db.prepare('SELECT 1').pluck();
    const anyIn = (tables: KindTables) => `EXISTS (SELECT 1 FROM ${tables.docs})`;
    this.selectEmpty = db
      .prepare(`SELECT NOT (${[SHELL_TABLES, SUBMODEL_TABLES, CONCEPT_DESCRIPTION_TABLES].map(anyIn).join(' OR ')})`)
      .pluck();
  }

  async write(ops: readonly WriteOp[]): Promise<WriteOutcome[]> {
    if (ops.length === 0) return [];
    return this.applyBatch(ops);
  }

  async ping(): Promise<void> {
    if (this.selectOne.get() !== 1) throw new Error('The embedded store answered a trivial query wrongly');
  }

  async isEmpty(): Promise<boolean> {
    return this.selectEmpty.get() === 1;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private collection(kind: Kind): SqliteCollection<{ id: string }, unknown> {
    switch (kind) {
      case 'shells':
        return this.shells as SqliteCollection<{ id: string }, unknown>;
      case 'submodels':
        return this.submodels as SqliteCollection<{ id: string }, unknown>;
      case 'conceptDescriptions':
        return this.conceptDescriptions as SqliteCollection<{ id: string }, unknown>;
      case 'packages':
        return this.packages as SqliteCollection<{ id: string }, unknown>;
      default:
        throw new BadRequest(`Unknown kind of document: ${String(kind)}`);
    }
  }

  private checkRevision(op: WriteOp): void {
    if (!('ifRevision' in op) || op.ifRevision === undefined) return;
    const [collection, id] = op.kind === 'submodelElement' ? [this.submodels, op.submodelId] : [this.collection(op.kind), op.doc.id];
    const current = collection.revisionOf(id);
    // An absent document fails as the op itself would (NotFound), not as stale.
    if (current !== undefined && current !== op.ifRevision) {
      throw new StaleRevision(`${op.kind === 'submodelElement' ? 'Submodel' : KIND_LABELS[op.kind]} '${id}' was changed by another writer since it was read`);
    }
  }

  private apply(op: WriteOp): WriteOutcome {
    if (op.kind === 'submodelElement') {
      if (op.op !== 'replace') throw new BadRequest(`Unknown element operation: ${String((op as { op: unknown }).op)}`);
      this.submodels.replaceTopLevelElement(op.submodelId, op.element);
      return 'updated';
    }
    const collection = this.collection(op.kind);
    const label = KIND_LABELS[op.kind];
    if (op.op === 'delete') return collection.remove(op.id) ? 'deleted' : 'absent';

    const doc = op.doc as { id: string };
    if (typeof doc?.id !== 'string') throw new BadRequest(`A ${label} to store has no string id`);
    const exists = collection.exists(doc.id);
    switch (op.op) {
      case 'create':
        if (exists) throw new Conflict(`A ${label} with id '${doc.id}' already exists`);
        collection.insert(doc);
        return 'created';
      case 'update':
        if (!exists) throw new NotFound(`No ${label} with id '${doc.id}'`);
        collection.replace(doc);
        return 'updated';
      case 'upsert':
        if (exists) collection.replace(doc);
        else collection.insert(doc);
        return exists ? 'updated' : 'created';
      default:
        throw new BadRequest(`Unknown write operation: ${String((op as { op: unknown }).op)}`);
    }
  }
}
