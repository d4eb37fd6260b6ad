/**
 * Attachments in MongoDB: the bytes in the GridFS bucket `attachments` (255 KiB chunks, streamed both ways, never
 * held whole in memory), the keys in `attachmentKeys` `{ ownerKind, ownerId, name, fileId, contentType, fileName,
 * size }`.
 *
 * Crash safety rests on one rule and one collection: a GridFS file that may become garbage is first recorded in
 * `attachmentPending` (by file id), and garbage collection deletes a pending file only when no key references it.
 * - stage: pending record, then the upload (GridFS writes chunks first and the files document last);
 * - commit: the replaced file (if any) is recorded pending, the key is switched to the new file in one
 *   single-document update (the commit point: `get` sees old or new bytes, never a mix), the new file's pending
 *   record is dropped, the replaced file is collected;
 * - delete: the file is recorded pending, the key deleted, the file collected.
 * A crash between any two steps leaves pending records; `collectGarbage` (run before the first write of a server
 * that takes the writer lease, and after failures) finishes them. Files this server is still working on (staged,
 * not yet committed or discarded) are skipped, and where several instances write (batch-writer.ts, shared mode)
 * also the pending files of every other instance that is alive (instance-heartbeat.ts).
 *
 * Several writing instances: the key switch is conditional on the file it replaces (the one just recorded
 * pending), and a delete on the file it recorded, so a key that another instance switched in between is read and
 * recorded again instead of leaving that instance's file unreferenced and unrecorded.
 *
 * A download that races with a replace or delete of the same key may end early with a driver error (its chunks
 * are gone): the bytes are never mixed, but they can be cut short.
 */
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { ObjectId, type Collection, type GridFSBucket, type GridFSBucketWriteStream, type GridFSChunk, type GridFSFile } from 'mongodb';
import { Conflict, PayloadTooLarge, ServiceUnavailable } from '../../errors.js';
import type { AttachmentKey, AttachmentMeta, AttachmentOwner, AttachmentStore, StagedAttachment, StoredAttachment } from '../store.js';
import type { BatchWriter } from './batch-writer.js';
import type { MongoConnection } from './connection.js';
import { isDuplicateKey, translateDriverError } from './driver-errors.js';
import { putThroughStaging } from '../staged-put.js';

export interface AttachmentKeyDocument {
  _id?: ObjectId;
  ownerKind: AttachmentOwner['kind'];
  ownerId: string;
  name: string;
  fileId: ObjectId;
  contentType: string;
  fileName: string;
  size: number;
}

export interface PendingFileDocument {
  _id: ObjectId;
  /** The server instance that recorded it (for diagnosis). */
  owner: string;
  since: Date;
  reason: 'staged' | 'replaced' | 'deleted';
}

export interface AttachmentCollections {
  bucket: GridFSBucket;
  keys: Collection<AttachmentKeyDocument>;
  pending: Collection<PendingFileDocument>;
  files: Collection<GridFSFile>;
  chunks: Collection<GridFSChunk>;
}

/** How long a failed upload may take to finish its in-flight chunk insert before its chunks are deleted. */
const SETTLE_LIMIT_MS = 30_000;

/** Attempts of a key switch or delete that other instances keep getting ahead of. */
const MAX_KEY_ATTEMPTS = 8;

const keyFilter = (key: AttachmentKey) => ({ ownerKind: key.owner.kind, ownerId: key.owner.id, name: key.name });

/** Counts bytes on their way through and fails with PayloadTooLarge past `maxBytes`, before writing them. */
function byteLimit(maxBytes: number, onBytes: (n: number) => void): Transform {
  let size = 0;
  return new Transform({
    transform(chunk: Buffer | string, _encoding, callback) {
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
      size += bytes.length;
      if (size > maxBytes) {
        callback(new PayloadTooLarge(`The attachment exceeds the limit of ${maxBytes} bytes`));
        return;
      }
      onBytes(size);
      callback(null, bytes);
    },
  });
}

/** Waits until a destroyed upload has no chunk insert in flight, so deleting its chunks deletes them all. */
async function settle(upload: GridFSBucketWriteStream): Promise<void> {
  for (let waited = 0; upload.state.outstandingRequests > 0 && waited < SETTLE_LIMIT_MS; waited += 10) await sleep(10);
}

