/**
 * The embedded store's list queries walk an index in id order and stop after one page: SQLite's plan must
 * never sort (TEMP B-TREE) or scan a table, whatever the combination of filters. A plan regression would keep
 * every result correct and only show at scale, so it is checked here directly.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import type { FilterTerms } from '../../src/store/embedded/index-terms.js';
import { ListQueries } from '../../src/store/embedded/list-query.js';
import { SHELL_TABLES, ensureSchema } from '../../src/store/embedded/schema.js';

/** 50 documents: 'common' on all, 'rare' on two, idShort X on ten and Y on one. */
function seededQueries(): ListQueries {
  const db = new Database(':memory:');
  ensureSchema(db);
  const insertDoc = db.prepare('INSERT INTO shells (id, id_short, doc) VALUES (?, ?, ?)');
  const insertTerm = db.prepare('INSERT INTO shell_terms (term, doc_id) VALUES (?, ?)');
  for (let i = 0; i < 50; i++) {
    const id = `urn:s:${String(i).padStart(2, '0')}`;
    insertDoc.run(id, i === 7 ? 'Y' : i % 5 === 0 ? 'X' : 'Z', '{}');
    insertTerm.run('common', id);
    if (i === 3 || i === 40) insertTerm.run('rare', id);
  }
  return new ListQueries(db, SHELL_TABLES);
}

const BY_ID = /^(SCAN|SEARCH) d USING INDEX sqlite_autoindex_shells_1\b/;
const BY_ID_SHORT = /^SEARCH d USING INDEX shells_by_id_short \(id_short=\?/;
const BY_TERM = /^SEARCH t0 USING PRIMARY KEY \(term=\?/;

const FILTERS: { name: string; filter: FilterTerms; driver: RegExp }[] = [
  { name: 'no filter', filter: { terms: [] }, driver: BY_ID },
  { name: 'idShort', filter: { idShort: 'X', terms: [] }, driver: BY_ID_SHORT },
  { name: 'one term', filter: { terms: ['common'] }, driver: BY_TERM },
  { name: 'common and rare term', filter: { terms: ['common', 'rare'] }, driver: BY_TERM },
  { name: 'rare idShort and a term', filter: { idShort: 'Y', terms: ['common'] }, driver: BY_ID_SHORT },
  { name: 'idShort and a rare term', filter: { idShort: 'X', terms: ['rare'] }, driver: BY_TERM },
  { name: 'idShort and three terms', filter: { idShort: 'X', terms: ['common', 'rare', 'none'] }, driver: BY_TERM },
];

describe('embedded store list query plans', () => {
  const queries = seededQueries();
  for (const { name, filter, driver } of FILTERS) {
    for (const after of [undefined, 'urn:s:20']) {
      it(`${name}${after ? ', after a cursor' : ''}: walks one index in id order, no sort, no table scan`, () => {
        const plan = queries.plan(filter, after, 10);
        assert.match(plan[0], driver, plan.join('\n'));
        if (after !== undefined) {
          assert.match(plan[0], /id>\?\)/, `the cursor is not part of the index range:\n${plan.join('\n')}`);
        }
        for (const line of plan) {
          assert.doesNotMatch(line, /TEMP B-TREE/, plan.join('\n'));
          if (line !== plan[0] || filter.terms.length > 0 || filter.idShort !== undefined) {
            assert.doesNotMatch(line, /^SCAN/, plan.join('\n'));
          }
        }
      });
    }
  }
});
