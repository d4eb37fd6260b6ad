/**
 * Values between OPC UA built-in types (node-opcua Variants) and AAS Property values, which the Normal form
 * keeps as strings in the lexical space of the Property's `valueType` (Part 1 §5.3.7.13, DataTypeDefXsd).
 *
 * Decisions (the OPC UA sync relies on them):
 * - Every string produced passes `isValidXsdValue(valueType, s)`; anything that cannot be represented throws
 *   ConversionError (naming both types and the value) instead of being clamped, rounded to an integer or dropped.
 * - Integers are exact: Int64/UInt64 travel as node-opcua `[high, low]` words and are combined with BigInt.
 *   An integer goes into xs:float/xs:double (or a Float/Double node) only if that type holds it exactly; a
 *   floating value goes into an integer type only if it is finite and integral ("3.0" into Int32 is fine,
 *   "3.5" is not). Double → xs:float and writes into Float round to single precision (what a float is).
 * - Float nodes print with the fewest digits that read back to the same single (0.1f → "0.1").
 *   INF, -INF and NaN are the xs lexical forms of the infinities and NaN.
 * - DateTime ↔ xs:dateTime is UTC with "Z" and milliseconds (`toISOString`); an xs:dateTime without a
 *   timezone is read as UTC; fractions below a millisecond are truncated. DateTime → xs:date keeps the UTC calendar day (time of day dropped), xs:date →
 *   DateTime is that day's midnight (in its own timezone if it has one, else UTC); → xs:time the UTC time
 *   of day. Writes outside OPC UA's DateTime range (1601-01-01 … 9999-12-31) throw.
 * - ByteString ↔ xs:base64Binary / xs:hexBinary (hex written uppercase, its canonical form).
 * - Guid, NodeId (its `ns=…;i=…` text), LocalizedText (its text only) and every other scalar read into an
 *   xs:string Property as their natural lexical form (ByteString as base64, DateTime as above). An xs:string value written to a typed node (Int32, Boolean, …)
 *   must be in the lexical space of that node's natural xs type (NATURAL_XSD_TYPE below).
 * - Arrays (VariantArrayType.Array) map only to xs:string Properties, as a JSON array of strings, each the
 *   element's natural xs lexical form (Int32 [1, 2] ↔ '["1","2"]'). Arrays into any other valueType, and
 *   matrices, throw. A null value (or DataType.Null) throws: the caller decides what an absent value means.
 * - MultiLanguageProperty ↔ LocalizedText lives in localized-text-conversion.ts (re-exported here).
 */
import { coerceNodeId, DataType, LocalizedText, Variant, VariantArrayType } from 'node-opcua';
import { isValidXsdValue } from '../../validation/constraints/index.js';
import type { DataTypeDefXsd } from '../../validation/schema/metamodel.js';
import { ConversionError } from './conversion-error.js';
import {
  bigIntToWords,
  decimalLexical,
  decimalToBigInt,
  doubleLexical,
  floatLexical,
  wordsToBigInt,
} from './xsd-number-forms.js';

export { DEFAULT_LANGUAGE, langStringsToLocalizedText, localizedTextToLangStrings } from './localized-text-conversion.js';

export { ConversionError };

/** The xs type each supported OPC UA DataType corresponds to (array elements and xs:string writes use it). */
export const NATURAL_XSD_TYPE: Partial<Record<DataType, DataTypeDefXsd>> = {
  [DataType.Boolean]: 'xs:boolean',
  [DataType.SByte]: 'xs:byte',
  [DataType.Byte]: 'xs:unsignedByte',
  [DataType.Int16]: 'xs:short',
  [DataType.UInt16]: 'xs:unsignedShort',
  [DataType.Int32]: 'xs:int',
  [DataType.UInt32]: 'xs:unsignedInt',
  [DataType.Int64]: 'xs:long',
  [DataType.UInt64]: 'xs:unsignedLong',
  [DataType.Float]: 'xs:float',
  [DataType.Double]: 'xs:double',
  [DataType.String]: 'xs:string',
  [DataType.DateTime]: 'xs:dateTime',
  [DataType.ByteString]: 'xs:base64Binary',
  [DataType.Guid]: 'xs:string',
  [DataType.NodeId]: 'xs:string',
  [DataType.LocalizedText]: 'xs:string',
};

