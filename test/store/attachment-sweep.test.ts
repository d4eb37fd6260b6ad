/**
 * AttachmentSweep (services/attachment-sweep.ts) over the embedded store: after a write, attachments the written
 * document no longer references are deleted (a package's bytes go with its record); pinned ones (an upload whose reference is not written yet) are not.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { AssetAdministrationShell, Submodel } from '../../src/model/types.js';
import { AttachmentSweep } from '../../src/services/attachment-sweep.js';
import { openEmbeddedStore } from '../../src/store/embedded/sqlite-store.js';
import type { AasStore, AttachmentOwner } from '../../src/store/store.js';

const SM: AttachmentOwner = { kind: 'submodels', id: 'urn:example:sm:sweep' };
const SHELL: AttachmentOwner = { kind: 'shells', id: 'urn:example:aas:sweep' };

function submodelWithFiles(...values: string[]): Submodel {
  const [first, ...rest] = values;
  const elements: unknown[] = [];
  if (first !== undefined) elements.push({ modelType: 'File', idShort: 'Top', value: first });
  if (rest.length > 0) {
    elements.push({
      modelType: 'SubmodelElementCollection',
      idShort: 'Group',
      value: [{ modelType: 'SubmodelElementList', idShort: 'Files', value: rest.map((value) => ({ modelType: 'File', value })) }],
    });
  }
  return { modelType: 'Submodel', id: SM.id, ...(elements.length ? { submodelElements: elements } : {}) } as unknown as Submodel;
}

function shellWithThumbnail(path?: string): AssetAdministrationShell {
  const assetInformation = { assetKind: 'Instance', ...(path ? { defaultThumbnail: { path } } : {}) };
  return { modelType: 'AssetAdministrationShell', id: SHELL.id, assetInformation } as unknown as AssetAdministrationShell;
}

describe('attachment sweep', () => {
  let dataDir: string;
  let inner: AasStore;
  let sweep: AttachmentSweep;
  let errors: unknown[];
  const put = (owner: AttachmentOwner, name: string) =>
    inner.attachments.put({ owner, name }, Readable.from([Buffer.from(name)]), { contentType: 'text/plain', fileName: 'x' }, 1000);

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'aas-sweep-'));
    inner = await openEmbeddedStore({ dataDir });
    errors = [];
    sweep = new AttachmentSweep(inner, (error) => errors.push(error));
  });
  afterEach(async () => {
    await inner.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('after a write, keeps what the document references at any depth and deletes the rest', async () => {
    for (const name of ['/a', '/b', '/c', '/d']) await put(SM, name);
    await sweep.store.write([{ kind: 'submodels', op: 'upsert', doc: submodelWithFiles('/a', '/c') }]);
    assert.deepEqual(await inner.attachments.names(SM), ['/a', '/c']);
    await sweep.store.write([{ kind: 'submodels', op: 'upsert', doc: submodelWithFiles('/c') }]);
    assert.deepEqual(await inner.attachments.names(SM), ['/c']);
    await sweep.store.write([{ kind: 'submodels', op: 'upsert', doc: submodelWithFiles() }]);
    assert.deepEqual(await inner.attachments.names(SM), []);
    assert.deepEqual(errors, []);
  });

  it('a deleted document takes all its attachments along; other owners keep theirs', async () => {
    await sweep.store.write([{ kind: 'submodels', op: 'create', doc: submodelWithFiles('/a') }, { kind: 'shells', op: 'create', doc: shellWithThumbnail('/t.png') }]);
    await put(SM, '/a');
    await put(SHELL, '/t.png');
    await sweep.store.write([{ kind: 'submodels', op: 'delete', id: SM.id }]);
    assert.deepEqual(await inner.attachments.names(SM), []);
    assert.deepEqual(await inner.attachments.names(SHELL), ['/t.png']);
    await sweep.store.write([{ kind: 'shells', op: 'update', doc: shellWithThumbnail() }]);
    assert.deepEqual(await inner.attachments.names(SHELL), []);
  });

  it("keeps the bytes a package's record names, drops an earlier version's, and all with the record", async () => {
    const PACKAGE: AttachmentOwner = { kind: 'packages', id: 'urn:example:package' };
    const record = (attachment: string) => ({ id: PACKAGE.id, attachment, fileName: 'p.aasx', aasIds: [], submodelIds: [] });
    await sweep.store.write([{ kind: 'packages', op: 'create', doc: record('v1') }]);
    await put(PACKAGE, 'v1');
    await put(PACKAGE, 'stray');
    assert.equal(await sweep.sweepAll(), 1);
    assert.deepEqual(await inner.attachments.names(PACKAGE), ['v1']);
    await put(PACKAGE, 'v2');
    await sweep.store.write([{ kind: 'packages', op: 'update', doc: record('v2') }]);
    assert.deepEqual(await inner.attachments.names(PACKAGE), ['v2']);
    await sweep.store.write([{ kind: 'packages', op: 'delete', id: PACKAGE.id }]);
    assert.deepEqual(await inner.attachments.names(PACKAGE), []);
  });

  it('leaves a pinned attachment alone until it is released', async () => {
    await sweep.store.write([{ kind: 'submodels', op: 'create', doc: submodelWithFiles() }]);
    const unpin = sweep.pin({ owner: SM, name: '/uploading' });
    await put(SM, '/uploading');
    assert.equal(await sweep.sweep(SM), 0);
    assert.deepEqual(await inner.attachments.names(SM), ['/uploading']);
    unpin();
    unpin(); // releasing twice is harmless
    assert.equal(await sweep.sweep(SM), 1);
    assert.deepEqual(await inner.attachments.names(SM), []);
  });

  it('sweepAll reaches every owner, including those whose document is gone', async () => {
    await inner.write([{ kind: 'shells', op: 'create', doc: shellWithThumbnail('/t.png') }]);
    await put(SHELL, '/t.png');
    await put(SHELL, '/old.png');
    await put({ kind: 'submodels', id: 'urn:gone' }, '/x');
    assert.equal(await sweep.sweepAll(), 2);
    assert.deepEqual(await inner.attachments.owners(), [SHELL]);
  });

  it('a failing sweep is reported and the write still succeeds', async () => {
    await put(SM, '/a');
    const failing = new AttachmentSweep(
      new Proxy(inner, {
        get: (target, p) =>
          p === 'attachments' ? { ...target.attachments, names: async () => Promise.reject(new Error('disk gone')) } : Reflect.get(target, p, target),
      }),
      (error) => errors.push(error),
    );
    assert.deepEqual(await failing.store.write([{ kind: 'submodels', op: 'upsert', doc: submodelWithFiles() }]), ['created']);
    assert.equal(errors.length, 1);
    assert.match(String(errors[0]), /disk gone/);
  });

  it('passes every other member of the store through', async () => {
    await sweep.store.ping();
    assert.equal(await sweep.store.isEmpty(), true);
    assert.equal(sweep.store.attachments, inner.attachments);
    await sweep.store.write([{ kind: 'submodels', op: 'create', doc: submodelWithFiles() }]);
    assert.equal(await sweep.store.submodels.count(), 1);
  });
});
