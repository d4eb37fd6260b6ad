/**
 * The metamodel's primitive string types (Part 1 v3.1 §5.3.11) and small schema builders shared by all class files.
 * Primitives are inlined where they are used (not named in `$defs`), as the JSON serialization defines them.
 */
import { Type, type TSchema, type TUnsafe } from '@sinclair/typebox';
import * as pattern from './patterns.js';

/** Every class is closed: the JSON serialization knows no other properties. */
export const closed = { additionalProperties: false } as const;

/**
 * Marks a union of concrete classes as dispatched on `modelType` (an abstract class of Part 1). The document
 * emitter writes such unions as `oneOf` + `discriminator`, which ajv and OpenAPI both understand.
 */
export const modelTypeDiscriminator = { type: 'object', discriminator: { propertyName: 'modelType' } } as const;

/** A string restricted to a fixed set of values, emitted as `{type: string, enum: [...]}` (not an anyOf of consts). */
export function stringEnum<const V extends readonly string[]>(values: V, description: string): TUnsafe<V[number]> {
  return Type.Unsafe<V[number]>({ type: 'string', enum: [...values], description });
}

/** Part 1: lists are omitted rather than empty, so every list in the serialization has at least one item. */
export function nonEmptyArray<T extends TSchema>(items: T) {
  return Type.Array(items, { minItems: 1 });
}

/** A string of XML characters (AASd-130) with optional length limits. */
function xmlString(limits: { minLength?: number; maxLength?: number } = {}) {
  return Type.String({ ...limits, pattern: pattern.xmlCharacters });
}

/** Identifier: 1..2048 characters. */
export const Identifier = xmlString({ minLength: 1, maxLength: 2048 });
/** NameType: 1..128 characters (Extension.name, Qualifier.type, category). */
export const NameType = xmlString({ minLength: 1, maxLength: 128 });
/** LabelType: 1..64 characters (SpecificAssetId.name). */
export const LabelType = xmlString({ minLength: 1, maxLength: 64 });
/** MessageTopicType: 1..255 characters. */
export const MessageTopicType = xmlString({ minLength: 1, maxLength: 255 });
/** ValueTypeIec61360: 1..2048 characters. */
export const ValueTypeIec61360 = xmlString({ minLength: 1, maxLength: 2048 });
/** A non-empty string without upper bound (DataSpecificationIec61360 unit, symbol, valueFormat, ...). */
export const NonEmptyString = xmlString({ minLength: 1 });
/** ValueDataType: any XML string, checked against its valueType by the constraint checker. */
export const ValueDataType = xmlString();

/** ContentType: 1..128 characters, a MIME type (RFC 7231). */
export const ContentType = Type.String({ minLength: 1, maxLength: 128, pattern: pattern.mediaType });
/** PathType: 1..2048 characters, a URI reference (RFC 2396). */
export const PathType = Type.String({ minLength: 1, maxLength: 2048, pattern: pattern.uriReference });
/** VersionType / RevisionType: 1..4 digits without leading zeros. */
export const VersionType = Type.String({ minLength: 1, maxLength: 4, pattern: pattern.versionNumber });
/** idShort: NameType restricted by AASd-002. */
export const IdShort = Type.String({ minLength: 1, maxLength: 128, pattern: pattern.idShort });
/** DateTimeUtc: xs:dateTime with UTC time zone. */
export const DateTimeUtc = Type.String({ pattern: pattern.xsDateTimeUtc });
/** Duration: xs:duration. */
export const Duration = Type.String({ pattern: pattern.xsDuration });
/** BlobType in JSON: base64 text. */
export const Base64Bytes = Type.String({ contentEncoding: 'base64' });
/** BCP 47 language tag of a lang string. */
export const LanguageTag = Type.String({ pattern: pattern.bcp47LanguageTag });