/** Inclusive ranges of the OPC UA integer DataTypes (Part 6 §5.1.2). */
const OPCUA_INTEGER_RANGES: Partial<Record<DataType, readonly [bigint, bigint]>> = {
  [DataType.SByte]: [-128n, 127n],
  [DataType.Byte]: [0n, 255n],
  [DataType.Int16]: [-32768n, 32767n],
  [DataType.UInt16]: [0n, 65535n],
  [DataType.Int32]: [-(2n ** 31n), 2n ** 31n - 1n],
  [DataType.UInt32]: [0n, 2n ** 32n - 1n],
  [DataType.Int64]: [-(2n ** 63n), 2n ** 63n - 1n],
  [DataType.UInt64]: [0n, 2n ** 64n - 1n],
};

const XSD_INTEGER_TYPES = new Set<string>([
  'xs:integer', 'xs:long', 'xs:int', 'xs:short', 'xs:byte', 'xs:unsignedLong', 'xs:unsignedInt',
  'xs:unsignedShort', 'xs:unsignedByte', 'xs:positiveInteger', 'xs:nonNegativeInteger', 'xs:negativeInteger',
  'xs:nonPositiveInteger',
]);

/** OPC UA DateTime is 100 ns ticks since 1601-01-01 UTC; encoders clamp beyond 9999-12-31 (Part 6 §5.2.2.5). */
const MIN_DATE_TIME = Date.UTC(1601, 0, 1);
const MAX_DATE_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** A value in between: what it is, independent of both type systems. */
type NeutralValue =
  | { kind: 'boolean'; value: boolean }
  | { kind: 'integer'; value: bigint }
  | { kind: 'decimal'; text: string }
  | { kind: 'floating'; value: number; single: boolean }
  | { kind: 'text'; value: string }
  | { kind: 'instant'; value: Date }
  | { kind: 'bytes'; value: Buffer };

function typeName(dataType: DataType): string {
  return DataType[dataType] ?? String(dataType);
}

function show(value: unknown): string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  if (Buffer.isBuffer(value)) return `0x${value.toString('hex')}`;
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return String(value);
  return JSON.stringify(value) ?? String(value);
}

function refuse(from: string, to: string, value: unknown, why: string): never {
  throw new ConversionError(`Cannot convert ${from} value ${show(value)} to ${to}: ${why}`);
}

/** One scalar element of a Variant → its neutral form. */
function readScalar(value: unknown, dataType: DataType): NeutralValue {
  const from = `OPC UA ${typeName(dataType)}`;
  const wrongKind = (): never => refuse(from, 'a value', value, 'the value does not match its DataType');
  if (value === null || value === undefined) return refuse(from, 'a value', value, 'the value is null');
  switch (dataType) {
    case DataType.Boolean:
      return typeof value === 'boolean' ? { kind: 'boolean', value } : wrongKind();
    case DataType.SByte: case DataType.Byte: case DataType.Int16: case DataType.UInt16:
    case DataType.Int32: case DataType.UInt32:
      return typeof value === 'number' && Number.isInteger(value) ? { kind: 'integer', value: BigInt(value) } : wrongKind();
    case DataType.Int64: case DataType.UInt64: {
      const integer = wordsToBigInt(value, dataType === DataType.Int64);
      return integer === undefined ? wrongKind() : { kind: 'integer', value: integer };
    }
    case DataType.Float: case DataType.Double:
      return typeof value === 'number' ? { kind: 'floating', value, single: dataType === DataType.Float } : wrongKind();
    case DataType.String: case DataType.Guid:
      return typeof value === 'string' ? { kind: 'text', value } : wrongKind();
    case DataType.NodeId: case DataType.ExpandedNodeId:
      return { kind: 'text', value: String(value) };
    case DataType.LocalizedText:
      return value instanceof LocalizedText ? { kind: 'text', value: value.text ?? '' } : wrongKind();
    case DataType.DateTime:
      return value instanceof Date && !Number.isNaN(value.getTime()) ? { kind: 'instant', value } : wrongKind();
    case DataType.ByteString:
      return Buffer.isBuffer(value) ? { kind: 'bytes', value } : wrongKind();
    default:
      return refuse(from, 'a value', value, 'this DataType is not supported');
  }
}

