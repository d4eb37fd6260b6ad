/**
 * What an uploaded AASX package may cost to read, and the checks that hold it to that: once on the sizes the ZIP
 * central directory declares (before anything is inflated), and again on the bytes actually inflated, since a
 * hostile archive can declare anything.
 *
 * Every refusal is 400 BadRequest, naming the entry: the limits are the zip-bomb defence (an archive inflating
 * beyond the total, entry, AAS part or entry-count limits, more than `maxInflateRatio` times an entry's compressed
 * size, or past what its header declares). The upload's own size is the HTTP layer's limit (413).
 */
import { Transform, type TransformCallback } from 'node:stream';
import { BadRequest } from '../../errors.js';

export interface AasxLimits {
  /** Most ZIP entries (parts, relationships, directories) in one package. */
  maxEntries: number;
  /** Most uncompressed bytes of all entries together. */
  maxTotalSize: number;
  /** Most uncompressed bytes of one entry. */
  maxEntrySize: number;
  /** Most bytes of the AAS part (XML or JSON), which is read into memory to be parsed. */
  maxAasPartSize: number;
  /** Highest uncompressed/compressed ratio of an entry larger than `inflateRatioFloor`. */
  maxInflateRatio: number;
  /** Entries up to this many uncompressed bytes may compress better (a small run of zeros, an empty form). */
  inflateRatioFloor: number;
}

const MiB = 1024 ** 2;

/**
 * Defaults: 10,000 entries and 1 GiB in all are far above the published IDTA templates and real device
 * packages (a few dozen files, tens of MB); 256 MiB per entry is above the server's default attachment limit
 * (100 MB), so that limit, not this one, is what a user meets; 64 MiB of AAS XML or JSON is a very large
 * environment and still parses in memory. Deflate reaches about 1000:1 on degenerate input; XML and JSON
 * compress 5–30:1, documents and images hardly at all, so 100:1 over 1 MiB passes real content and stops bombs.
 */
export const DEFAULT_AASX_LIMITS: Readonly<AasxLimits> = {
  maxEntries: 10_000,
  maxTotalSize: 1024 * MiB,
  maxEntrySize: 256 * MiB,
  maxAasPartSize: 64 * MiB,
  maxInflateRatio: 100,
  inflateRatioFloor: 1 * MiB,
};

function refused(itemName: string, text: string): BadRequest {
  return new BadRequest(`The AASX package is not accepted: ${text}`, [{ text, path: itemName }]);
}

function tooLarge(itemName: string | undefined, text: string): BadRequest {
  return new BadRequest(`The AASX package inflates beyond this server's limits: ${text}`, [{ text, ...(itemName === undefined ? {} : { path: itemName }) }]);
}

/** Inflating `size` bytes from `compressedSize` exceeds the ratio (a zip bomb). */
function exceedsRatio(size: number, compressedSize: number, limits: AasxLimits): boolean {
  return size > limits.inflateRatioFloor && size > limits.maxInflateRatio * Math.max(compressedSize, 1);
}

/** Before any entry is read: the entry count. */
export function checkEntryCount(count: number, limits: AasxLimits): void {
  if (count > limits.maxEntries) throw tooLarge(undefined, `it has ${count} entries; at most ${limits.maxEntries} are accepted`);
}

/** Before any entry is read: one entry's declared sizes. */
export function checkDeclaredEntry(itemName: string, size: number, compressedSize: number, limits: AasxLimits): void {
  if (exceedsRatio(size, compressedSize, limits)) {
    throw refused(itemName, `entry "${itemName}" would inflate ${compressedSize} bytes to ${size} (more than ${limits.maxInflateRatio}:1), a zip bomb`);
  }
  if (size > limits.maxEntrySize) {
    throw tooLarge(itemName, `entry "${itemName}" has ${size} bytes uncompressed; at most ${limits.maxEntrySize} are accepted per entry`);
  }
}

/** Before any entry is read: the declared sizes of all entries together. */
export function checkDeclaredTotal(total: number, limits: AasxLimits): void {
  if (total > limits.maxTotalSize) {
    throw tooLarge(undefined, `its entries have ${total} bytes uncompressed; at most ${limits.maxTotalSize} are accepted`);
  }
}

/** A part read into memory (the AAS part, and with the same bound a relationships or content types part). */
export function checkAasPartSize(itemName: string, size: number, limits: AasxLimits, what = 'the AAS part'): void {
  if (size > limits.maxAasPartSize) {
    throw tooLarge(itemName, `${what} "${itemName}" has ${size} bytes; at most ${limits.maxAasPartSize} are accepted`);
  }
}

export interface InflatedEntry {
  itemName: string;
  /** Uncompressed size the central directory declares (already checked). */
  size: number;
  compressedSize: number;
}

/**
 * Passes an entry's inflated bytes through, counting them, and fails the stream when they exceed what the entry
 * declared, the per-entry limit or the inflate ratio, before passing on the chunk that crossed the line. Since
 * every entry is held to its declared size and the declared sizes were checked up front, the total is bounded
 * too, however often an entry is read.
 */
export class InflateGuard extends Transform {
  private inflated = 0;

  constructor(
    private readonly entry: InflatedEntry,
    private readonly limits: AasxLimits,
  ) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.inflated += chunk.length;
    const { itemName, size, compressedSize } = this.entry;
    if (this.inflated > size) {
      return callback(refused(itemName, `entry "${itemName}" inflates to more than the ${size} bytes its header declares`));
    }
    if (exceedsRatio(this.inflated, compressedSize, this.limits)) {
      return callback(refused(itemName, `entry "${itemName}" inflates more than ${this.limits.maxInflateRatio}:1, a zip bomb`));
    }
    if (this.inflated > this.limits.maxEntrySize) {
      return callback(tooLarge(itemName, `entry "${itemName}" has more than ${this.limits.maxEntrySize} bytes uncompressed`));
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    const { itemName, size } = this.entry;
    if (this.inflated !== size) return callback(refused(itemName, `entry "${itemName}" inflates to ${this.inflated} bytes, not the ${size} its header declares`));
    callback();
  }
}