export class GridFsAttachments implements AttachmentStore {
  /** Files this server is working on (hex ids): garbage collection leaves them alone. */
  private readonly live = new Set<string>();

  constructor(
    private readonly connection: MongoConnection,
    private readonly writer: BatchWriter,
    private readonly c: AttachmentCollections,
    private readonly owner: string,
  ) {}

  async stage(content: Readable, maxBytes: number): Promise<StagedAttachment> {
    const fileId = new ObjectId();
    const hex = fileId.toHexString();
    this.live.add(hex);
    try {
      await this.connection.run(() => this.writer.asWriter(() => this.markPending(fileId, 'staged')));
    } catch (error) {
      this.live.delete(hex);
      content.destroy();
      throw error;
    }
    let size = 0;
    const upload = this.c.bucket.openUploadStreamWithId(fileId, hex);
    try {
      // pipeline: backpressure both ways, and on any failure both streams are destroyed (the source stops).
      await pipeline(content, byteLimit(maxBytes, (n) => (size = n)), upload);
    } catch (error) {
      await settle(upload);
      await this.collectQuietly(fileId);
      throw translateDriverError(error);
    }
    return this.staged(fileId, size);
  }

  put(key: AttachmentKey, content: Readable, meta: AttachmentMeta, maxBytes: number): Promise<{ size: number }> {
    return putThroughStaging((c, max) => this.stage(c, max), key, content, meta, maxBytes);
  }

  async get(key: AttachmentKey): Promise<StoredAttachment | undefined> {
    return this.connection.run(async () => {
      const row = await this.c.keys.findOne(keyFilter(key));
      if (row === null) return undefined;
      // The files document is written last by an upload and deleted first by a delete: present means complete.
      if ((await this.c.files.findOne({ _id: row.fileId }, { projection: { _id: 1 } })) === null) return undefined;
      const content = this.c.bucket.openDownloadStream(row.fileId);
      return { content, contentType: row.contentType, fileName: row.fileName, size: row.size };
    });
  }

  async delete(key: AttachmentKey): Promise<boolean> {
    return this.connection.run(() =>
      this.writer.asWriter(async () => {
        for (let attempt = 1; attempt <= MAX_KEY_ATTEMPTS; attempt++) {
          const row = await this.c.keys.findOne(keyFilter(key), { projection: { fileId: 1 } });
          if (row === null) return false;
          await this.markPending(row.fileId, 'deleted');
          const { deletedCount } = await this.c.keys.deleteOne({ _id: row._id, fileId: row.fileId });
          if (deletedCount === 1) {
            await this.collect(row.fileId);
            return true;
          }
          // Switched to another file (or deleted) by another instance since it was read: read it again.
        }
        throw new Conflict(`The attachment '${key.name}' kept changing; try again`);
      }),
    );
  }

  async names(owner: AttachmentOwner): Promise<string[]> {
    return this.connection.run(async () => {
      const rows = this.c.keys.find({ ownerKind: owner.kind, ownerId: owner.id }, { projection: { _id: 0, name: 1 }, sort: { name: 1 } });
      const names: string[] = [];
      for await (const row of rows) names.push(row.name);
      return names;
    });
  }

  async owners(): Promise<AttachmentOwner[]> {
    return this.connection.run(async () => {
      const groups = this.c.keys.aggregate<{ _id: { kind: AttachmentOwner['kind']; id: string } }>([
        { $group: { _id: { kind: '$ownerKind', id: '$ownerId' } } },
        { $sort: { '_id.kind': 1, '_id.id': 1 } },
      ]);
      const owners: AttachmentOwner[] = [];
      for await (const group of groups) owners.push({ kind: group._id.kind, id: group._id.id });
      return owners;
    });
  }

  /**
   * Deletes every pending file no key references, except those this server is working on and, when `alive` is
   * given (several writing instances), those recorded by another instance that is alive.
   */
  async collectGarbage(alive?: ReadonlySet<string>): Promise<void> {
    for await (const { _id, owner } of this.c.pending.find({}, { projection: { _id: 1, owner: 1 } })) {
      if (this.live.has(_id.toHexString())) continue;
      if (alive !== undefined && owner !== this.owner && alive.has(owner)) continue;
      await this.collect(_id);
    }
  }

