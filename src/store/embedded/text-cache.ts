/**
 * A least-recently-used cache of document texts, bounded by their total size. The embedded store assembles a
 * submodel's text from a header and its element rows; keeping recent results saves that work on the reads that
 * dominate (a client polling the same submodels). Coherent because one process owns the data directory and
 * every write to a submodel drops its entry first.
 */
export class TextCache {
  private readonly entries = new Map<string, string>();
  private size = 0;

  /** `maxChars`: the most UTF-16 code units kept in all (0 turns the cache off). */
  constructor(private readonly maxChars: number) {}

  get(key: string): string | undefined {
    const text = this.entries.get(key);
    if (text !== undefined) {
      // Map order is insertion order: re-inserting makes this the most recently used.
      this.entries.delete(key);
      this.entries.set(key, text);
    }
    return text;
  }

  set(key: string, text: string): void {
    this.delete(key);
    if (text.length > this.maxChars / 4) return; // one huge document must not flush everything else
    this.entries.set(key, text);
    this.size += text.length;
    for (const [oldest, old] of this.entries) {
      if (this.size <= this.maxChars) break;
      this.entries.delete(oldest);
      this.size -= old.length;
    }
  }

  delete(key: string): void {
    const text = this.entries.get(key);
    if (text === undefined) return;
    this.entries.delete(key);
    this.size -= text.length;
  }
}
