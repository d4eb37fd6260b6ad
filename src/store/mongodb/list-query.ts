/**
 * Filtered, keyset-paged list queries, built as plain MongoDB filter documents (no I/O here).
 *
 * A page is `find({ <criteria>, _id: { $gt: after } }).sort({ _id: 1 }).limit(limit + 1)`: the extra document only
 * says whether there is a next page. No `skip`, so a page costs the same at the millionth document as at the first.
 * Ids are stored as `_id` strings and compared without a collation, i.e. by their UTF-8 bytes, which is Unicode
 * code-point order (the order the store contract promises).
 *
 * Criteria and the index that serves each (index-definitions.ts):
 * - none: the `_id` index, walked in order;
 * - `idShort`: `{ idShort: 1, _id: 1 }`, which holds the matches in id order;
 * - one term (asset id pair, semantic reference or key value, isCaseOf, data specification): the multikey index
 *   `{ terms: 1, _id: 1 }`, again the matches in id order;
 * - several (AND): one equality per criterion in `$and`; MongoDB's planner tries each criterion's index and keeps
 *   the one that fills the page fastest (it races candidate plans), checking the other criteria per document.
 *
 * The cursor handed out as `next` is the last id of the page, base64url-encoded behind a version tag: opaque to
 * callers, and a cursor this store did not make is refused with BadRequest instead of being misread.
 */
import { BadRequest } from '../../errors.js';
import type { FilterTerms } from '../embedded/index-terms.js';
import type { PageRequest } from '../store.js';

export const LIST_SORT = { _id: 1 } as const;

const CURSOR_TAG = 'm1.';
const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** The `next` of a page that ended at `id`. */
export function encodeCursor(id: string): string {
  return CURSOR_TAG + Buffer.from(id, 'utf8').toString('base64url');
}

/** The id a cursor continues after; BadRequest for anything `encodeCursor` did not produce. */
export function decodeCursor(cursor: string): string {
  if (typeof cursor !== 'string' || !cursor.startsWith(CURSOR_TAG)) throw new BadRequest('The paging cursor is not valid');
  const body = cursor.slice(CURSOR_TAG.length);
  if (!BASE64URL.test(body) || body.length % 4 === 1) throw new BadRequest('The paging cursor is not valid');
  const id = Buffer.from(body, 'base64url').toString('utf8');
  // Invalid UTF-8 would decode to U+FFFD and not re-encode to the same text.
  if (encodeCursor(id) !== cursor) throw new BadRequest('The paging cursor is not valid');
  return id;
}

/** Checks a page request the way every backend does: a positive integer limit, a string cursor. */
export function checkPageRequest(page: PageRequest): void {
  if (!Number.isSafeInteger(page.limit) || page.limit < 1) {
    throw new BadRequest(`A page limit must be a positive integer, not ${String(page.limit)}`);
  }
  if (page.after !== undefined && typeof page.after !== 'string') throw new BadRequest('A page cursor must be a string');
}

export type ListFilter = Record<string, unknown>;

/** The filter document of one page: the criteria of `filter`, after the id `afterId` (exclusive). */
export function listFilter(filter: FilterTerms, afterId?: string): ListFilter {
  const query: ListFilter = {};
  if (filter.idShort !== undefined) query.idShort = filter.idShort;
  const terms = [...new Set(filter.terms)];
  if (terms.length === 1) query.terms = terms[0];
  else if (terms.length > 1) query.$and = terms.map((term) => ({ terms: term }));
  if (afterId !== undefined) query._id = { $gt: afterId };
  return query;
}

/** Splits `limit + 1` fetched ids into the page and its `next` cursor (absent on the last page). */
export function pageOf<T>(rows: readonly T[], limit: number, idOf: (row: T) => string): { rows: T[]; next?: string } {
  if (rows.length <= limit) return { rows: [...rows] };
  const page = rows.slice(0, limit);
  return { rows: page, next: encodeCursor(idOf(page[page.length - 1])) };
}