  /** Records that a file may become garbage; the recorder owns the record (it collects the file next). */
  private async markPending(fileId: ObjectId, reason: PendingFileDocument['reason']): Promise<void> {
    await this.c.pending.updateOne({ _id: fileId }, { $set: { owner: this.owner, since: new Date(), reason } }, { upsert: true });
  }

  /** The garbage rule: a pending file that no key references is deleted (files document first), then unmarked. */
  private async collect(fileId: ObjectId): Promise<void> {
    if ((await this.c.keys.findOne({ fileId }, { projection: { _id: 1 } })) === null) {
      await this.c.files.deleteOne({ _id: fileId });
      await this.c.chunks.deleteMany({ files_id: fileId });
    }
    await this.c.pending.deleteOne({ _id: fileId });
  }

  /** After a failure: collect now if MongoDB lets us, otherwise garbage collection does it later. */
  private async collectQuietly(fileId: ObjectId): Promise<void> {
    this.live.delete(fileId.toHexString());
    try {
      await this.connection.run(() => this.collect(fileId));
    } catch {
      this.writer.markRecoveryDue();
    }
  }

  private async commit(fileId: ObjectId, size: number, key: AttachmentKey, meta: AttachmentMeta): Promise<void> {
    await this.connection.run(() =>
      this.writer.asWriter(async () => {
        // Still complete? Another instance's garbage collection takes the uploads of an instance that stopped
        // beating for long (instance-heartbeat.ts); a key must never name a file that is gone.
        if ((await this.c.files.findOne({ _id: fileId }, { projection: { _id: 1 } })) === null) {
          throw new ServiceUnavailable('The uploaded attachment was removed before it could be committed; upload it again');
        }
        const filter = keyFilter(key);
        const set = { $set: { fileId, contentType: meta.contentType, fileName: meta.fileName, size } };
        for (let attempt = 1; attempt <= MAX_KEY_ATTEMPTS; attempt++) {
          const current = await this.c.keys.findOne(filter, { projection: { fileId: 1 } });
          if (current !== null) await this.markPending(current.fileId, 'replaced');
          // The commit point: one single-document write switches the key to the new bytes, from exactly the file
          // recorded above (a key without a file yet: insert, which a concurrent insert makes a duplicate key).
          if (await this.switchKey(filter, current?.fileId, set)) {
            // Only our own staging record: another instance may have recorded the file since (as replaced).
            await this.c.pending.deleteOne({ _id: fileId, reason: 'staged' });
            if (current !== null && !current.fileId.equals(fileId)) await this.collect(current.fileId);
            return;
          }
        }
        throw new Conflict(`The attachment '${key.name}' kept changing; try again`);
      }),
    );
  }

  /** True when the key now names the new file; false when another instance changed it since `from` was read. */
  private async switchKey(filter: ReturnType<typeof keyFilter>, from: ObjectId | undefined, set: { $set: Partial<AttachmentKeyDocument> }): Promise<boolean> {
    if (from !== undefined) return (await this.c.keys.updateOne({ ...filter, fileId: from }, set)).matchedCount === 1;
    try {
      // `fileId: { $exists: false }` never matches a stored key, so this inserts, or fails on the unique owner_name index.
      await this.c.keys.updateOne({ ...filter, fileId: { $exists: false } }, set, { upsert: true });
      return true;
    } catch (error) {
      if (isDuplicateKey(error)) return false;
      throw error;
    }
  }

  private staged(fileId: ObjectId, size: number): StagedAttachment {
    let settled = false;
    return {
      size,
      commit: async (key, meta) => {
        if (settled) throw new Error('This staged attachment was committed or discarded already');
        settled = true;
        try {
          await this.commit(fileId, size, key, meta);
          this.live.delete(fileId.toHexString());
        } catch (error) {
          await this.collectQuietly(fileId);
          throw error;
        }
      },
      discard: async () => {
        if (settled) return;
        settled = true;
        await this.collectQuietly(fileId);
      },
    };
  }
}
