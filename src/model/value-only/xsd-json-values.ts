/**
 * Property and Range values between the Normal form (always the XSD literal, a string) and ValueOnly JSON (Part 1
 * §"Data type to value mapping"): xs:boolean → true/false, the numeric types → JSON number, all others → string.
 *
 * Where a JSON number cannot carry the value, the literal is sent as a string instead:
 * - integer types beyond ±(2^53−1) (Part 1 Note 1), and xs:decimal values that no double's shortest text
 *   denotes exactly (e.g. 126789672374892739424.543233 or 0.1000000000000000000001);
 * - xs:double/xs:float INF, -INF and NaN (RFC 8259 §6 has no such numbers; Part 1 Note 2);
 * - a stored literal that is not valid for its valueType (possible when constraints are only warned about).
 * Negative zero becomes 0 (JSON.stringify writes -0 as 0 anyway).
 */
import { isValidXsdValue } from '../../validation/constraints/index.js';
import { sameDecimalValue, toPlainDecimal } from './decimal-notation.js';

const INTEGER_TYPES: ReadonlySet<string> = new Set([
  'xs:integer', 'xs:long', 'xs:int', 'xs:short', 'xs:byte', 'xs:unsignedLong', 'xs:unsignedInt', 'xs:unsignedShort',
  'xs:unsignedByte', 'xs:positiveInteger', 'xs:nonNegativeInteger', 'xs:negativeInteger', 'xs:nonPositiveInteger',
]);
const FLOATING_TYPES: ReadonlySet<string> = new Set(['xs:double', 'xs:float']);
const NOT_A_JSON_NUMBER: ReadonlySet<string> = new Set(['INF', '-INF', 'NaN']);

export type JsonScalar = string | number | boolean;

export function isNumericXsdType(valueType: string): boolean {
  return INTEGER_TYPES.has(valueType) || FLOATING_TYPES.has(valueType) || valueType === 'xs:decimal';
}

/** The ValueOnly JSON of a stored literal. `+ 0` turns -0 into 0. */
export function xsdValueToJson(valueType: string, text: string): JsonScalar {
  if (valueType === 'xs:boolean') {
    if (text === 'true' || text === '1') return true;
    if (text === 'false' || text === '0') return false;
    return text;
  }
  if (!isNumericXsdType(valueType) || !isValidXsdValue(valueType, text)) return text;
  if (FLOATING_TYPES.has(valueType)) return NOT_A_JSON_NUMBER.has(text) ? text : Number(text) + 0;
  const n = Number(text);
  if (INTEGER_TYPES.has(valueType)) return Number.isSafeInteger(n) ? n + 0 : text;
  return Number.isFinite(n) && sameDecimalValue(text, String(n)) ? n + 0 : text;
}

export type LiteralOrError = { text: string } | { error: string };

/**
 * The literal to store for a ValueOnly JSON value. A string must lie in the type's lexical space; a number is
 * accepted for the numeric types and a boolean for xs:boolean.
 */
export function jsonToXsdValue(valueType: string, json: unknown): LiteralOrError {
  if (typeof json === 'string') {
    return isValidXsdValue(valueType, json) ? { text: json } : { error: `${JSON.stringify(clip(json))} is not a valid ${valueType} value` };
  }
  if (valueType === 'xs:boolean') {
    return typeof json === 'boolean' ? { text: String(json) } : { error: `expected true or false for ${valueType}, got ${describe(json)}` };
  }
  if (!isNumericXsdType(valueType)) return { error: `expected a string for ${valueType}, got ${describe(json)}` };
  if (typeof json !== 'number') return { error: `expected a number (or a string literal) for ${valueType}, got ${describe(json)}` };
  let text: string;
  if (INTEGER_TYPES.has(valueType)) {
    if (!Number.isInteger(json)) return { error: `${json} is not an integer, as ${valueType} requires` };
    // JSON.parse has already rounded such a number; accepting it would store a value the client did not send.
    if (!Number.isSafeInteger(json)) return { error: `${json} is beyond ±(2^53−1): send ${valueType} values this large as a string` };
    text = String(json);
  } else {
    text = valueType === 'xs:decimal' ? toPlainDecimal(json) : String(json);
  }
  return isValidXsdValue(valueType, text) ? { text } : { error: `${text} is out of the range of ${valueType}` };
}

function clip(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function describe(json: unknown): string {
  if (json === null) return 'null';
  if (json === undefined) return 'nothing';
  if (Array.isArray(json)) return 'an array';
  if (typeof json === 'object') return 'an object';
  if (typeof json === 'string') return `the string ${JSON.stringify(clip(json))}`;
  return `${typeof json} ${String(json)}`;
}
