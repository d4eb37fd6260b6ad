/**
 * fast-check arbitraries for any metamodel class, derived from the project's TypeBox metamodel: every class,
 * every property (optional ones sometimes), every list, every concrete class of every abstract one. The values
 * follow the schema's shapes and the XSD's facets (patterns, lengths), not the AASd constraints: they exist to
 * exercise a serialization, which must carry any well-shaped model. Text is full of what XML has to escape or
 * keep (`<`, `&`, `]]>`, CR, tabs, leading spaces, characters beyond U+FFFF).
 */
import fc from 'fast-check';
import { Metamodel } from '../../src/validation/schema/metamodel.js';
import * as pattern from '../../src/validation/schema/patterns.js';

type Json = Record<string, unknown>;
type SchemaNode = Record<string, unknown>;

const definitions = Metamodel.Import('Environment').$defs as Record<string, SchemaNode>;

/** Pieces of text a serializer gets wrong: markup characters, line ends, whitespace at the edges, astral characters. */
const TEXT_PIECES = [
  'a', 'Z', '0', '_', ' ', '  ', '\t', '\n', '\r', '\r\n', '<', '>', '&', '&amp;', ']]>', '"', "'", 'é', 'Ω', '😀',
  '\u{10FFFD}', '\uE000', '\uFFFD', 'x:y', '<!--', '&#xD;', 'text', '<a/>',
];

function xmlText(minLength: number, maxLength: number): fc.Arbitrary<string> {
  const max = Math.min(maxLength, 24);
  return fc
    .array(fc.constantFrom(...TEXT_PIECES), { minLength: minLength > 0 ? 1 : 0, maxLength: 6 })
    .map((pieces) => pieces.join(''))
    .filter((text) => text.length >= minLength && [...text].length <= max && text.length <= maxLength);
}

/** Values for the patterned string types, valid for the project's schema and for AAS.xsd alike. */
const SAMPLES_BY_PATTERN: ReadonlyMap<string, fc.Arbitrary<string>> = new Map([
  [pattern.idShort, fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_-]{0,6}[a-zA-Z0-9_]$/)],
  [pattern.bcp47LanguageTag, fc.constantFrom('en', 'de-CH', 'en-JM-x-431996fc', 'zh-Hant-TW', 'sl-rozaj-biske')],
  [pattern.xsDateTimeUtc, fc.constantFrom('2024-01-01T00:00:00Z', '2000-02-29T23:59:59.123+00:00', '0001-01-01T00:00:00.5-00:00')],
  [pattern.xsDuration, fc.constantFrom('P1Y2M3DT4H5M6.7S', 'PT0S', '-P30D')],
  [pattern.mediaType, fc.constantFrom('application/pdf', 'text/plain; charset=utf-8', 'image/png')],
  [pattern.uriReference, fc.constantFrom('file:///a/b.pdf', '/aasx/files/x.png', 'https://example.com/a?b=c#d', 'x.txt')],
  [pattern.versionNumber, fc.constantFrom('0', '12', '9999')],
]);

function stringArbitrary(schema: SchemaNode, where: string): fc.Arbitrary<string> {
  if (schema.contentEncoding === 'base64') return fc.uint8Array({ maxLength: 9 }).map((bytes) => Buffer.from(bytes).toString('base64'));
  const minLength = typeof schema.minLength === 'number' ? schema.minLength : 0;
  const maxLength = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
  if (schema.pattern === undefined || schema.pattern === pattern.xmlCharacters) return xmlText(minLength, maxLength);
  const samples = SAMPLES_BY_PATTERN.get(schema.pattern as string);
  if (samples === undefined) throw new Error(`generator: no samples for the pattern of ${where}`);
  return samples;
}

const unionMembers = (node: SchemaNode): string[] | undefined =>
  node.discriminator === undefined
    ? undefined
    : (Array.isArray(node.anyOf) ? (node.anyOf as SchemaNode[]) : [{ $ref: node.$ref }]).map((b) => b.$ref as string);

/** A class whose required properties are all plain values: where recursion stops at the depth limit. */
function isFlat(className: string): boolean {
  const node = definitions[className];
  const properties = node.properties as Record<string, SchemaNode>;
  return ((node.required as string[] | undefined) ?? []).every((name) => {
    const schema = properties[name];
    return schema.type === 'string' || schema.type === 'boolean' || (typeof schema.$ref === 'string' && Array.isArray(definitions[schema.$ref].enum));
  });
}

export interface ModelArbitraryOptions {
  /** Object nesting below which optional nested objects and lists are left out. */
  maxDepth?: number;
  /** Most items in a list. */
  maxItems?: number;
}

/** Arbitraries for metamodel classes by name, e.g. `arbitraries.of('Environment')`. */
export function modelArbitraries({ maxDepth = 4, maxItems = 2 }: ModelArbitraryOptions = {}) {
  const cache = new Map<string, fc.Arbitrary<Json>>();

  function valueOf(schema: SchemaNode, depth: number, where: string): fc.Arbitrary<unknown> | undefined {
    if (typeof schema.const === 'string') return fc.constant(schema.const);
    if (schema.type === 'string') return stringArbitrary(schema, where);
    if (schema.type === 'boolean') return fc.boolean();
    if (typeof schema.$ref === 'string') {
      const target = definitions[schema.$ref];
      if (Array.isArray(target.enum)) return fc.constantFrom(...(target.enum as string[]));
      return classOrUnion(schema.$ref, depth + 1);
    }
    if (schema.type === 'array') {
      const items = valueOf(schema.items as SchemaNode, depth, `${where}[]`);
      return items && fc.array(items, { minLength: 1, maxLength: maxItems });
    }
    throw new Error(`generator: no arbitrary for ${where}`);
  }

  function classOrUnion(name: string, depth: number): fc.Arbitrary<Json> {
    const members = unionMembers(definitions[name]);
    if (members === undefined) return classArbitrary(name, depth);
    const flat = members.filter(isFlat);
    const usable = depth >= maxDepth && flat.length > 0 ? flat : members;
    return fc.oneof(...usable.map((member) => classArbitrary(member, depth)));
  }

  function classArbitrary(name: string, depth: number): fc.Arbitrary<Json> {
    const key = `${name}@${depth}`;
    const cached = cache.get(key);
    if (cached) return cached;
    if (depth > maxDepth + 6) throw new Error(`generator: ${name} does not bottom out`);
    const node = definitions[name];
    const required = new Set((node.required as string[] | undefined) ?? []);
    const model: Record<string, fc.Arbitrary<unknown>> = {};
    for (const [property, schema] of Object.entries(node.properties as Record<string, SchemaNode>)) {
      const nested = schema.type === 'array' || (typeof schema.$ref === 'string' && !Array.isArray(definitions[schema.$ref].enum));
      // Past the depth limit only what a class requires is generated, so recursion (Reference.referredSemanticId,
      // collections in collections) ends.
      if (nested && depth >= maxDepth && !required.has(property)) continue;
      const value = valueOf(schema, depth, `${name}.${property}`);
      if (value) model[property] = value;
    }
    const arbitrary = fc.record(model, { requiredKeys: [...required].filter((p) => p in model) });
    cache.set(key, arbitrary);
    return arbitrary;
  }

  /** As a store or JSON.parse gives it: plain prototypes, no undefined. */
  const of = (name: string): fc.Arbitrary<Json> => classOrUnion(name, 0).map((value) => JSON.parse(JSON.stringify(value)) as Json);
  return { of };
}
