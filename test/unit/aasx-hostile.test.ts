/**
 * Hostile and broken archives: each is refused with BadRequest (400), naming the entry (also a package beyond
 * the size limits: they are the zip-bomb defence); and a rejected package read from disk leaves no file open
 * (the reader never writes anything to disk, so an open handle is all it could leave behind).
 */
import assert from 'node:assert/strict';
import { readdirSync, readlinkSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buffer as readAll } from 'node:stream/consumers';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { BadRequest } from '../../src/errors.js';
import { readAasx, type AasxLimits } from '../../src/interchange/aasx/index.js';
import {
  declareSize,
  markEncrypted,
  minimalPackageEntries,
  MINIMAL_XML,
  relationshipsXmlText,
  renameEntry,
  zipOf,
  type ZipEntrySpec,
} from './aasx-fixtures.js';

const MiB = 1024 ** 2;

/** A valid package plus `extra` entries. */
const packageWith = (...extra: ZipEntrySpec[]) => zipOf([...minimalPackageEntries(), ...extra]);

/** Asserts rejection with BadRequest and a message matching `message`. */
async function refused(source: Buffer | string, message: RegExp, limits?: Partial<AasxLimits>): Promise<void> {
  await assert.rejects(readAasx(source, limits), (error: unknown) => {
    assert.ok(error instanceof BadRequest, `expected BadRequest, got ${String(error)}`);
    assert.match((error as Error).message, message);
    return true;
  });
}

