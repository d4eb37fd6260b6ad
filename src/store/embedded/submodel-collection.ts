/**
 * The embedded store's submodels: a header row in `submodels` plus one row per top-level element in
 * `submodel_elements` (layout in submodel-layout.ts), so one top-level element is read or replaced without
 * reading or rewriting the rest of a large submodel. Every read assembles exactly `JSON.stringify` of the document.
 */
import type Database from 'better-sqlite3';
import { BadRequest, NotFound } from '../../errors.js';
import type { Submodel, SubmodelElement } from '../../model/types.js';
import type { Page, PageRequest, SubmodelCollection, SubmodelFilter, SubmodelMetadata } from '../store.js';
import type { DocumentRow } from './list-query.js';
import { SUBMODEL_TABLES } from './schema.js';
import { SqliteCollection, type KindIndexing } from './sqlite-collection.js';
import { assembleSubmodel, splitSubmodel, type SubmodelLayout } from './submodel-layout.js';
import { TextCache } from './text-cache.js';

/**
 * Pinned: without it the planner may walk the primary key to avoid sorting (ORDER BY position) and scan every
 * element of the submodel; the (submodel_id, id_short) index finds the one or few matches directly.
 */
const BY_ID_SHORT = 'INDEXED BY submodel_elements_by_id_short';

export class SqliteSubmodelCollection extends SqliteCollection<Submodel, SubmodelFilter> implements SubmodelCollection {
  private readonly selectElements: Database.Statement;
  private readonly selectElementsOfMany: Database.Statement;
  private readonly selectElementByIdShort: Database.Statement;
  private readonly selectPositionByIdShort: Database.Statement;
  private readonly updateElement: Database.Statement;
  private readonly insertElement: Database.Statement;
  private readonly deleteElements: Database.Statement;
  private readonly updateElementsAt: Database.Statement;
  /** The layout `storedText` computed for the insert or replace under way (synchronous, so never interleaved). */
  private layout: SubmodelLayout | undefined;
  /**
   * Assembled texts of submodels recently read one at a time (GET of a submodel, the hot path of clients that
   * poll); lists do not fill it, so one scan through many submodels cannot push the hot ones out. Every write
   * to a submodel drops its entry first.
   */
  private readonly assembled: TextCache;

  constructor(db: Database.Database, indexing: KindIndexing<SubmodelFilter>, cacheChars: number) {
    super(db, SUBMODEL_TABLES, indexing, ', d.elements_at AS elements_at');
    this.selectElements = db
      .prepare('SELECT json FROM submodel_elements WHERE submodel_id = ? ORDER BY position')
      .pluck();
    // One query for all submodels of a page (not one per submodel): a range scan of the primary key per id.
    this.selectElementsOfMany = db.prepare(
      'SELECT submodel_id AS id, json FROM submodel_elements WHERE submodel_id IN (SELECT value FROM json_each(?)) ' +
        'ORDER BY submodel_id, position',
    );
    this.selectElementByIdShort = db
      .prepare(`SELECT json FROM submodel_elements ${BY_ID_SHORT} WHERE submodel_id = ? AND id_short = ? ORDER BY position LIMIT 1`)
      .pluck();
    this.selectPositionByIdShort = db
      .prepare(`SELECT position FROM submodel_elements ${BY_ID_SHORT} WHERE submodel_id = ? AND id_short = ? ORDER BY position LIMIT 1`)
      .pluck();
    this.updateElement = db.prepare('UPDATE submodel_elements SET json = ? WHERE submodel_id = ? AND position = ?');
    this.insertElement = db.prepare(
      'INSERT INTO submodel_elements (submodel_id, position, id_short, json) VALUES (?, ?, ?, ?)',
    );
    this.deleteElements = db.prepare('DELETE FROM submodel_elements WHERE submodel_id = ?');
    this.updateElementsAt = db.prepare('UPDATE submodels SET elements_at = ? WHERE id = ?');
    this.assembled = new TextCache(cacheChars);
  }

