/**
 * Store contract, part 4: attachments (AttachmentStore). Bytes round-trip exactly, streamed; the size limit keeps
 * nothing behind; keys are scoped by owner; stage/commit/discard; replace and delete.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { PayloadTooLarge } from '../../src/errors.js';
import type { AasStore, AttachmentKey, AttachmentOwner } from '../../src/store/store.js';

const SM: AttachmentOwner = { kind: 'submodels', id: 'urn:example:sm:attachments' };
const SHELL: AttachmentOwner = { kind: 'shells', id: 'urn:example:sm:attachments' };
const PACKAGE: AttachmentOwner = { kind: 'packages', id: 'urn:example:sm:attachments' };
const key = (owner: AttachmentOwner, name: string): AttachmentKey => ({ owner, name });
const META = { contentType: 'application/pdf', fileName: 'Prüfbericht 2024 (final).pdf' };

/** `size` bytes of a deterministic pattern (different per seed), in chunks of up to 64 KiB. */
function patternBytes(size: number, seed = 1): Buffer {
  const bytes = Buffer.alloc(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

function streamOf(bytes: Buffer, chunk = 64 * 1024): Readable {
  const chunks: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunk) chunks.push(bytes.subarray(at, at + chunk));
  return Readable.from(chunks);
}

/** A stream that yields `before` bytes, then fails. */
function failingStream(before: number): Readable {
  return Readable.from(
    (async function* () {
      yield patternBytes(before);
      throw new Error('client went away');
    })(),
  );
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

export function attachmentCases(store: () => AasStore): void {
  describe('attachments', () => {
    it('returns exactly the bytes and meta that were put, and nothing for other keys', async () => {
      const bytes = patternBytes(300_000);
      assert.deepEqual(await store().attachments.put(key(SM, '/aasx/files/a/report.pdf'), streamOf(bytes), META, 1_000_000), { size: 300_000 });
      const got = await store().attachments.get(key(SM, '/aasx/files/a/report.pdf'));
      assert.ok(got);
      assert.equal(got.size, 300_000);
      assert.equal(got.contentType, META.contentType);
      assert.equal(got.fileName, META.fileName);
      assert.equal(sha256(await readAll(got.content)), sha256(bytes));
      assert.equal(await store().attachments.get(key(SM, '/aasx/files/a/other.pdf')), undefined);
      // the name is scoped by the owner: same id as a shell, or another submodel, sees nothing
      assert.equal(await store().attachments.get(key(SHELL, '/aasx/files/a/report.pdf')), undefined);
      assert.equal(await store().attachments.get(key({ kind: 'submodels', id: 'urn:example:sm:other' }, '/aasx/files/a/report.pdf')), undefined);
    });

    it('keeps empty content, and content of exactly maxBytes', async () => {
      assert.deepEqual(await store().attachments.put(key(SM, 'empty'), Readable.from([]), META, 10), { size: 0 });
      const empty = await store().attachments.get(key(SM, 'empty'));
      assert.equal(empty?.size, 0);
      assert.equal((await readAll(empty!.content)).length, 0);
      assert.deepEqual(await store().attachments.put(key(SM, 'exact'), streamOf(patternBytes(1000), 100), META, 1000), { size: 1000 });
    });

    it('rejects content beyond maxBytes with PayloadTooLarge and keeps nothing of it', async () => {
      await assert.rejects(store().attachments.put(key(SM, 'big'), streamOf(patternBytes(5000), 512), META, 4999), PayloadTooLarge);
      assert.equal(await store().attachments.get(key(SM, 'big')), undefined);
      assert.deepEqual(await store().attachments.names(SM), []);
      assert.deepEqual(await store().attachments.owners(), []);
    });

    it('rejects with the error of a failing content stream and keeps nothing', async () => {
      await assert.rejects(store().attachments.put(key(SM, 'broken'), failingStream(2048), META, 1_000_000), /client went away/);
      assert.equal(await store().attachments.get(key(SM, 'broken')), undefined);
      assert.deepEqual(await store().attachments.owners(), []);
    });

    it('a failed put over an existing key leaves the old content in place', async () => {
      const old = patternBytes(1000, 7);
      await store().attachments.put(key(SM, 'kept'), streamOf(old), META, 10_000);
      await assert.rejects(store().attachments.put(key(SM, 'kept'), streamOf(patternBytes(20_000)), META, 10_000), PayloadTooLarge);
      const got = await store().attachments.get(key(SM, 'kept'));
      assert.equal(sha256(await readAll(got!.content)), sha256(old));
    });

    it('replaces content and meta on a put to an existing key', async () => {
      await store().attachments.put(key(SM, 'doc'), streamOf(patternBytes(5000, 1)), META, 10_000);
      const next = patternBytes(1234, 2);
      await store().attachments.put(key(SM, 'doc'), streamOf(next), { contentType: 'text/plain', fileName: 'readme.txt' }, 10_000);
      const got = await store().attachments.get(key(SM, 'doc'));
      assert.deepEqual([got?.size, got?.contentType, got?.fileName], [1234, 'text/plain', 'readme.txt']);
      assert.equal(sha256(await readAll(got!.content)), sha256(next));
      assert.deepEqual(await store().attachments.names(SM), ['doc']);
    });

    it('deletes: true once, then false; the content is gone', async () => {
      await store().attachments.put(key(SM, 'gone'), streamOf(patternBytes(100)), META, 1000);
      assert.equal(await store().attachments.delete(key(SM, 'gone')), true);
      assert.equal(await store().attachments.delete(key(SM, 'gone')), false);
      assert.equal(await store().attachments.get(key(SM, 'gone')), undefined);
      assert.deepEqual(await store().attachments.names(SM), []);
    });

    it('lists names per owner in code-point order, and every owner that has some', async () => {
      const names = ['/aasx/files/b', '/aasx/files/a', '/aasx/files/ü', '/aasx/files/😀', '/aasx/files/\uFF01'];
      for (const name of names) await store().attachments.put(key(SM, name), streamOf(patternBytes(10)), META, 100);
      await store().attachments.put(key(SHELL, 'thumbnail.png'), streamOf(patternBytes(10)), META, 100);
      await store().attachments.put(key(PACKAGE, 'package.aasx'), streamOf(patternBytes(10, 2)), META, 100);
      assert.deepEqual(await store().attachments.names(SM), ['/aasx/files/a', '/aasx/files/b', '/aasx/files/ü', '/aasx/files/\uFF01', '/aasx/files/😀']);
      assert.deepEqual(await store().attachments.names(SHELL), ['thumbnail.png']);
      assert.deepEqual(await store().attachments.names({ kind: 'submodels', id: 'urn:none' }), []);
      const owners = await store().attachments.owners();
      assert.deepEqual(await store().attachments.names(PACKAGE), ['package.aasx']);
      assert.equal(owners.length, 3);
      assert.deepEqual(new Set(owners.map((o) => `${o.kind} ${o.id}`)), new Set([`shells ${SM.id}`, `submodels ${SM.id}`, `packages ${SM.id}`]));
    });

    it('stage: invisible until commit; discard keeps nothing; a second commit is refused', async () => {
      const bytes = patternBytes(70_000);
      const staged = await store().attachments.stage(streamOf(bytes), 100_000);
      assert.equal(staged.size, 70_000);
      assert.deepEqual(await store().attachments.owners(), []);
      await staged.commit(key(SM, 'staged'), META);
      assert.equal(sha256(await readAll((await store().attachments.get(key(SM, 'staged')))!.content)), sha256(bytes));
      await assert.rejects(staged.commit(key(SM, 'again'), META));
      await staged.discard(); // no-op after commit
      const still = await store().attachments.get(key(SM, 'staged'));
      assert.ok(still);
      still.content.destroy(); // an unread stream must still release its file

      const dropped = await store().attachments.stage(streamOf(patternBytes(10)), 100);
      await dropped.discard();
      await assert.rejects(dropped.commit(key(SM, 'dropped'), META));
      assert.deepEqual(await store().attachments.names(SM), ['staged']);
    });

    it('stage stops at maxBytes with PayloadTooLarge', async () => {
      await assert.rejects(store().attachments.stage(streamOf(patternBytes(2000), 100), 1999), PayloadTooLarge);
      assert.deepEqual(await store().attachments.owners(), []);
    });

    it('streams several megabytes through in both directions with the same hash', async () => {
      const size = 8 * 1024 * 1024 + 17;
      const bytes = patternBytes(size, 3);
      await store().attachments.put(key(SM, 'large'), streamOf(bytes, 16 * 1024), META, size);
      const got = await store().attachments.get(key(SM, 'large'));
      assert.equal(got?.size, size);
      assert.equal(sha256(await readAll(got!.content)), sha256(bytes));
    });
  });
}
