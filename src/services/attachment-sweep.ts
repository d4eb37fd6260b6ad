/**
 * No orphaned attachments: after every write of a shell, submodel or package record, whoever made it (a route, an
 * import, a shell deleting its submodel), the attachments that document no longer references are deleted. A
 * decorator around the store's `write` (BaSyx-style: a feature around the repository, not `if`s inside it), so every
 * writer is covered and the bytes are gone when the write's caller gets its answer.
 *
 * Order makes it crash-safe: bytes are committed before a document references them, and a document drops its
 * reference before the bytes go. So a crash between the two steps leaves bytes nobody references, never a
 * reference to bytes that are missing; such leftovers are harmless (content is reached only through a reference)
 * and removed by the next write of their owner or by `sweepAll` at start.
 *
 * An upload's bytes exist before the write that references them; until that write is done they are pinned, so a
 * sweep running in between (another write to the same submodel) leaves them alone.
 */
import { shellAttachmentPaths, submodelAttachmentPaths } from '../model/attachment-paths.js';
import type { AasStore, AttachmentKey, AttachmentOwner, WriteOp } from '../store/store.js';

const pinKey = (key: AttachmentKey) => `${key.owner.kind}\u0000${key.owner.id}\u0000${key.name}`;

function ownersOf(ops: readonly WriteOp[]): AttachmentOwner[] {
  const seen = new Map<string, AttachmentOwner>();
  for (const op of ops) {
    if (op.kind === 'submodelElement') {
      // An element write may drop a File element's value, so its submodel's attachments are swept too.
      seen.set(`submodels\u0000${op.submodelId}`, { kind: 'submodels', id: op.submodelId });
      continue;
    }
    if (op.kind === 'conceptDescriptions') continue;
    const id = op.op === 'delete' ? op.id : op.doc.id;
    seen.set(`${op.kind}\u0000${id}`, { kind: op.kind, id });
  }
  return [...seen.values()];
}

export class AttachmentSweep {
  /** The store to hand to everyone else: the same store, with `write` followed by a sweep of what it wrote. */
  readonly store: AasStore;
  private readonly pins = new Map<string, number>();

  /** `onError` sees a failed sweep; the write it followed has happened and still succeeds. */
  constructor(
    private readonly inner: AasStore,
    private readonly onError: (error: unknown, owner: AttachmentOwner) => void = () => {},
  ) {
    const write = async (ops: readonly WriteOp[]) => {
      const outcomes = await inner.write(ops);
      for (const owner of ownersOf(ops)) await this.sweepQuietly(owner);
      return outcomes;
    };
    // A Proxy rather than a class implementing AasStore: members added to the contract later pass through.
    const bound = new Map<PropertyKey, unknown>();
    this.store = new Proxy(inner, {
      get(target, property) {
        if (property === 'write') return write;
        const value = Reflect.get(target, property, target);
        if (typeof value !== 'function') return value;
        if (!bound.has(property)) bound.set(property, value.bind(target));
        return bound.get(property);
      },
    });
  }

  /** Keeps `key` from being swept until the returned function is called (once its referencing write is done). */
  pin(key: AttachmentKey): () => void {
    const k = pinKey(key);
    this.pins.set(k, (this.pins.get(k) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const n = (this.pins.get(k) ?? 1) - 1;
      if (n > 0) this.pins.set(k, n);
      else this.pins.delete(k);
    };
  }

  /**
   * Deletes the owner's attachments its current document does not reference (all of them when it is gone);
   * returns how many. Safe against concurrent uploads: the names are listed, then the pins checked, then the
   * document read. A name listed and not pinned belongs to an upload whose write has finished, so the document
   * read afterwards already shows whether it is referenced.
   */
  async sweep(owner: AttachmentOwner): Promise<number> {
    const names = await this.inner.attachments.names(owner);
    const candidates = names.filter((name) => !this.pins.has(pinKey({ owner, name })));
    if (candidates.length === 0) return 0;
    const referenced = await this.referencedPaths(owner);
    let deleted = 0;
    for (const name of candidates) {
      if (!referenced.has(name) && (await this.inner.attachments.delete({ owner, name }))) deleted++;
    }
    return deleted;
  }

  /** Sweeps every owner that has attachments: at start, for what a crash left between the two steps. */
  async sweepAll(): Promise<number> {
    let deleted = 0;
    for (const owner of await this.inner.attachments.owners()) deleted += await this.sweep(owner);
    return deleted;
  }

  private async referencedPaths(owner: AttachmentOwner): Promise<Set<string>> {
    if (owner.kind === 'packages') {
      // A package's bytes are those its record names (the current version's).
      const record = await this.inner.packages.get(owner.id);
      return new Set(record ? [record.attachment] : []);
    }
    if (owner.kind === 'submodels') {
      const submodel = await this.inner.submodels.get(owner.id);
      return submodel ? submodelAttachmentPaths(submodel) : new Set();
    }
    const shell = await this.inner.shells.get(owner.id);
    return shell ? shellAttachmentPaths(shell) : new Set();
  }

  private async sweepQuietly(owner: AttachmentOwner): Promise<void> {
    try {
      await this.sweep(owner);
    } catch (error) {
      this.onError(error, owner);
    }
  }
}
