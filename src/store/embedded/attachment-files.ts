/**
 * Attachments of the embedded store: the bytes in files under `<dataDir>/attachments/`, their metadata in the
 * `attachments` table of the SQLite file (schema.ts).
 *
 * Crash safety comes from the order of steps; every state a crash can leave is cleaned by `recover()` at open:
 * - stage: bytes go to `attachments/staging/<uuid>`, fsynced. A crash leaves a staging file → removed.
 * - commit: rename into `attachments/<uuid>` and fsync the directory, then one transaction points the row at the
 *   new file, then the replaced file (if any) is unlinked. A crash between the steps leaves a file no row names
 *   → removed. A row never names a missing file, so a key is either the old content or the new one.
 * - delete: the row goes first (committed), then the file. A crash in between leaves an unnamed file → removed.
 * Files are named by fresh UUIDs, never by owner ids or names, so no id can reach the file system as a path.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, open, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import type Database from 'better-sqlite3';
import { PayloadTooLarge } from '../../errors.js';
import type {
  AttachmentKey,
  AttachmentMeta,
  AttachmentOwner,
  AttachmentStore,
  StagedAttachment,
  StoredAttachment,
} from '../store.js';
import { putThroughStaging } from '../staged-put.js';

export const ATTACHMENTS_DIR = 'attachments';
const STAGING_DIR = 'staging';

interface AttachmentRow {
  file: string;
  content_type: string;
  file_name: string;
}

const isMissing = (e: unknown) => (e as { code?: string } | null)?.code === 'ENOENT';

/** fsync of a directory makes a rename in it durable; some platforms refuse to open a directory for it. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(dir, 'r');
    await handle.sync();
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF') throw e;
  } finally {
    await handle?.close();
  }
}

async function writeAll(handle: FileHandle, chunk: Buffer): Promise<void> {
  let offset = 0;
  while (offset < chunk.length) {
    const { bytesWritten } = await handle.write(chunk, offset, chunk.length - offset);
    offset += bytesWritten;
  }
}

export class AttachmentFiles implements AttachmentStore {
  private readonly dir: string;
  private readonly stagingDir: string;
  private readonly selectRow: Database.Statement;
  private readonly upsertRow: Database.Statement;
  private readonly deleteRow: Database.Statement;
  private readonly selectNames: Database.Statement;
  private readonly selectOwners: Database.Statement;
  private readonly selectFiles: Database.Statement;
  private readonly deleteRowOfFile: Database.Statement;
  private readonly swapRow: (key: AttachmentKey, file: string, meta: AttachmentMeta, size: number) => string | undefined;
  private readonly takeRow: (key: AttachmentKey) => string | undefined;

  constructor(db: Database.Database, dataDir: string) {
    this.dir = join(dataDir, ATTACHMENTS_DIR);
    this.stagingDir = join(this.dir, STAGING_DIR);
    const where = 'owner_kind = ? AND owner_id = ? AND name = ?';
    this.selectRow = db.prepare(`SELECT file, content_type, file_name FROM attachments WHERE ${where}`);
    this.upsertRow = db.prepare(
      `INSERT INTO attachments (owner_kind, owner_id, name, file, content_type, file_name, size) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (owner_kind, owner_id, name) DO UPDATE SET
         file = excluded.file, content_type = excluded.content_type, file_name = excluded.file_name, size = excluded.size`,
    );
    this.deleteRow = db.prepare(`DELETE FROM attachments WHERE ${where}`);
    this.selectNames = db.prepare('SELECT name FROM attachments WHERE owner_kind = ? AND owner_id = ? ORDER BY name').pluck();
    this.selectOwners = db.prepare('SELECT DISTINCT owner_kind AS kind, owner_id AS id FROM attachments ORDER BY owner_kind, owner_id');
    this.selectFiles = db.prepare('SELECT file FROM attachments').pluck();
    this.deleteRowOfFile = db.prepare('DELETE FROM attachments WHERE file = ?');
    const args = (k: AttachmentKey) => [k.owner.kind, k.owner.id, k.name] as const;
    // The replaced file is read and the row rewritten in one transaction, so two commits to one key cannot both
    // believe they replaced the same old file (and one leak the other's).
    this.swapRow = db.transaction((key: AttachmentKey, file: string, meta: AttachmentMeta, size: number) => {
      const old = this.selectRow.get(...args(key)) as AttachmentRow | undefined;
      this.upsertRow.run(...args(key), file, meta.contentType, meta.fileName, size);
      return old?.file;
    });
    this.takeRow = db.transaction((key: AttachmentKey) => {
      const old = this.selectRow.get(...args(key)) as AttachmentRow | undefined;
      if (old) this.deleteRow.run(...args(key));
      return old?.file;
    });
  }

  /**
   * Start-up cleaning of what a crash can leave (see the module comment): staging files, files no row names, and
   * (only by tampering) rows whose file is gone. Runs before the store serves anything.
   */
  async recover(): Promise<void> {
    await rm(this.stagingDir, { recursive: true, force: true });
    await mkdir(this.stagingDir, { recursive: true });
    const named = new Set(this.selectFiles.all() as string[]);
    const present = new Set((await readdir(this.dir)).filter((f) => f !== STAGING_DIR));
    for (const file of present) if (!named.has(file)) await rm(join(this.dir, file), { force: true });
    for (const file of named) if (!present.has(file)) this.deleteRowOfFile.run(file);
  }

  async stage(content: Readable, maxBytes: number): Promise<StagedAttachment> {
    const file = randomUUID();
    const stagingPath = join(this.stagingDir, file);
    const handle = await open(stagingPath, 'wx');
    let size = 0;
    try {
      // for-await pulls one chunk at a time: the source is paused while a chunk is written (backpressure).
      for await (const chunk of content) {
        const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
        size += bytes.length;
        if (size > maxBytes) throw new PayloadTooLarge(`The attachment exceeds the limit of ${maxBytes} bytes`);
        await writeAll(handle, bytes);
      }
      await handle.sync();
    } catch (e) {
      await handle.close();
      await rm(stagingPath, { force: true });
      throw e;
    }
    await handle.close();
    return this.staged(file, size);
  }

  put(key: AttachmentKey, content: Readable, meta: AttachmentMeta, maxBytes: number): Promise<{ size: number }> {
    return putThroughStaging((c, max) => this.stage(c, max), key, content, meta, maxBytes);
  }

  async get(key: AttachmentKey): Promise<StoredAttachment | undefined> {
    const row = this.selectRow.get(key.owner.kind, key.owner.id, key.name) as AttachmentRow | undefined;
    if (!row) return undefined;
    let handle: FileHandle;
    try {
      // Opened now, so a delete that unlinks the file after this point does not cut the download short.
      handle = await open(join(this.dir, row.file), 'r');
    } catch (e) {
      if (isMissing(e)) return undefined; // deleted between the row read and the open
      throw e;
    }
    const { size } = await handle.stat();
    return { content: handle.createReadStream({ highWaterMark: 64 * 1024 }), contentType: row.content_type, fileName: row.file_name, size };
  }

  async delete(key: AttachmentKey): Promise<boolean> {
    const file = this.takeRow(key);
    if (file === undefined) return false;
    await rm(join(this.dir, file), { force: true });
    return true;
  }

  async names(owner: AttachmentOwner): Promise<string[]> {
    return this.selectNames.all(owner.kind, owner.id) as string[];
  }

  async owners(): Promise<AttachmentOwner[]> {
    return this.selectOwners.all() as AttachmentOwner[];
  }

  private staged(file: string, size: number): StagedAttachment {
    const stagingPath = join(this.stagingDir, file);
    let settled = false;
    return {
      size,
      commit: async (key, meta) => {
        if (settled) throw new Error('This staged attachment was committed or discarded already');
        settled = true;
        await rename(stagingPath, join(this.dir, file));
        await syncDirectory(this.dir);
        const replaced = this.swapRow(key, file, meta, size);
        if (replaced !== undefined) await rm(join(this.dir, replaced), { force: true });
      },
      discard: async () => {
        if (settled) return;
        settled = true;
        await rm(stagingPath, { force: true });
      },
    };
  }
}