function floatingLexical(value: number, single: boolean): string {
  return single ? floatLexical(value) : doubleLexical(value);
}

/** The neutral value written in the lexical space of `valueType`, before the final validity check. */
function renderLexical(neutral: NeutralValue, valueType: DataTypeDefXsd, from: string): string {
  const original = 'value' in neutral ? neutral.value : neutral.text;
  const fail = (why: string): never => refuse(from, valueType, original, why);
  if (neutral.kind === 'text') return neutral.value; // checked against valueType's lexical space by the caller
  if (XSD_INTEGER_TYPES.has(valueType)) {
    if (neutral.kind === 'integer') return neutral.value.toString();
    if (neutral.kind === 'floating') {
      if (!Number.isFinite(neutral.value)) return fail('an integer type has no NaN or infinity');
      if (!Number.isInteger(neutral.value)) return fail('the value has a fraction');
      return BigInt(neutral.value).toString();
    }
    return fail('not a number');
  }
  switch (valueType) {
    case 'xs:decimal':
      if (neutral.kind === 'integer') return neutral.value.toString();
      if (neutral.kind === 'floating') {
        if (!Number.isFinite(neutral.value)) return fail('xs:decimal has no NaN or infinity');
        return decimalLexical(neutral.single ? Number(floatLexical(neutral.value)) : neutral.value);
      }
      return fail('not a number');
    case 'xs:double':
    case 'xs:float': {
      const single = valueType === 'xs:float';
      if (neutral.kind === 'floating') {
        if (single && Number.isFinite(neutral.value) && !Number.isFinite(Math.fround(neutral.value))) {
          return fail('out of the range of a single precision float');
        }
        return floatingLexical(neutral.value, single || neutral.single);
      }
      if (neutral.kind === 'integer') {
        const approx = Number(neutral.value);
        const held = single ? Math.fround(approx) : approx;
        if (!Number.isFinite(held) || BigInt(held) !== neutral.value) return fail('the type cannot hold it exactly');
        return String(held);
      }
      return fail('not a number');
    }
    case 'xs:boolean':
      return neutral.kind === 'boolean' ? String(neutral.value) : fail('not a boolean');
    case 'xs:dateTime':
      return neutral.kind === 'instant' ? neutral.value.toISOString() : fail('not a DateTime');
    case 'xs:date':
      return neutral.kind === 'instant' ? `${neutral.value.toISOString().slice(0, 10)}Z` : fail('not a DateTime');
    case 'xs:time':
      return neutral.kind === 'instant' ? neutral.value.toISOString().slice(11) : fail('not a DateTime');
    case 'xs:base64Binary':
      return neutral.kind === 'bytes' ? neutral.value.toString('base64') : fail('not a ByteString');
    case 'xs:hexBinary':
      return neutral.kind === 'bytes' ? neutral.value.toString('hex').toUpperCase() : fail('not a ByteString');
    case 'xs:string':
      switch (neutral.kind) {
        case 'boolean': case 'integer': return String(neutral.value);
        case 'decimal': return neutral.text;
        case 'floating': return floatingLexical(neutral.value, neutral.single);
        case 'instant': return neutral.value.toISOString();
        case 'bytes': return neutral.value.toString('base64');
      }
      return fail('unsupported kind');
    default:
      return fail('only a String node can fill this type');
  }
}

function scalarToXsd(value: unknown, dataType: DataType, valueType: DataTypeDefXsd): string {
  const from = `OPC UA ${typeName(dataType)}`;
  const text = renderLexical(readScalar(value, dataType), valueType, from);
  if (!isValidXsdValue(valueType, text)) refuse(from, valueType, value, 'out of range or not in its lexical space');
  return text;
}