describe('readAasx refuses hostile archives', () => {
  it('accepts the valid base package these cases start from', async () => {
    const pkg = await readAasx(await packageWith({ name: 'aasx/files/ok.bin', data: 'fine' }));
    pkg.close();
    assert.equal(pkg.environment.submodels?.[0].id, 'urn:s');
  });

  it('a zip bomb: a highly compressible large entry', async () => {
    // 64 MiB of zeros deflate to about 64 KiB: 1000:1, declared honestly in the headers.
    await refused(await packageWith({ name: 'aasx/files/zeros.bin', data: Buffer.alloc(64 * MiB) }), /zeros\.bin.*zip bomb/);
  });

  it('a zip bomb whose headers lie about its size: caught on the inflated bytes', async () => {
    // The AAS part inflates to 8 MiB of whitespace-padded XML but declares 1000 bytes (ratio and size checks pass up front).
    const padded = MINIMAL_XML.replace('<submodels>', `${' '.repeat(8 * MiB)}<submodels>`);
    const zip = declareSize(await zipOf(minimalPackageEntries(padded)), 'aasx/xml/content.xml', 1000);
    await refused(zip, /content\.xml.*more than the 1000 bytes its header declares/);
  });

  it('an attachment whose header lies: the package reads, the file stream fails', async () => {
    const environment = MINIMAL_XML.replace('<idShort>S</idShort>', '<idShort>S</idShort><submodelElements><file><idShort>F</idShort><contentType>application/octet-stream</contentType><value>/aasx/files/big.bin</value></file></submodelElements>');
    const entries = [...minimalPackageEntries(environment), { name: 'aasx/files/big.bin', data: Buffer.alloc(4 * MiB) }];
    const zip = declareSize(await zipOf(entries), 'aasx/files/big.bin', 100);
    const pkg = await readAasx(zip);
    try {
      const file = pkg.files.get('/aasx/files/big.bin');
      assert.equal(file?.size, 100);
      await assert.rejects(readAll(await file.open()), (error: unknown) => error instanceof BadRequest && /big\.bin.*declares/.test(error.message));
    } finally {
      pkg.close();
    }
  });

  it('an entry that inflates to less than it declares', async () => {
    const zip = declareSize(await zipOf(minimalPackageEntries()), 'aasx/xml/content.xml', MINIMAL_XML.length + 10);
    await refused(zip, /content\.xml.*inflates to \d+ bytes, not the \d+/);
  });

  const names: [hostile: string, placeholder: string, message: RegExp][] = [
    ['../evil', 'xx/evil', /"\.\.\/evil".*relative path/],
    ['aasx/../../evil', 'aasx/xx/xx/evil', /relative path/],
    ['aasx/%2e%2e/evil', 'aasx/xxxxxx/evil', /relative path/],
    ['/abs', 'xabs', /"\/abs" has an absolute path/],
    ['C:\\x', 'Cxxx', /"C:\\x".*(drive|backslash)/],
    ['aasx\\files\\x', 'aasxxfilesxx', /backslash/],
    ['aasx//x', 'aasxyzx', /empty path segment/],
  ];
  for (const [hostile, placeholder, message] of names) {
    it(`an entry named ${JSON.stringify(hostile)}`, async () => {
      const zip = renameEntry(await packageWith({ name: placeholder, data: 'payload' }), placeholder, hostile);
      await refused(zip, message);
    });
  }

  it('the same part name twice, differing only in case', async () => {
    await refused(await packageWith({ name: 'aasx/files/Manual.pdf', data: 'a' }, { name: 'aasx/files/manual.PDF', data: 'b' }), /twice.*ignore case/);
  });

  it('the same part name twice, exactly', async () => {
    await refused(await packageWith({ name: 'aasx/files/a.pdf', data: 'a' }, { name: 'aasx/files/a.pdf', data: 'b' }), /"\/aasx\/files\/a\.pdf" twice/);
  });

  it('an encrypted entry', async () => {
    await refused(markEncrypted(await packageWith({ name: 'aasx/files/secret.bin', data: 'x' }), 'aasx/files/secret.bin'), /secret\.bin.*encrypted/);
  });

  it('a DOCTYPE in a relationships part (XXE)', async () => {
    const entries = minimalPackageEntries().map((e) =>
      e.name === '_rels/.rels' ? { ...e, data: `<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>${String(e.data).replace(/^<\?xml[^>]*>/, '')}` } : e,
    );
    await refused(await zipOf(entries), /_rels\/\.rels.*document type declaration/);
  });

  it('not a ZIP at all, an empty upload, a truncated archive', async () => {
    await refused(Buffer.from('<environment/>'), /not a ZIP archive/);
    await refused(Buffer.alloc(0), /not a ZIP archive/);
    const zip = await packageWith();
    await refused(zip.subarray(0, zip.length - 30), /not a ZIP archive/);
  });

  describe('size limits (400: the zip-bomb defence)', () => {
    it('too many entries', async () => {
      const many = Array.from({ length: 6 }, (_, i) => ({ name: `aasx/files/f${i}.bin`, data: 'x' }));
      await refused(await packageWith(...many), /11 entries; at most 10/, { maxEntries: 10 });
    });

    it('an entry over the per-entry limit, and entries over the total', async () => {
      const big = { name: 'aasx/files/big.bin', data: Buffer.alloc(300_000, 'ab') };
      await refused(await packageWith(big), /big\.bin.*300000 bytes.*at most 200000 are accepted per entry/, { maxEntrySize: 200_000 });
      await refused(await packageWith(big, { ...big, name: 'aasx/files/big2.bin' }), /at most 500000 are accepted/, { maxTotalSize: 500_000 });
    });

    it('an AAS part over its limit', async () => {
      const large = MINIMAL_XML.replace('<submodels>', `<!--${'x'.repeat(5000)}--><submodels>`);
      await refused(await zipOf(minimalPackageEntries(large)), /the AAS part "aasx\/xml\/content\.xml" has \d+ bytes; at most 2000/, { maxAasPartSize: 2000 });
    });
  });

  describe('broken packages', () => {
    const without = (name: string) => minimalPackageEntries().filter((e) => e.name !== name);
    const replacing = (name: string, data: string) => minimalPackageEntries().map((e) => (e.name === name ? { ...e, data } : e));

    it('no package relationships', async () => {
      await refused(await zipOf(without('_rels/.rels')), /no package relationships/);
    });

    it('no aasx-origin relationship', async () => {
      await refused(await zipOf(replacing('_rels/.rels', relationshipsXmlText())), /no aasx-origin relationship/);
    });

    it('no relationships of the origin part', async () => {
      await refused(await zipOf(without('aasx/_rels/aasx-origin.rels')), /origin part \/aasx\/aasx-origin has no relationships part/);
    });

    it('an aas-spec relationship to a part that is not there', async () => {
      await refused(await zipOf(without('aasx/xml/content.xml')), /no aas-spec relationship to a part in the package/);
    });

    it('relationships that are not well-formed XML', async () => {
      await refused(await zipOf(replacing('aasx/_rels/aasx-origin.rels', '<Relationships><Relationship')), /aasx-origin\.rels is not well-formed XML/);
    });

    it('an AAS part that does not parse: the XML reader\'s details come through', async () => {
      const error = await readAasx(await zipOf(minimalPackageEntries(MINIMAL_XML.replace('<idShort>S</idShort>', '<idShort>S</idShort><colour>red</colour>')))).then(
        () => assert.fail('accepted'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof BadRequest);
      assert.match(error.message, /AAS part \/aasx\/xml\/content\.xml/);
      assert.ok(error.details.some((d) => d.path?.includes('/environment/submodels/submodel') && /colour/.test(d.text)), JSON.stringify(error.details));
    });

    it('an AAS XML part in an unknown namespace (e.g. metamodel V2)', async () => {
      await refused(await zipOf(minimalPackageEntries(MINIMAL_XML.replace('https://admin-shell.io/aas/3/1', 'http://www.admin-shell.io/aas/2/0'))), /namespace/);
    });

    it('a JSON AAS part that is not JSON', async () => {
      const entries = minimalPackageEntries()
        .filter((e) => e.name !== 'aasx/xml/content.xml')
        .map((e) => (e.name === 'aasx/_rels/aasx-origin.rels' ? { ...e, data: relationshipsXmlText(['http://admin-shell.io/aasx/relationships/aas-spec', '/aasx/env.json']) } : e));
      await refused(await zipOf([...entries, { name: 'aasx/env.json', data: '{"submodels": [' }]), /\/aasx\/env\.json is not JSON/);
    });
  });

  describe('from a file on disk', () => {
    let dir: string;
    before(async () => {
      dir = await mkdtemp(join(tmpdir(), 'aasx-hostile-'));
    });
    after(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    /** Whether this process still holds a descriptor on `path` (Linux /proc; undefined elsewhere). */
    function holdsOpen(path: string): boolean | undefined {
      let fds: string[];
      try {
        fds = readdirSync('/proc/self/fd');
      } catch {
        return undefined;
      }
      return fds.some((fd) => {
        try {
          return readlinkSync(`/proc/self/fd/${fd}`) === path;
        } catch {
          return false;
        }
      });
    }

    it('(control) an accepted package holds its file open until close()', async (t) => {
      const path = join(dir, 'valid.aasx');
      await writeFile(path, await packageWith());
      const pkg = await readAasx(path);
      const held = holdsOpen(path);
      pkg.close();
      if (held === undefined) return t.skip('no /proc/self/fd here');
      assert.equal(held, true, 'the descriptor check can see an open archive');
      for (let i = 0; i < 50 && holdsOpen(path); i++) await delay(10);
      assert.equal(holdsOpen(path), false);
    });

    for (const [what, build] of [
      ['a hostile entry name', async () => renameEntry(await packageWith({ name: 'xx/evil', data: 'x' }), 'xx/evil', '../evil')],
      ['a lying AAS part', async () => declareSize(await zipOf(minimalPackageEntries(MINIMAL_XML + ' '.repeat(MiB))), 'aasx/xml/content.xml', 500)],
      ['a broken relationship chain', async () => zipOf(minimalPackageEntries().filter((e) => e.name !== 'aasx/_rels/aasx-origin.rels'))],
      ['not a ZIP', async () => Buffer.from('not a zip')],
    ] as const) {
      it(`rejects ${what} and leaves the file closed`, async (t) => {
        const path = join(dir, `${what.replace(/\W+/g, '-')}.aasx`);
        await writeFile(path, await build());
        if (holdsOpen(path) === undefined) t.diagnostic('no /proc/self/fd here: the descriptor check is skipped');
        await assert.rejects(readAasx(path), BadRequest);
        // yauzl closes the descriptor asynchronously once its last reader is released.
        for (let i = 0; i < 50 && holdsOpen(path); i++) await delay(10);
        assert.notEqual(holdsOpen(path), true, `${path} is still open`);
        assert.deepEqual(readdirSync(dir).filter((name) => !name.endsWith('.aasx')), [], 'nothing else written');
      });
    }
  });
});
