/**
 * Paging of every list (Part 2 §"Pagination"): `limit` and an opaque `cursor`. The cursor wraps the store's
 * sort key of the last item served, so a page continues exactly after it even when items are added or removed.
 */
import { BadRequest } from '../errors.js';
import type { Page, PageRequest } from '../store/store.js';

export const DEFAULT_PAGE_LIMIT = 100;

/** The response body of a paged list. */
export interface PagedResult<T> {
  paging_metadata: { cursor?: string };
  result: T[];
}

const CURSOR_VERSION = 'c1';

export function encodeCursor(next: string): string {
  return Buffer.from(JSON.stringify([CURSOR_VERSION, next]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error();
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && parsed[0] === CURSOR_VERSION && typeof parsed[1] === 'string') {
      return parsed[1];
    }
  } catch {
    /* reported below */
  }
  throw new BadRequest(`cursor is not one this server issued: "${cursor.slice(0, 80)}"`);
}

/**
 * Parses `limit` and `cursor` query values. An empty cursor is a client error (AASa-001); a limit above
 * `maxLimit` is served with `maxLimit` items (the server may return fewer than asked).
 */
export function parsePageRequest(limit: unknown, cursor: unknown, maxLimit: number): PageRequest {
  let n = DEFAULT_PAGE_LIMIT;
  if (limit !== undefined) {
    if (typeof limit !== 'string' || !/^\d+$/.test(limit) || Number(limit) < 1) {
      throw new BadRequest(`limit must be a positive integer, got "${String(limit).slice(0, 40)}"`);
    }
    n = Number(limit);
  }
  const page: PageRequest = { limit: Math.min(n, maxLimit) };
  if (cursor !== undefined) {
    if (typeof cursor !== 'string') throw new BadRequest('cursor must be given once');
    if (cursor === '') throw new BadRequest('cursor must not be empty (AASa-001)');
    page.after = decodeCursor(cursor);
  }
  return page;
}

/** The paged result of items that are JSON text already: the same body as toPagedResult, without re-serialising. */
export function toPagedJson(page: Page<string>, map?: (json: string) => string): string {
  const metadata = page.next === undefined ? '{}' : JSON.stringify({ cursor: encodeCursor(page.next) });
  return `{"paging_metadata":${metadata},"result":[${(map ? page.items.map(map) : page.items).join(',')}]}`;
}

export function toPagedResult<T, R = T>(page: Page<T>, map?: (item: T) => R): PagedResult<R> {
  return {
    paging_metadata: page.next === undefined ? {} : { cursor: encodeCursor(page.next) },
    result: map ? page.items.map(map) : (page.items as unknown as R[]),
  };
}
