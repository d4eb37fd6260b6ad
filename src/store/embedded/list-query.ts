/**
 * Filtered, keyset-paged list queries over one kind's tables.
 *
 * A page is `... id > after ORDER BY id LIMIT limit+1` walked along an index whose order is the id order, so its
 * cost depends on the page size, never on the collection size, and there is no OFFSET. Which index the walk
 * follows (the "driver") is picked per query:
 * - no criterion: the primary key of the documents;
 * - one criterion: its own index, `(term, doc_id)` or `(id_short, id)`, which holds exactly the matches in id
 *   order;
 * - several criteria (AND): the one with the fewest matches drives, the others are checked per row with one
 *   EXISTS each. The match counts are estimated with a capped count on the same indexes, because the driver's
 *   density decides how many rows a page must walk (a criterion that matches every document would otherwise
 *   drive a walk over the whole table to find the few rows another criterion allows).
 *
 * Statements are prepared once per query shape and kept; the number of shapes is small (driver x criteria
 * count), and the cache is bounded in case a client sends ever longer criteria lists.
 */
import type Database from 'better-sqlite3';
import type { FilterTerms } from './index-terms.js';
import type { KindTables } from './schema.js';

/** A stored row as a list returns it. */
export interface DocumentRow {
  id: string;
  doc: string;
  /** Submodels only: where the element texts go in `doc` (see submodel-layout.ts). */
  elements_at?: number | null;
}

/**
 * Counting stops here (about 0.1 ms of index walk): past it a criterion is "unselective" and counting on would
 * cost more than a better driver saves.
 */
const ESTIMATE_CAP = 5000;
const MAX_CACHED_SHAPES = 64;

type Driver = { by: 'all' } | { by: 'idShort' } | { by: 'term'; index: number };

export class ListQueries {
  private readonly shapes = new Map<string, Database.Statement>();
  private readonly termEstimate: Database.Statement;
  private readonly idShortEstimate: Database.Statement;

  constructor(
    private readonly db: Database.Database,
    private readonly tables: KindTables,
    /** More columns of the document table to return, e.g. `, d.elements_at`; a fixed string, never user input. */
    private readonly extraColumns = '',
  ) {
    const { docs, terms, idShortIndex } = tables;
    this.termEstimate = db
      .prepare(`SELECT count(*) FROM (SELECT 1 FROM ${terms} WHERE term = ? LIMIT ?)`)
      .pluck();
    this.idShortEstimate = db
      .prepare(
        `SELECT count(*) FROM (SELECT 1 FROM ${docs} INDEXED BY ${idShortIndex} WHERE id_short = ? LIMIT ?)`,
      )
      .pluck();
  }

  /** Up to `limit` + 1 rows after `after` (exclusive) in id order; the extra row tells the caller there is more. */
  rows(filter: FilterTerms, after: string | undefined, limit: number): DocumentRow[] {
    const { sql, args } = this.build(filter, this.pickDriver(filter), after, limit + 1);
    return this.statement(sql).all(...args) as DocumentRow[];
  }

  /** `rows` as ids only: the walk stays on the indexes, no document page is read. */
  ids(filter: FilterTerms, after: string | undefined, limit: number): string[] {
    const { sql, args } = this.build(filter, this.pickDriver(filter), after, limit + 1, 'd.id AS id');
    return this.statement(sql).pluck().all(...args) as string[];
  }

  /** SQLite's plan for the query `rows` would run now (EXPLAIN QUERY PLAN lines), for tests and diagnosis. */
  plan(filter: FilterTerms, after: string | undefined, limit: number): string[] {
    const { sql, args } = this.build(filter, this.pickDriver(filter), after, limit + 1);
    const lines = this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[];
    return lines.map((line) => line.detail);
  }

  private pickDriver(filter: FilterTerms): Driver {
    const criteria = filter.terms.length + (filter.idShort === undefined ? 0 : 1);
    if (criteria === 0) return { by: 'all' };
    if (criteria === 1) return filter.terms.length === 1 ? { by: 'term', index: 0 } : { by: 'idShort' };
    // Each count stops at the best count so far: only "is it smaller?" matters.
    let best: Driver = { by: 'term', index: 0 };
    let bestCount = ESTIMATE_CAP;
    filter.terms.forEach((term, index) => {
      const count = this.termEstimate.get(term, bestCount) as number;
      if (count < bestCount || index === 0) [best, bestCount] = [{ by: 'term', index }, count];
    });
    if (filter.idShort !== undefined && (this.idShortEstimate.get(filter.idShort, bestCount) as number) < bestCount) {
      best = { by: 'idShort' };
    }
    return best;
  }

  private build(
    filter: FilterTerms,
    driver: Driver,
    after: string | undefined,
    limit: number,
    columns = `d.id AS id, d.doc AS doc${this.extraColumns}`,
  ): { sql: string; args: unknown[] } {
    const { docs, terms, idShortIndex } = this.tables;
    const where: string[] = [];
    const args: unknown[] = [];
    let from: string;
    let orderKey: string;
    let otherTerms = filter.terms;

    if (driver.by === 'term') {
      // CROSS JOIN pins the join order (SQLite treats it as "left table outer"): the planner would otherwise
      // drive from the idShort index and sort all its matches.
      from = `${terms} AS t0 CROSS JOIN ${docs} AS d ON d.id = t0.doc_id`;
      orderKey = 't0.doc_id';
      where.push('t0.term = ?');
      args.push(filter.terms[driver.index]);
      otherTerms = filter.terms.filter((_, i) => i !== driver.index);
    } else if (driver.by === 'idShort') {
      from = `${docs} AS d INDEXED BY ${idShortIndex}`;
      orderKey = 'd.id';
    } else {
      from = `${docs} AS d`;
      orderKey = 'd.id';
    }
    if (filter.idShort !== undefined) {
      where.push('d.id_short = ?');
      args.push(filter.idShort);
    }
    if (after !== undefined) {
      where.push(`${orderKey} > ?`);
      args.push(after);
    }
    otherTerms.forEach((term, i) => {
      const alias = `t${i + 1}`;
      where.push(`EXISTS (SELECT 1 FROM ${terms} AS ${alias} WHERE ${alias}.term = ? AND ${alias}.doc_id = d.id)`);
      args.push(term);
    });
    args.push(limit);
    const whereSql = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : '';
    return { sql: `SELECT ${columns} FROM ${from}${whereSql} ORDER BY ${orderKey} LIMIT ?`, args };
  }

  private statement(sql: string): Database.Statement {
    let statement = this.shapes.get(sql);
    if (statement === undefined) {
      if (this.shapes.size >= MAX_CACHED_SHAPES) this.shapes.delete(this.shapes.keys().next().value as string);
      statement = this.db.prepare(sql);
      this.shapes.set(sql, statement);
    }
    return statement;
  }
}
