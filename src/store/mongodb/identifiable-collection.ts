/**
 * Reads of one kind of Identifiable (the store contract's IdentifiableCollection) on its MongoDB collection.
 *
 * Every query projects to `{ _id, doc, revision }` (plus `layout` for submodels): the indexed bookkeeping fields
 * (`idShort`, `terms`) never travel back, and `doc` comes out of BSON exactly as it went in (same keys, same
 * order), so a returned document is the written one. `getJson` is `JSON.stringify` of that document, as the
 * contract asks.
 */
import type { Collection, Document } from 'mongodb';
import type { FilterTerms } from '../embedded/index-terms.js';
import type { IdentifiableCollection, Page, PageRequest, Revised } from '../store.js';
import type { MongoConnection } from './connection.js';
import type { StoredIdentifiable } from './document-layout.js';
import { checkPageRequest, decodeCursor, LIST_SORT, listFilter, pageOf } from './list-query.js';
import { revisionOf } from './revisions.js';

/** The fields a read fetches of a stored document. */
export type StoredRow = Pick<StoredIdentifiable, '_id' | 'doc' | 'layout' | 'revision'>;

/** A document as read, with the revision of the very header it was assembled from. */
export type ReadDocument = Revised<Record<string, unknown>>;

export class MongoIdentifiableCollection<T extends { id: string }, F> implements IdentifiableCollection<T, F> {
  protected readonly projection: Document = { _id: 1, doc: 1, revision: 1 };

  constructor(
    protected readonly connection: MongoConnection,
    protected readonly collection: Collection<StoredIdentifiable>,
    private readonly filterTerms: (filter: F) => FilterTerms,
  ) {}

  /**
   * The documents of `rows`, in order; null for a row whose document turned out to be gone (a submodel deleted
   * while its elements were read).
   */
  protected async documents(rows: readonly StoredRow[]): Promise<(ReadDocument | null)[]> {
    return rows.map((row) => ({ doc: row.doc, revision: revisionOf(row) }));
  }

  private async readOne(id: string): Promise<ReadDocument | undefined> {
    const row = await this.collection.findOne({ _id: id }, { projection: this.projection });
    if (row === null) return undefined;
    return (await this.documents([row]))[0] ?? undefined;
  }

  async get(id: string): Promise<T | undefined> {
    return this.connection.run(async () => (await this.readOne(id))?.doc as T | undefined);
  }

  async getRevised(id: string): Promise<Revised<T> | undefined> {
    return this.connection.run(async () => (await this.readOne(id)) as Revised<T> | undefined);
  }

  async getJson(id: string): Promise<string | undefined> {
    const doc = await this.get(id);
    return doc === undefined ? undefined : JSON.stringify(doc);
  }

  async getMany(ids: readonly string[]): Promise<T[]> {
    if (ids.length === 0) return [];
    return this.connection.run(async () => {
      const rows = await this.collection.find({ _id: { $in: [...new Set(ids)] } }, { projection: this.projection }).toArray();
      const docs = await this.documents(rows);
      const byId = new Map<string, Record<string, unknown>>();
      rows.forEach((row, i) => {
        const read = docs[i];
        if (read !== null) byId.set(row._id, read.doc);
      });
      // An id asked for twice gets the document twice, as separate objects (callers may mutate what they get).
      const found: T[] = [];
      const seen = new Set<string>();
      for (const id of ids) {
        const doc = byId.get(id);
        if (doc === undefined) continue;
        found.push((seen.has(id) ? structuredClone(doc) : doc) as unknown as T);
        seen.add(id);
      }
      return found;
    });
  }

  async has(id: string): Promise<boolean> {
    return this.connection.run(async () => (await this.collection.findOne({ _id: id }, { projection: { _id: 1 } })) !== null);
  }

  /** One page of stored rows (with `projection`) and its `next` cursor. */
  protected async page(filter: F, page: PageRequest, projection: Document): Promise<{ rows: StoredRow[]; next?: string }> {
    checkPageRequest(page);
    const afterId = page.after === undefined ? undefined : decodeCursor(page.after);
    const terms = this.filterTerms(filter);
    const fetched = await this.connection.run(() =>
      this.collection.find(listFilter(terms, afterId), { projection, sort: LIST_SORT, limit: page.limit + 1 }).toArray(),
    );
    return pageOf(fetched as StoredRow[], page.limit, (row) => row._id);
  }

  async list(filter: F, page: PageRequest): Promise<Page<T>> {
    const { rows, next } = await this.page(filter, page, this.projection);
    const items = await this.connection.run(async () => (await this.documents(rows)).filter((read) => read !== null).map((read) => read.doc as unknown as T));
    return next === undefined ? { items } : { items, next };
  }

  async listJson(filter: F, page: PageRequest): Promise<Page<string>> {
    const { items, next } = await this.list(filter, page);
    const texts = items.map((doc) => JSON.stringify(doc));
    return next === undefined ? { items: texts } : { items: texts, next };
  }

  async listIds(filter: F, page: PageRequest): Promise<Page<string>> {
    // Only `_id` travels back, not the documents.
    const { rows, next } = await this.page(filter, page, { _id: 1 });
    const items = rows.map((row) => row._id);
    return next === undefined ? { items } : { items, next };
  }

  async count(): Promise<number> {
    // Exact (an index walk), not the collection's metadata estimate, which can drift after an unclean shutdown.
    return this.connection.run(() => this.collection.countDocuments({}, { hint: { _id: 1 } }));
  }
}
