/**
 * ConfigDocumentCollection on one MongoDB collection of `{ _id: id, doc }` (the asset connections made over REST).
 * Each method is one single-document operation, atomic by itself; `list` walks the `_id` index in code-point order.
 * A create of an existing id fails on the unique `_id` index (duplicate key), which becomes Conflict.
 */
import type { Collection } from 'mongodb';
import { BadRequest, NotFound } from '../../errors.js';
import type { ConfigDocumentCollection } from '../store.js';
import type { BatchWriter } from './batch-writer.js';
import type { MongoConnection } from './connection.js';
import { toStorableJson } from './storable-json.js';

export interface StoredConfigDocument {
  _id: string;
  doc: Record<string, unknown>;
}

export class MongoConfigDocuments<T extends { id: string }> implements ConfigDocumentCollection<T> {
  constructor(
    private readonly connection: MongoConnection,
    private readonly writer: BatchWriter,
    private readonly collection: Collection<StoredConfigDocument>,
    private readonly label: string,
  ) {}

  async get(id: string): Promise<T | undefined> {
    return this.connection.run(async () => {
      const row = await this.collection.findOne({ _id: id }, { projection: { _id: 0, doc: 1 } });
      return row === null ? undefined : (row.doc as T);
    });
  }

  async list(): Promise<T[]> {
    return this.connection.run(async () => {
      const rows = await this.collection.find({}, { projection: { _id: 0, doc: 1 }, sort: { _id: 1 } }).toArray();
      return rows.map((row) => row.doc as T);
    });
  }

  async put(doc: T, op: 'create' | 'update'): Promise<void> {
    if (typeof doc?.id !== 'string') throw new BadRequest(`A ${this.label} to store has no string id`);
    const stored = { _id: doc.id, doc: toStorableJson(doc, `The ${this.label} '${doc.id}'`) };
    const conflict = `A ${this.label} with id '${doc.id}' already exists`;
    await this.connection.run(
      () =>
        this.writer.asWriter(async () => {
          if (op === 'create') {
            await this.collection.insertOne(stored);
            return;
          }
          const result = await this.collection.replaceOne({ _id: doc.id }, stored);
          if (result.matchedCount === 0) throw new NotFound(`No ${this.label} with id '${doc.id}'`);
        }),
      conflict,
    );
  }

  async delete(id: string): Promise<boolean> {
    return this.connection.run(() => this.writer.asWriter(async () => (await this.collection.deleteOne({ _id: id })).deletedCount > 0));
  }
}
