/** ConfigDocumentCollection on one SQLite table `(id, doc)`: a handful of small JSON documents. */
import type Database from 'better-sqlite3';
import { Conflict, NotFound } from '../../errors.js';
import type { ConfigDocumentCollection } from '../store.js';

export class SqliteConfigDocuments<T extends { id: string }> implements ConfigDocumentCollection<T> {
  private readonly selectOne: Database.Statement;
  private readonly selectAll: Database.Statement;
  private readonly insert: Database.Statement;
  private readonly update: Database.Statement;
  private readonly remove: Database.Statement;

  /** `table` is a fixed name from schema.ts, never user input. */
  constructor(db: Database.Database, table: string, private readonly label: string) {
    this.selectOne = db.prepare(`SELECT doc FROM ${table} WHERE id = ?`).pluck();
    this.selectAll = db.prepare(`SELECT doc FROM ${table} ORDER BY id`).pluck();
    this.insert = db.prepare(`INSERT INTO ${table} (id, doc) VALUES (?, ?) ON CONFLICT (id) DO NOTHING`);
    this.update = db.prepare(`UPDATE ${table} SET doc = ? WHERE id = ?`);
    this.remove = db.prepare(`DELETE FROM ${table} WHERE id = ?`);
  }

  async get(id: string): Promise<T | undefined> {
    const text = this.selectOne.get(id) as string | undefined;
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  async list(): Promise<T[]> {
    return (this.selectAll.all() as string[]).map((text) => JSON.parse(text) as T);
  }

  async put(doc: T, op: 'create' | 'update'): Promise<void> {
    const text = JSON.stringify(doc);
    if (op === 'create') {
      if (this.insert.run(doc.id, text).changes === 0) throw new Conflict(`A ${this.label} with id '${doc.id}' already exists`);
    } else if (this.update.run(text, doc.id).changes === 0) {
      throw new NotFound(`No ${this.label} with id '${doc.id}'`);
    }
  }

  async delete(id: string): Promise<boolean> {
    return this.remove.run(id).changes > 0;
  }
}