/** An OPC UA value → the Normal-form string of a Property with this valueType (see the file header). */
export function variantToXsdValue(variant: Variant, valueType: DataTypeDefXsd): string {
  const { dataType, arrayType } = variant;
  if (dataType === DataType.Null) return refuse('OPC UA Null', valueType, null, 'the value is null');
  if (arrayType === VariantArrayType.Scalar) return scalarToXsd(variant.value, dataType, valueType);
  const from = `OPC UA ${typeName(dataType)} ${VariantArrayType[arrayType]}`;
  if (arrayType !== VariantArrayType.Array) return refuse(from, valueType, variant.value, 'matrices are not mapped');
  if (valueType !== 'xs:string') return refuse(from, valueType, variant.value, 'arrays map only to xs:string');
  const natural = NATURAL_XSD_TYPE[dataType];
  if (natural === undefined) return refuse(from, valueType, variant.value, 'this DataType is not supported');
  const elements = Array.from(variant.value as ArrayLike<unknown>, (e) => scalarToXsd(e, dataType, natural));
  const json = JSON.stringify(elements);
  if (!isValidXsdValue('xs:string', json)) refuse(from, valueType, variant.value, 'not XML-serializable text');
  return json;
}

/** A string known valid for `valueType` → its neutral form. */
function parseLexical(text: string, valueType: DataTypeDefXsd): NeutralValue {
  if (XSD_INTEGER_TYPES.has(valueType)) return { kind: 'integer', value: BigInt(text) };
  switch (valueType) {
    case 'xs:decimal':
      return { kind: 'decimal', text };
    case 'xs:float': case 'xs:double': {
      const special: Record<string, number> = { INF: Infinity, '-INF': -Infinity, NaN: NaN };
      return { kind: 'floating', value: special[text] ?? Number(text), single: valueType === 'xs:float' };
    }
    case 'xs:boolean':
      return { kind: 'boolean', value: text === 'true' || text === '1' };
    case 'xs:dateTime':
    case 'xs:date': {
      const zone = /(Z|[+-]\d\d:\d\d)$/.exec(text)?.[0];
      const local = zone ? text.slice(0, -zone.length) : text;
      const full = valueType === 'xs:date' ? `${local}T00:00:00` : local;
      const millis = /^\d{4}-/.test(full) ? Date.parse(`${full}${zone ?? 'Z'}`) : NaN;
      if (Number.isNaN(millis) || millis < MIN_DATE_TIME || millis > MAX_DATE_TIME) {
        return refuse(valueType, 'OPC UA DateTime', text, 'outside the range 1601-01-01 … 9999-12-31');
      }
      return { kind: 'instant', value: new Date(millis) };
    }
    case 'xs:base64Binary':
      return { kind: 'bytes', value: Buffer.from(text.replaceAll(' ', ''), 'base64') };
    case 'xs:hexBinary':
      return { kind: 'bytes', value: Buffer.from(text, 'hex') };
    default:
      return { kind: 'text', value: text };
  }
}

const TEXT_NODE_TYPES = new Set<DataType>([DataType.String, DataType.Guid, DataType.NodeId, DataType.LocalizedText]);