  async getTopLevelElement(submodelId: string, idShort: string): Promise<SubmodelElement | undefined> {
    const json = this.selectElementByIdShort.get(submodelId, idShort) as string | undefined;
    return json === undefined ? undefined : (JSON.parse(json) as SubmodelElement);
  }

  async revision(submodelId: string): Promise<string | undefined> {
    return this.revisionOf(submodelId);
  }

  async getMetadata(submodelId: string): Promise<SubmodelMetadata | undefined> {
    const row = this.row(submodelId);
    return row === undefined ? undefined : metadataOf(row);
  }

  async listMetadata(filter: SubmodelFilter, page: PageRequest): Promise<Page<SubmodelMetadata>> {
    const { items, next } = this.listRows(filter, page);
    const docs = items.map(metadataOf);
    return next === undefined ? { items: docs } : { items: docs, next };
  }

  override async getJson(id: string): Promise<string | undefined> {
    const cached = this.assembled.get(id);
    if (cached !== undefined) return cached;
    const text = await super.getJson(id);
    if (text !== undefined) this.assembled.set(id, text);
    return text;
  }

  protected override texts(rows: readonly DocumentRow[]): string[] {
    const split = rows.filter((row) => row.elements_at !== null && row.elements_at !== undefined);
    if (split.length === 0) return rows.map((row) => row.doc);
    const elements = new Map<string, string[]>();
    if (split.length === 1) {
      elements.set(split[0].id, this.selectElements.all(split[0].id) as string[]);
    } else {
      const all = this.selectElementsOfMany.all(JSON.stringify(split.map((row) => row.id))) as { id: string; json: string }[];
      for (const { id, json } of all) {
        const list = elements.get(id);
        if (list === undefined) elements.set(id, [json]);
        else list.push(json);
      }
    }
    return rows.map((row) => assembleSubmodel(row.doc, row.elements_at ?? null, elements.get(row.id) ?? []));
  }

  protected override storedText(doc: Submodel): string {
    this.layout = splitSubmodel(doc);
    return this.layout.header;
  }

  override insert(doc: Submodel): void {
    this.assembled.delete(doc.id);
    super.insert(doc);
    this.writeElements(doc.id);
  }

  override replace(doc: Submodel): void {
    this.assembled.delete(doc.id);
    super.replace(doc);
    this.deleteElements.run(doc.id);
    this.writeElements(doc.id);
  }

  override remove(id: string): boolean {
    this.assembled.delete(id);
    if (!super.remove(id)) return false;
    this.deleteElements.run(id);
    return true;
  }

  /** Replaces the top-level element named `element.idShort` in its row, in its position. */
  replaceTopLevelElement(submodelId: string, element: SubmodelElement): void {
    const idShort = (element as { idShort?: unknown } | null)?.idShort;
    if (typeof idShort !== 'string') throw new BadRequest('A top-level element to replace has no string idShort');
    const position = this.selectPositionByIdShort.get(submodelId, idShort) as number | undefined;
    if (position === undefined) {
      if (!this.exists(submodelId)) throw new NotFound(`No Submodel with id '${submodelId}'`);
      throw new NotFound(`Submodel '${submodelId}' has no top-level element '${idShort}'`);
    }
    this.assembled.delete(submodelId);
    this.updateElement.run(JSON.stringify(element), submodelId, position);
    this.touch(submodelId);
  }

  private writeElements(id: string): void {
    const layout = this.layout;
    this.layout = undefined;
    if (layout === undefined) throw new Error('storedText was not called for this write');
    this.updateElementsAt.run(layout.elementsAt, id);
    layout.elements.forEach((row, position) => this.insertElement.run(id, position, row.idShort, row.json));
  }
}

/** The header row is the submodel with an empty element array in place of its elements. */
function metadataOf(row: DocumentRow): SubmodelMetadata {
  const { submodelElements: _elements, ...metadata } = JSON.parse(row.doc) as Submodel;
  return metadata;
}
