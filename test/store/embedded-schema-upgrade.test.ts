/**
 * Opening a version-2 data directory (submodels stored whole in `submodels.doc`) splits every submodel into its
 * header and element rows (schema version 3, and on to the current one), keeping every document byte-for-byte.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { Submodel } from '../../src/model/types.js';
import { SCHEMA_VERSION } from '../../src/store/embedded/schema.js';
import { openEmbeddedStore } from '../../src/store/embedded/sqlite-store.js';

const docs = [
  { idShort: 'A', id: 'urn:a', submodelElements: [{ modelType: 'Property', idShort: 'P', valueType: 'xs:string', value: 'x' }, { modelType: 'Property', idShort: 'Q', valueType: 'xs:int', value: '1' }], modelType: 'Submodel' },
  { modelType: 'Submodel', id: 'urn:b' },
  { id: 'urn:c', submodelElements: [], description: [{ language: 'en', text: '"submodelElements":[]' }], modelType: 'Submodel' },
] as unknown as Submodel[];

/** A version-2 file: the version-2 tables with every submodel whole in `doc`, as that version wrote them. */
function writeVersion2(file: string): void {
  const db = new Database(file);
  db.exec(`
    CREATE TABLE submodels (id TEXT NOT NULL PRIMARY KEY COLLATE BINARY, id_short TEXT COLLATE BINARY, doc TEXT NOT NULL);
    CREATE INDEX submodels_by_id_short ON submodels (id_short, id);
    CREATE TABLE submodel_terms (term TEXT NOT NULL COLLATE BINARY, doc_id TEXT NOT NULL COLLATE BINARY, PRIMARY KEY (term, doc_id)) WITHOUT ROWID;
    CREATE INDEX submodel_terms_by_doc ON submodel_terms (doc_id);
    CREATE TABLE shells (id TEXT NOT NULL PRIMARY KEY COLLATE BINARY, id_short TEXT COLLATE BINARY, doc TEXT NOT NULL);
    CREATE INDEX shells_by_id_short ON shells (id_short, id);
    CREATE TABLE shell_terms (term TEXT NOT NULL COLLATE BINARY, doc_id TEXT NOT NULL COLLATE BINARY, PRIMARY KEY (term, doc_id)) WITHOUT ROWID;
    CREATE INDEX shell_terms_by_doc ON shell_terms (doc_id);
    CREATE TABLE concept_descriptions (id TEXT NOT NULL PRIMARY KEY COLLATE BINARY, id_short TEXT COLLATE BINARY, doc TEXT NOT NULL);
    CREATE INDEX concept_descriptions_by_id_short ON concept_descriptions (id_short, id);
    CREATE TABLE concept_description_terms (term TEXT NOT NULL COLLATE BINARY, doc_id TEXT NOT NULL COLLATE BINARY, PRIMARY KEY (term, doc_id)) WITHOUT ROWID;
    CREATE INDEX concept_description_terms_by_doc ON concept_description_terms (doc_id);
    CREATE TABLE attachments (owner_kind TEXT NOT NULL, owner_id TEXT NOT NULL COLLATE BINARY, name TEXT NOT NULL COLLATE BINARY,
      file TEXT NOT NULL UNIQUE, content_type TEXT NOT NULL, file_name TEXT NOT NULL, size INTEGER NOT NULL,
      PRIMARY KEY (owner_kind, owner_id, name)) WITHOUT ROWID;
  `);
  const insert = db.prepare('INSERT INTO submodels (id, id_short, doc) VALUES (?, ?, ?)');
  for (const doc of docs) insert.run(doc.id, doc.idShort ?? null, JSON.stringify(doc));
  db.prepare('INSERT INTO submodel_terms (term, doc_id) VALUES (?, ?)').run('k:urn:sem', 'urn:a');
  db.pragma('user_version = 2');
  db.close();
}

describe('embedded store: schema upgrade 2 to 3', () => {
  it('splits every stored submodel and serves the same documents and elements', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'aas-upgrade-'));
    try {
      writeVersion2(join(dataDir, 'aas.sqlite'));
      const store = await openEmbeddedStore({ dataDir });
      try {
        for (const doc of docs) assert.equal(await store.submodels.getJson(doc.id), JSON.stringify(doc));
        const revisions = await Promise.all(docs.map(async (doc) => (await store.submodels.getRevised(doc.id))?.revision));
        assert.ok(revisions.every((r) => /^[0-9a-f]{32}$/.test(r ?? '')) && new Set(revisions).size === docs.length, 'each document got a revision');
        assert.deepEqual((await store.submodels.list({}, { limit: 10 })).items, docs);
        assert.deepEqual((await store.submodels.list({ idShort: 'A' }, { limit: 10 })).items, [docs[0]]);
        assert.deepEqual(await store.submodels.getTopLevelElement('urn:a', 'Q'), docs[0].submodelElements?.[1]);
        const changed = { modelType: 'Property', idShort: 'P', valueType: 'xs:string', value: 'y' } as never;
        await store.write([{ kind: 'submodelElement', op: 'replace', submodelId: 'urn:a', element: changed }]);
        assert.deepEqual((await store.submodels.get('urn:a'))?.submodelElements?.[0], changed);
        await store.assetConnections.put({ id: 'c' }, 'create');
        assert.deepEqual(await store.assetConnections.list(), [{ id: 'c' }]);
      } finally {
        await store.close();
      }
      const db = new Database(join(dataDir, 'aas.sqlite'), { readonly: true });
      assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
      assert.equal(db.prepare('SELECT count(*) FROM submodel_elements').pluck().get(), 2);
      db.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