/** A neutral value → the JS value node-opcua expects in a Variant of `dataType`. */
function buildScalar(text: string, valueType: DataTypeDefXsd, dataType: DataType): unknown {
  const to = `OPC UA ${typeName(dataType)}`;
  const fail = (why: string): never => refuse(valueType, to, text, why);
  let neutral = parseLexical(text, valueType);
  const natural = NATURAL_XSD_TYPE[dataType];
  if (natural === undefined) return fail('this DataType is not supported');
  if (neutral.kind === 'text' && !TEXT_NODE_TYPES.has(dataType)) {
    // A string Property written to a typed node: it must read as that node's own type.
    if (!isValidXsdValue(natural, text)) return fail(`not a valid ${natural} value`);
    neutral = parseLexical(text, natural);
  }
  const range = OPCUA_INTEGER_RANGES[dataType];
  if (range) {
    let integer: bigint | undefined;
    if (neutral.kind === 'integer') integer = neutral.value;
    else if (neutral.kind === 'decimal') integer = decimalToBigInt(neutral.text);
    else if (neutral.kind === 'floating' && Number.isInteger(neutral.value)) integer = BigInt(neutral.value);
    else if (neutral.kind !== 'floating') return fail('not a number');
    if (integer === undefined) return fail('an integer type takes no fraction, NaN or infinity');
    if (integer < range[0] || integer > range[1]) return fail(`out of range ${range[0]} … ${range[1]}`);
    return dataType === DataType.Int64 || dataType === DataType.UInt64 ? bigIntToWords(integer) : Number(integer);
  }
  switch (dataType) {
    case DataType.Float:
    case DataType.Double: {
      let number: number;
      if (neutral.kind === 'floating') number = neutral.value;
      else if (neutral.kind === 'integer') number = Number(neutral.value);
      else if (neutral.kind === 'decimal') number = Number(neutral.text);
      else return fail('not a number');
      const held = dataType === DataType.Float ? Math.fround(number) : number;
      if (neutral.kind === 'integer' && (!Number.isFinite(held) || BigInt(held) !== neutral.value)) {
        return fail('the type cannot hold this integer exactly');
      }
      // Only INF, -INF and NaN may arrive non-finite; a finite value that overflows is out of range.
      if (Number.isFinite(number) ? !Number.isFinite(held) : neutral.kind !== 'floating') return fail('out of range');
      return held;
    }
    case DataType.Boolean:
      return neutral.kind === 'boolean' ? neutral.value : fail('not a boolean');
    case DataType.DateTime:
      return neutral.kind === 'instant' ? neutral.value : fail('not a date or dateTime');
    case DataType.ByteString:
      return neutral.kind === 'bytes' ? neutral.value : fail('not base64Binary or hexBinary');
    case DataType.String:
      return text;
    case DataType.Guid:
      return GUID.test(text) ? text.toUpperCase() : fail('not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)');
    case DataType.NodeId:
      try {
        return coerceNodeId(text);
      } catch {
        return fail('not a NodeId (e.g. ns=2;s=Name)');
      }
    case DataType.LocalizedText:
      return new LocalizedText({ text, locale: null });
    default:
      return fail('this DataType is not supported');
  }
}

/**
 * The Normal-form string (valid for valueType) → a Variant of the node's actual DataType, for a write.
 * `arrayType` is the node's (its ValueRank): an Array node takes the JSON array form of an xs:string Property.
 */
export function xsdValueToVariant(
  value: string,
  valueType: DataTypeDefXsd,
  dataType: DataType,
  arrayType: VariantArrayType = VariantArrayType.Scalar,
): Variant {
  const to = `OPC UA ${typeName(dataType)}`;
  if (arrayType === VariantArrayType.Scalar) {
    if (!isValidXsdValue(valueType, value)) refuse(valueType, to, value, `not a valid ${valueType} value`);
    return new Variant({ dataType, arrayType, value: buildScalar(value, valueType, dataType) });
  }
  if (arrayType !== VariantArrayType.Array) return refuse(valueType, `${to} Matrix`, value, 'matrices are not mapped');
  if (valueType !== 'xs:string') return refuse(valueType, `${to} Array`, value, 'arrays map only from xs:string');
  const natural = NATURAL_XSD_TYPE[dataType];
  if (natural === undefined) return refuse(valueType, `${to} Array`, value, 'this DataType is not supported');
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    return refuse(valueType, `${to} Array`, value, 'not a JSON array');
  }
  if (!Array.isArray(parsed)) return refuse(valueType, `${to} Array`, value, 'not a JSON array');
  const elements = parsed.map((element: unknown) => {
    if (!['string', 'number', 'boolean'].includes(typeof element)) {
      return refuse(valueType, `${to} Array`, value, 'elements must be strings, numbers or booleans');
    }
    const text = String(element);
    if (!isValidXsdValue(natural, text)) refuse(valueType, `${to} Array`, value, `element ${text} is not a valid ${natural}`);
    return buildScalar(text, natural, dataType);
  });
  return new Variant({ dataType, arrayType, value: elements });
}
