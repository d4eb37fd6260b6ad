/**
 * Whether a value string lies in the lexical space of its XSD data type (DataTypeDefXsd of Part 1), as needed
 * for Property.value, Range.min/max, Qualifier.value (AASd-020) and Extension.value. Bounded integer types are
 * range-checked with BigInt; floating point types reject values that overflow to infinity unless written as
 * INF. As in XSD 1.0 (and the aas-core test data) `+INF` is not a lexical form, and no surrounding
 * whitespace is accepted.
 */
import { isXsAnyUri } from './any-uri.js';
import {
  isXsDate,
  isXsDateTime,
  isXsGDay,
  isXsGMonth,
  isXsGMonthDay,
  isXsGYear,
  isXsGYearMonth,
  isXsTime,
} from './xsd-calendar.js';

/**
 * AASd-130: the characters an attribute of data type string may consist of (those XML 1.0 can carry).
 * The `u` flag makes lone surrogates fail, since they are code points outside every range here.
 */
const XML_CHARACTERS = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

/** Printable ASCII and tab/LF/CR: the common case, decided without the slower Unicode-aware expression. */
const PLAIN_ASCII = /^[\t\n\r\x20-\x7E]*$/;

export function isXmlSerializable(text: string): boolean {
  return PLAIN_ASCII.test(text) || XML_CHARACTERS.test(text);
}

const INTEGER = /^[+-]?\d+$/;
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)$/;
const FLOATING = /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|-?INF|NaN)$/;
const BOOLEAN = /^(?:true|false|1|0)$/;
const HEX_BINARY = /^(?:[0-9a-fA-F]{2})*$/;
/** At least one component after P, and at least one after T; seconds may carry a fraction. */
const DURATION = /^-?P(?=[\dT])(?:\d+Y)?(?:\d+M)?(?:\d+D)?(?:T(?=\d)(?:\d+H)?(?:\d+M)?(?:\d+(?:\.\d+)?S)?)?$/;

/** Inclusive bounds of the integer types derived from xs:integer; `undefined` means unbounded. */
const INTEGER_BOUNDS: Record<string, readonly [bigint | undefined, bigint | undefined]> = {
  'xs:integer': [undefined, undefined],
  'xs:long': [-(2n ** 63n), 2n ** 63n - 1n],
  'xs:int': [-(2n ** 31n), 2n ** 31n - 1n],
  'xs:short': [-32768n, 32767n],
  'xs:byte': [-128n, 127n],
  'xs:unsignedLong': [0n, 2n ** 64n - 1n],
  'xs:unsignedInt': [0n, 2n ** 32n - 1n],
  'xs:unsignedShort': [0n, 65535n],
  'xs:unsignedByte': [0n, 255n],
  'xs:positiveInteger': [1n, undefined],
  'xs:nonNegativeInteger': [0n, undefined],
  'xs:negativeInteger': [undefined, -1n],
  'xs:nonPositiveInteger': [undefined, 0n],
};

function isIntegerInBounds(text: string, bounds: readonly [bigint | undefined, bigint | undefined]): boolean {
  if (!INTEGER.test(text)) return false;
  const [min, max] = bounds;
  if (min === undefined && max === undefined) return true;
  // "-0" is zero: XSD lets zero carry either sign, even for the unsigned and non-negative types.
  // Up to 15 digits a double holds the value exactly, and comparing it with a rounded bound is still exact.
  const value = text.length <= 15 ? Number(text) : BigInt(text);
  return (min === undefined || value >= min) && (max === undefined || value <= max);
}

/** xs:base64Binary: groups of four alphabet characters, canonical padding, single spaces between characters. */
function isXsBase64Binary(text: string): boolean {
  if (text.length === 0) return true;
  if (text.startsWith(' ') || text.endsWith(' ') || text.includes('  ')) return false;
  const compact = text.replaceAll(' ', '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return false;
  // With padding, the last data character may only carry the bits that fit (B16 before "=", B04 before "==").
  if (compact.endsWith('==')) return /[AQgw]$/.test(compact.slice(0, -2));
  if (compact.endsWith('=')) return /[AEIMQUYcgkosw048]$/.test(compact.slice(0, -1));
  return true;
}

function isXsDouble(text: string): boolean {
  if (!FLOATING.test(text)) return false;
  if (text === 'INF' || text === '-INF' || text === 'NaN') return true;
  return Number.isFinite(Number(text));
}

function isXsFloat(text: string): boolean {
  if (!FLOATING.test(text)) return false;
  if (text === 'INF' || text === '-INF' || text === 'NaN') return true;
  const value = Number(text);
  // Math.fround rounds to single precision; a finite literal that rounds to infinity is out of range.
  return Number.isFinite(value) && Number.isFinite(Math.fround(value));
}

const CHECKS: Record<string, (text: string) => boolean> = {
  'xs:anyURI': isXsAnyUri,
  'xs:base64Binary': isXsBase64Binary,
  'xs:boolean': (t) => BOOLEAN.test(t),
  'xs:date': isXsDate,
  'xs:dateTime': isXsDateTime,
  'xs:decimal': (t) => DECIMAL.test(t),
  'xs:double': isXsDouble,
  'xs:duration': (t) => DURATION.test(t),
  'xs:float': isXsFloat,
  'xs:gDay': isXsGDay,
  'xs:gMonth': isXsGMonth,
  'xs:gMonthDay': isXsGMonthDay,
  'xs:gYear': isXsGYear,
  'xs:gYearMonth': isXsGYearMonth,
  'xs:hexBinary': (t) => HEX_BINARY.test(t),
  'xs:string': isXmlSerializable,
  'xs:time': isXsTime,
};
for (const [type, bounds] of Object.entries(INTEGER_BOUNDS)) {
  CHECKS[type] = (t) => isIntegerInBounds(t, bounds);
}

/** Whether `type` is one of the XSD types of DataTypeDefXsd (the others are the schema's to reject). */
export function isKnownXsdType(type: string): boolean {
  return Object.hasOwn(CHECKS, type);
}

/** Whether `text` is a valid literal of `type`; an unknown type is not this check's business (true). */
export function isValidXsdValue(type: string, text: string): boolean {
  const check = Object.hasOwn(CHECKS, type) ? CHECKS[type] : undefined;
  return check === undefined || check(text);
}

export function isXsDuration(text: string): boolean {
  return DURATION.test(text);
}
