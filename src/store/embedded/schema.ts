/**
 * The SQLite schema of the embedded store, and its version.
 *
 * Per kind: a document table (id, idShort, JSON text) and a term table `(term, doc_id)` holding the indexed
 * facts of index-terms.ts. Ids compare with the BINARY collation; the database encoding is UTF-8, so BINARY is
 * byte order of UTF-8, which is Unicode code-point order (the order the store contract promises).
 *
 * The term table is keyed `(term, doc_id)` so a filtered page is one ordered range scan of that key:
 * `term = ? AND doc_id > ? ORDER BY doc_id LIMIT n`, no matter how many documents the term matches.
 */
import type Database from 'better-sqlite3';
import { splitSubmodel } from './submodel-layout.js';

export const SCHEMA_VERSION = 6;

/** Table names of one kind. Fixed strings, never user input, so they may be spliced into SQL. */
export interface KindTables {
  docs: string;
  terms: string;
  /** Index `(id_short, id)` on `docs`, named so list queries can pin it with INDEXED BY. */
  idShortIndex: string;
}

export const SHELL_TABLES: KindTables = {
  docs: 'shells',
  terms: 'shell_terms',
  idShortIndex: 'shells_by_id_short',
};
export const SUBMODEL_TABLES: KindTables = {
  docs: 'submodels',
  terms: 'submodel_terms',
  idShortIndex: 'submodels_by_id_short',
};
export const CONCEPT_DESCRIPTION_TABLES: KindTables = {
  docs: 'concept_descriptions',
  terms: 'concept_description_terms',
  idShortIndex: 'concept_descriptions_by_id_short',
};

/** Records of uploaded AASX packages; their terms are the shells each package holds. */
export const PACKAGE_TABLES: KindTables = {
  docs: 'packages',
  terms: 'package_terms',
  idShortIndex: 'packages_by_id_short',
};

/** The tables of the three kinds of Identifiables (packages came later, see PACKAGES_DDL). */
export const ALL_TABLES = [SHELL_TABLES, SUBMODEL_TABLES, CONCEPT_DESCRIPTION_TABLES];

function kindDdl(t: KindTables): string {
  // A rowid table for the documents (they can be large; WITHOUT ROWID suits small rows only), with the id
  // as a unique key. The term table is small rows only, so WITHOUT ROWID stores it as the (term, doc_id) index.
  return `
    CREATE TABLE ${t.docs} (
      id TEXT NOT NULL PRIMARY KEY COLLATE BINARY,
      id_short TEXT COLLATE BINARY,
      doc TEXT NOT NULL
    );
    CREATE INDEX ${t.idShortIndex} ON ${t.docs} (id_short, id);
    CREATE TABLE ${t.terms} (
      term TEXT NOT NULL COLLATE BINARY,
      doc_id TEXT NOT NULL COLLATE BINARY,
      PRIMARY KEY (term, doc_id)
    ) WITHOUT ROWID;
    CREATE INDEX ${t.terms}_by_doc ON ${t.terms} (doc_id);
  `;
}

/**
 * Version 2: attachment metadata. The bytes are files under `<dataDir>/attachments/`; a row names the file that
 * holds an owner's attachment (attachment-files.ts). Rows sort by owner so `names(owner)` is one range scan.
 */
const ATTACHMENTS_DDL = `
  CREATE TABLE attachments (
    owner_kind TEXT NOT NULL,
    owner_id TEXT NOT NULL COLLATE BINARY,
    name TEXT NOT NULL COLLATE BINARY,
    file TEXT NOT NULL UNIQUE,
    content_type TEXT NOT NULL,
    file_name TEXT NOT NULL,
    size INTEGER NOT NULL,
    PRIMARY KEY (owner_kind, owner_id, name)
  ) WITHOUT ROWID;
`;

/**
 * Version 3: a submodel is a header row in `submodels` (`doc` holds the document with an empty element array,
 * `elements_at` the offset of its inside, see submodel-layout.ts) plus one row per top-level element, so writing
 * one element rewrites one row. `(submodel_id, position)` keys the rows in document order (a submodel's elements
 * are one range scan); `(submodel_id, id_short)` finds one element by name.
 */
