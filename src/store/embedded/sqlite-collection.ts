/**
 * One kind of Identifiable (shells, submodels or concept descriptions) in the embedded store: the reads of the
 * store contract, and the synchronous row writes the store's batch transaction is made of.
 *
 * better-sqlite3 is synchronous, so the async methods only wrap results in promises (and turn throws into
 * rejections); a read sees every batch that resolved before it.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { BadRequest } from '../../errors.js';
import type { IdentifiableCollection, Page, PageRequest, Revised } from '../store.js';
import type { DocumentTerms, FilterTerms } from './index-terms.js';
import { ListQueries, type DocumentRow } from './list-query.js';
import type { KindTables } from './schema.js';

/** How a kind's documents and filters map onto its indexes (see index-terms.ts). */
export interface KindIndexing<F> {
  documentTerms(doc: object): DocumentTerms;
  filterTerms(filter: F): FilterTerms;
}

export class SqliteCollection<T extends { id: string }, F> implements IdentifiableCollection<T, F> {
  private readonly selectDoc: Database.Statement;
  private readonly selectMany: Database.Statement;
  private readonly selectExists: Database.Statement;
  private readonly selectCount: Database.Statement;
  private readonly insertDoc: Database.Statement;
  private readonly updateDoc: Database.Statement;
  private readonly deleteDoc: Database.Statement;
  private readonly insertTerm: Database.Statement;
  private readonly deleteTerms: Database.Statement;
  private readonly selectRevision: Database.Statement;
  private readonly updateRevision: Database.Statement;
  private readonly lists: ListQueries;

  /** `extraColumns`: more document columns that rows carry to `texts` (see SqliteSubmodelCollection). */
  constructor(
    db: Database.Database,
    tables: KindTables,
    private readonly indexing: KindIndexing<F>,
    extraColumns = '',
  ) {
    const { docs, terms } = tables;
    const columns = `id, doc${extraColumns.replaceAll('d.', '')}`;
    this.selectDoc = db.prepare(`SELECT ${columns} FROM ${docs} WHERE id = ?`);
    this.selectMany = db.prepare(`SELECT ${columns} FROM ${docs} WHERE id IN (SELECT value FROM json_each(?))`);
    this.selectExists = db.prepare(`SELECT EXISTS (SELECT 1 FROM ${docs} WHERE id = ?)`).pluck();
    this.selectCount = db.prepare(`SELECT count(*) FROM ${docs}`).pluck();
    this.insertDoc = db.prepare(`INSERT INTO ${docs} (id, id_short, doc, revision) VALUES (?, ?, ?, ?)`);
    this.updateDoc = db.prepare(`UPDATE ${docs} SET id_short = ?, doc = ?, revision = ? WHERE id = ?`);
    this.selectRevision = db.prepare(`SELECT revision FROM ${docs} WHERE id = ?`).pluck();
    this.updateRevision = db.prepare(`UPDATE ${docs} SET revision = ? WHERE id = ?`);
    this.deleteDoc = db.prepare(`DELETE FROM ${docs} WHERE id = ?`);
    this.insertTerm = db.prepare(`INSERT INTO ${terms} (term, doc_id) VALUES (?, ?)`);
    this.deleteTerms = db.prepare(`DELETE FROM ${terms} WHERE doc_id = ?`);
    this.lists = new ListQueries(db, tables, extraColumns);
  }

  async get(id: string): Promise<T | undefined> {
    const doc = await this.getJson(id);
    return doc === undefined ? undefined : (JSON.parse(doc) as T);
  }

  async getRevised(id: string): Promise<Revised<T> | undefined> {
    // The revision first: should a write come in between, the document is newer than the revision, and a write
    // conditional on it fails and is retried (never the other way round).
    const revision = this.revisionOf(id);
    const doc = await this.get(id);
    return revision === undefined || doc === undefined ? undefined : { doc, revision };
  }

  async getJson(id: string): Promise<string | undefined> {
    const row = this.row(id);
    return row === undefined ? undefined : this.texts([row])[0];
  }

