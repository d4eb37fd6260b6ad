/**
 * What MongoDB can store of a JSON document without changing it, checked before anything is written.
 *
 * The store contract promises that what goes in comes out equal after a JSON round trip. Documents are first
 * normalised by that round trip (undefined fields dropped, `toJSON` applied), which also makes the stored copy
 * independent of the caller's object. Then everything BSON or MongoDB would refuse or silently alter is rejected
 * with a clear error instead of being corrupted:
 * - field names starting with `$` (MongoDB reads them as operators; AAS JSON has none) or holding U+0000 (BSON
 *   field names are NUL-terminated);
 * - lone UTF-16 surrogates in strings or names (BSON strings are UTF-8, which has no encoding for them: the driver
 *   would store U+FFFD instead);
 * - nesting deeper than MongoDB's limit of 100 levels, less the levels this backend wraps a document in;
 * - stored documents over MongoDB's 16 MiB limit (`assertFitsInOneDocument`, on the final stored shape).
 */
import { BSON } from 'mongodb';
import { BadRequest, PayloadTooLarge } from '../../errors.js';

/**
 * Levels of objects and arrays a document (the document itself is level 1) may have. MongoDB allows 100 per stored
 * document; a staged record wraps a document in two more levels (batch-journal.ts), and a few are left spare.
 */
export const MAX_DOCUMENT_DEPTH = 96;

/** MongoDB's limit for one BSON document. */
export const MAX_BSON_DOCUMENT_BYTES = 16 * 1024 * 1024;
/** Room kept below the limit for the journal's wrapper fields around a stored document (ids count twice). */
const WRAPPER_RESERVE_BYTES = 64 * 1024;

// A `u` regex sees a well-formed surrogate pair as one code point, so this matches only lone surrogates.
const LONE_SURROGATE = /\p{Surrogate}/u;

function propertyPath(path: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

function rejectIn(what: string, path: string, problem: string): never {
  throw new BadRequest(`${what} cannot be stored in MongoDB: ${problem} at ${path}`, [{ text: problem, path }]);
}

function checkValue(value: unknown, depth: number, path: string, what: string, maxDepth: number): void {
  if (typeof value === 'string') {
    if (LONE_SURROGATE.test(value)) rejectIn(what, path, 'a string holds an unpaired UTF-16 surrogate');
    return;
  }
  if (value === null || typeof value !== 'object') return;
  if (depth > maxDepth) rejectIn(what, path, `objects and arrays nest deeper than ${maxDepth} levels`);
  if (Array.isArray(value)) {
    value.forEach((item, i) => checkValue(item, depth + 1, `${path}[${i}]`, what, maxDepth));
    return;
  }
  for (const [key, item] of Object.entries(value)) {
    const at = propertyPath(path, key);
    if (key.startsWith('$')) rejectIn(what, at, `the field name '${key}' starts with '$'`);
    if (key.includes('\u0000')) rejectIn(what, at, 'a field name holds the character U+0000');
    if (LONE_SURROGATE.test(key)) rejectIn(what, at, 'a field name holds an unpaired UTF-16 surrogate');
    checkValue(item, depth + 1, at, what, maxDepth);
  }
}

/**
 * The JSON round trip of `value`, checked to be storable unchanged. `what` names the document in errors (e.g.
 * "Submodel 'urn:x'"); `maxDepth` is the levels allowed from `value` down.
 */
export function toStorableJson(value: unknown, what: string, maxDepth = MAX_DOCUMENT_DEPTH): Record<string, unknown> {
  const text = JSON.stringify(value);
  if (text === undefined) throw new BadRequest(`${what} is not a JSON object`);
  const json: unknown = JSON.parse(text);
  if (json === null || typeof json !== 'object' || Array.isArray(json)) throw new BadRequest(`${what} is not a JSON object`);
  checkValue(json, 1, '$', what, maxDepth);
  return json as Record<string, unknown>;
}

/** Rejects a stored document that MongoDB would refuse for its size, with the size in the message. */
export function assertFitsInOneDocument(stored: object, what: string): void {
  const bytes = BSON.calculateObjectSize(stored as BSON.Document);
  const limit = MAX_BSON_DOCUMENT_BYTES - WRAPPER_RESERVE_BYTES;
  if (bytes > limit) {
    throw new PayloadTooLarge(
      `${what} takes ${bytes} bytes as one MongoDB document; the limit is ${limit} bytes (MongoDB's 16 MiB less room ` +
        'for bookkeeping). Submodels are stored one top-level element per document, so only a single element, ' +
        'a shell or a concept description can hit this.',
    );
  }
}
