/**
 * Random access to the entries of an uploaded ZIP archive (yauzl), with every entry checked before any is
 * inflated: its name (part-names.ts), its declared sizes, the count and total (aasx-limits.ts), no encryption, a
 * compression method OPC allows (stored or deflate, ECMA-376-2 §C.2), and no part name twice (case-insensitive,
 * §6.2.2.3 [M1.12]). Entries are then inflated on demand, one stream each, guarded on their actual bytes.
 *
 * yauzl reads the central directory and seeks to each entry, so nothing is held in memory or spooled: a path
 * source keeps one file descriptor open until `close()`; a Buffer source is the caller's memory already.
 */
import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import { BadRequest, ServiceError } from '../../errors.js';
import { checkDeclaredEntry, checkDeclaredTotal, checkEntryCount, InflateGuard, type AasxLimits } from './aasx-limits.js';
import { checkZipItemName, partNameKey } from './part-names.js';

export interface ZipPart {
  itemName: string;
  /** `/` + item name. */
  partName: string;
  /** partNameKey(partName): equal for names OPC treats as one. */
  key: string;
  size: number;
  compressedSize: number;
  entry: Entry;
}

const STORED = 0;
const DEFLATE = 8;

function notAccepted(text: string, path?: string): BadRequest {
  return new BadRequest(`The AASX package is not accepted: ${text}`, [{ text, ...(path === undefined ? {} : { path }) }]);
}

/** A yauzl error as the 400 it is: the archive, not the server, is at fault. System errors (ENOENT…) stay as they are. */
function archiveError(error: unknown, itemName?: string): Error {
  if (error instanceof ServiceError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string') return error;
  return notAccepted(itemName === undefined ? `the ZIP archive is damaged: ${message}` : `entry "${itemName}" cannot be read: ${message}`, itemName);
}

/**
 * decodeStrings off: yauzl neither rejects nor rewrites names (backslashes) before checkZipItemName judges them.
 * validateEntrySizes off: InflateGuard holds every entry to its declared size itself, with a message that says so.
 */
const OPTIONS = { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: false, strictFileNames: true } as const;

async function openZip(source: string | Buffer): Promise<ZipFile> {
  try {
    return typeof source === 'string' ? await yauzl.openPromise(source, OPTIONS) : await yauzl.fromBufferPromise(source, OPTIONS);
  } catch (error) {
    if (error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string') throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw notAccepted(`it is not a ZIP archive, which an AASX package is (Part 5): ${message}`);
  }
}

export class ZipArchive {
  private constructor(
    private readonly zip: ZipFile,
    /** Every file entry (no directories) by key. */
    readonly parts: ReadonlyMap<string, ZipPart>,
  ) {}

  /** Opens and checks the archive; throws (and closes it) when an entry or the whole is not acceptable. */
  static async open(source: string | Buffer, limits: AasxLimits): Promise<ZipArchive> {
    const zip = await openZip(source);
    try {
      return new ZipArchive(zip, await ZipArchive.listEntries(zip, limits));
    } catch (error) {
      zip.close();
      throw archiveError(error);
    }
  }

  private static async listEntries(zip: ZipFile, limits: AasxLimits): Promise<Map<string, ZipPart>> {
    checkEntryCount(zip.entryCount, limits);
    const parts = new Map<string, ZipPart>();
    let total = 0;
    for await (const entry of zip.eachEntry()) {
      const name = yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, true);
      const { itemName, partName, directory } = checkZipItemName(name);
      if (entry.isEncrypted()) throw notAccepted(`entry "${itemName}" is encrypted`, itemName);
      if (directory) continue;
      if (entry.compressionMethod !== STORED && entry.compressionMethod !== DEFLATE) {
        throw notAccepted(`entry "${itemName}" uses ZIP compression method ${entry.compressionMethod}; OPC packages use stored (0) or deflate (8)`, itemName);
      }
      checkDeclaredEntry(itemName, entry.uncompressedSize, entry.compressedSize, limits);
      total += entry.uncompressedSize;
      checkDeclaredTotal(total, limits);
      const key = partNameKey(partName);
      const earlier = parts.get(key);
      if (earlier !== undefined) {
        const how = earlier.itemName === itemName ? 'twice' : `twice ("${earlier.itemName}" and "${itemName}"; OPC part names ignore case)`;
        throw notAccepted(`the archive holds the part "${partName}" ${how}`, itemName);
      }
      parts.set(key, { itemName, partName, key, size: entry.uncompressedSize, compressedSize: entry.compressedSize, entry });
    }
    return parts;
  }

  /** The entry whose part name is `partName` (any spelling OPC treats as the same). */
  part(partName: string): ZipPart | undefined {
    return this.parts.get(partNameKey(partName));
  }

  /** The inflated bytes of one entry, as a stream that fails with BadRequest when they misbehave. */
  async openPart(part: ZipPart, limits: AasxLimits): Promise<Readable> {
    let source: Readable;
    try {
      source = await this.zip.openReadStreamPromise(part.entry);
    } catch (error) {
      throw archiveError(error, part.itemName);
    }
    const guard = new InflateGuard({ itemName: part.itemName, size: part.size, compressedSize: part.compressedSize }, limits);
    source.on('error', (error) => guard.destroy(archiveError(error, part.itemName)));
    // A reader that stops early (or a guard that fails) must not leave the entry's inflater running.
    guard.on('close', () => source.destroy());
    source.pipe(guard);
    return guard;
  }

  /** One entry in memory; the caller has checked its declared size against what it is willing to hold. */
  async readPart(part: ZipPart, limits: AasxLimits): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of await this.openPart(part, limits)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  /** Closes the archive; a path source's file descriptor closes once every open part stream has ended. */
  close(): void {
    this.zip.close();
  }
}