  /**
   * The contract's text of each row, in order. Documents are stored as `JSON.stringify(doc)`, so here the column
   * is already that text; a kind stored in several rows assembles it.
   */
  protected texts(rows: readonly DocumentRow[]): string[] {
    return rows.map((row) => row.doc);
  }

  async getMany(ids: readonly string[]): Promise<T[]> {
    if (ids.length === 0) return [];
    const rows = this.selectMany.all(JSON.stringify(ids)) as DocumentRow[];
    const texts = this.texts(rows);
    const byId = new Map(rows.map((row, i) => [row.id, texts[i]]));
    const found: T[] = [];
    for (const id of ids) {
      const doc = byId.get(id);
      if (doc !== undefined) found.push(JSON.parse(doc) as T);
    }
    return found;
  }

  async has(id: string): Promise<boolean> {
    return this.exists(id);
  }

  async list(filter: F, page: PageRequest): Promise<Page<T>> {
    const { items, next } = await this.listJson(filter, page);
    const docs = items.map((doc) => JSON.parse(doc) as T);
    return next === undefined ? { items: docs } : { items: docs, next };
  }

  async listJson(filter: F, page: PageRequest): Promise<Page<string>> {
    const { items, next } = this.listRows(filter, page);
    const texts = this.texts(items);
    return next === undefined ? { items: texts } : { items: texts, next };
  }

  async listIds(filter: F, page: PageRequest): Promise<Page<string>> {
    checkPage(page);
    const ids = this.lists.ids(this.indexing.filterTerms(filter), page.after, page.limit);
    const more = ids.length > page.limit;
    return more ? { items: ids.slice(0, page.limit), next: ids[page.limit - 1] } : { items: ids };
  }

  /** One page of stored rows (for a split kind: the header rows, elements not read). */
  protected listRows(filter: F, page: PageRequest): Page<DocumentRow> {
    checkPage(page);
    const rows = this.lists.rows(this.indexing.filterTerms(filter), page.after, page.limit);
    const more = rows.length > page.limit;
    return more ? { items: rows.slice(0, page.limit), next: rows[page.limit - 1].id } : { items: rows };
  }

  /** The stored row of one document. */
  protected row(id: string): DocumentRow | undefined {
    return this.selectDoc.get(id) as DocumentRow | undefined;
  }

  async count(): Promise<number> {
    return this.selectCount.get() as number;
  }

  // --- Synchronous row writes; the store runs them inside one transaction per batch. ---

  exists(id: string): boolean {
    return this.selectExists.get(id) === 1;
  }

  revisionOf(id: string): string | undefined {
    return this.selectRevision.get(id) as string | undefined;
  }

  /** A new revision for a document whose content changed in another table (a submodel's element rows). */
  touch(id: string): void {
    this.updateRevision.run(randomUUID(), id);
  }

  /** The text stored in the `doc` column: the whole document here; a header for a kind stored in several rows. */
  protected storedText(doc: T): string {
    return JSON.stringify(doc);
  }

  insert(doc: T): void {
    const { idShort, terms } = this.indexing.documentTerms(doc);
    this.insertDoc.run(doc.id, idShort, this.storedText(doc), randomUUID());
    for (const term of terms) this.insertTerm.run(term, doc.id);
  }

  replace(doc: T): void {
    const { idShort, terms } = this.indexing.documentTerms(doc);
    this.updateDoc.run(idShort, this.storedText(doc), randomUUID(), doc.id);
    this.deleteTerms.run(doc.id);
    for (const term of terms) this.insertTerm.run(term, doc.id);
  }

  /** True when a document was there to delete. */
  remove(id: string): boolean {
    if (this.deleteDoc.run(id).changes === 0) return false;
    this.deleteTerms.run(id);
    return true;
  }
}

function checkPage(page: PageRequest): void {
  if (!Number.isSafeInteger(page.limit) || page.limit < 1) {
    throw new BadRequest(`A page limit must be a positive integer, not ${String(page.limit)}`);
  }
  if (page.after !== undefined && typeof page.after !== 'string') {
    throw new BadRequest('A page cursor must be a string');
  }
}
