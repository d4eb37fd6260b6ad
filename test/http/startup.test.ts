import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startServer } from '../../src/server.js';
import { b64, request, shell, submodel } from './fixtures.js';
import { environmentToXml } from '../../src/interchange/xml/index.js';
import type { Environment } from '../../src/model/types.js';

describe('start-up: persistence, demo data, preload directory', () => {
  let dir: string;
  const config = (extra: Partial<Config>): Config => ({ ...loadConfig({}, []), host: '127.0.0.1', port: 0, logLevel: 'silent', dataDir: join(dir, 'data'), ...extra });
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'aas-startup-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('keeps data across restarts and loads the demo only into an empty store', async () => {
    let srv = await startServer(config({ demo: true }), createLogger('silent'));
    const demoShells = (await request('GET', `${srv.baseUrl}/shells`)).body.result.length;
    assert.ok(demoShells >= 2);
    const victim = (await request('GET', `${srv.baseUrl}/shells`)).body.result[0].id;
    assert.equal((await request('DELETE', `${srv.baseUrl}/shells/${b64(victim)}`)).status, 204);
    await request('POST', `${srv.baseUrl}/shells`, shell('urn:example:aas:persisted'));
    await srv.close();

    srv = await startServer(config({ demo: true }), createLogger('silent'));
    try {
      const ids = (await request('GET', `${srv.baseUrl}/shells`)).body.result.map((s: { id: string }) => s.id);
      assert.ok(ids.includes('urn:example:aas:persisted'));
      assert.ok(!ids.includes(victim), 'the demo was not loaded again into a store that has data');
      assert.equal(ids.length, demoShells);
    } finally {
      await srv.close();
    }
  });

  it('preloads every *.json and *.xml environment of the preload directory, skipping a bad file whole', async () => {
    const preloadDir = join(dir, 'preload');
    await rm(preloadDir, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(preloadDir));
    await writeFile(join(preloadDir, 'a.json'), JSON.stringify({ assetAdministrationShells: [shell('urn:example:aas:pre')], submodels: [submodel('urn:example:sm:pre')] }));
    // One invalid submodel makes the whole file fail; its valid shell must not be stored either.
    await writeFile(join(preloadDir, 'b.json'), JSON.stringify({ assetAdministrationShells: [shell('urn:example:aas:half')], submodels: [{ modelType: 'Submodel' }] }));
    await writeFile(join(preloadDir, 'c.json'), '{ not json');
    await writeFile(join(preloadDir, 'notes.txt'), 'ignored');
    await writeFile(join(preloadDir, 'd.xml'), environmentToXml({ submodels: [submodel('urn:example:sm:xml')] } as unknown as Environment, { version: '3.0' }));
    await writeFile(join(preloadDir, 'e.xml'), '<environment xmlns="https://admin-shell.io/aas/3/1"><submodels><submodel><id>urn:example:sm:bad-xml</id><oops/></submodel></submodels></environment>');
    const srv = await startServer(config({ dataDir: join(dir, 'data2'), demo: false, preloadDir }), createLogger('silent'));
    try {
      assert.equal((await request('GET', `${srv.baseUrl}/shells/${b64('urn:example:aas:pre')}`)).status, 200);
      assert.equal((await request('GET', `${srv.baseUrl}/submodels/${b64('urn:example:sm:pre')}`)).status, 200);
      assert.equal((await request('GET', `${srv.baseUrl}/shells/${b64('urn:example:aas:half')}`)).status, 404);
      assert.equal((await request('GET', `${srv.baseUrl}/submodels/${b64('urn:example:sm:xml')}`)).status, 200);
      assert.equal((await request('GET', `${srv.baseUrl}/submodels/${b64('urn:example:sm:bad-xml')}`)).status, 404);
    } finally {
      await srv.close();
    }
  });

  it('refuses the MongoDB store without MONGODB_URI, saying so', async () => {
    await assert.rejects(startServer(config({ store: 'mongodb', mongodbUri: undefined }), createLogger('silent')), /AAS_STORE=mongodb needs MONGODB_URI/);
  });
});