const SUBMODEL_ELEMENTS_DDL = `
  ALTER TABLE submodels ADD COLUMN elements_at INTEGER;
  CREATE TABLE submodel_elements (
    submodel_id TEXT NOT NULL COLLATE BINARY,
    position INTEGER NOT NULL,
    id_short TEXT COLLATE BINARY,
    json TEXT NOT NULL,
    PRIMARY KEY (submodel_id, position)
  );
  CREATE INDEX submodel_elements_by_id_short ON submodel_elements (submodel_id, id_short);
`;

/** Version 4: configuration documents beside the model (asset connections made over REST), JSON by id. */
const ASSET_CONNECTIONS_DDL = `
  CREATE TABLE asset_connections (
    id TEXT NOT NULL PRIMARY KEY COLLATE BINARY,
    doc TEXT NOT NULL
  ) WITHOUT ROWID;
`;

/**
 * Version 5: a revision per document (a random token, new with every write of the document, for a submodel also
 * with every write of one of its elements), for conditional writes (store.ts, `ifRevision`). Stored documents get
 * a first one.
 */
const REVISIONS_DDL = ALL_TABLES.map(
  (t) => `ALTER TABLE ${t.docs} ADD COLUMN revision TEXT; UPDATE ${t.docs} SET revision = lower(hex(randomblob(16)));`,
).join('\n');

/** Version 6: records of the AASX packages uploaded through `/packages`, stored like the other kinds. */
const PACKAGES_DDL = `${kindDdl(PACKAGE_TABLES)} ALTER TABLE ${PACKAGE_TABLES.docs} ADD COLUMN revision TEXT;`;

/** v2 to v3: every stored submodel is split into its header and element rows. */
function splitStoredSubmodels(db: Database.Database): void {
  db.exec(SUBMODEL_ELEMENTS_DDL);
  // Ids first: better-sqlite3 does not allow writes while a statement over the same table is being iterated.
  const ids = db.prepare('SELECT id FROM submodels').pluck().all() as string[];
  const select = db.prepare('SELECT doc FROM submodels WHERE id = ?').pluck();
  const update = db.prepare('UPDATE submodels SET doc = ?, elements_at = ? WHERE id = ?');
  const insert = db.prepare('INSERT INTO submodel_elements (submodel_id, position, id_short, json) VALUES (?, ?, ?, ?)');
  for (const id of ids) {
    const layout = splitSubmodel(JSON.parse(select.get(id) as string) as object);
    update.run(layout.header, layout.elementsAt, id);
    layout.elements.forEach((row, position) => insert.run(id, position, row.idShort, row.json));
  }
}

/**
 * Creates the schema in an empty database, upgrades an older one, or checks the version of a current one. Runs
 * inside the caller's transaction. A database written by a newer version is refused rather than misread.
 */
export function ensureSchema(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === SCHEMA_VERSION) return;
  if (version >= 1 && version < SCHEMA_VERSION) {
    if (version < 2) db.exec(ATTACHMENTS_DDL);
    if (version < 3) splitStoredSubmodels(db);
    if (version < 4) db.exec(ASSET_CONNECTIONS_DDL);
    if (version < 5) db.exec(REVISIONS_DDL);
    db.exec(PACKAGES_DDL);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
    return;
  }
  if (version > SCHEMA_VERSION) {
    throw new Error(
      `The embedded store was written by a newer server (schema version ${version}, this server knows ` +
        `${SCHEMA_VERSION}); refusing to open it.`,
    );
  }
  const existing = db.prepare(`SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'`).get() as { n: number };
  if (existing.n > 0) {
    throw new Error('The embedded store file holds tables but no schema version; it is not an AAS store.');
  }
  db.exec(ALL_TABLES.map(kindDdl).join('\n') + ATTACHMENTS_DDL + SUBMODEL_ELEMENTS_DDL + ASSET_CONNECTIONS_DDL + REVISIONS_DDL + PACKAGES_DDL);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
}
