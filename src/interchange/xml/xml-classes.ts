/**
 * The table that drives the AAS XML serialization (Part 1 v3.1 §7 "XML", schema AAS.xsd) in both directions,
 * derived once at load from the project's own TypeBox metamodel (src/validation/schema), not hand-written.
 *
 * Why derive it: the XML and JSON serializations are two renderings of the same classes, and the TypeBox module
 * already says, for every class, which properties it has, which are lists, which hold an abstract class chosen
 * by `modelType`, and which are enumerations, booleans or base64. The XML rules on top of that are uniform:
 *  - a class instance in a choice (abstract type) or at the root is an element named after its class, first
 *    letter lower-cased (`Property` → `<property>`); there is no `modelType` in XML;
 *  - a property is an element named after the property, in the order of the XSD's `xs:sequence` for the class,
 *    which is the order the TypeBox classes list their properties in (inherited sets first, as Part 1's class
 *    diagrams; test/unit/xml-roundtrip.test.ts checks it against AAS.xsd for every class);
 *  - a list property wraps its items: items of a concrete class are `<lowerFirst(Class)>` elements
 *    (`<keys><key>`, `<submodels><reference>`), items of an abstract class are their concrete class elements
 *    (`<value><property/><blob/></value>`);
 *  - a single property of an abstract class wraps one concrete class element
 *    (`<dataSpecificationContent><dataSpecificationIec61360>`, `<operationVariable><value><property>`);
 *  - enumerations and strings are text; booleans are xs:boolean; base64 stays base64 text.
 * A shape this list does not cover makes the module fail at load, so a schema change cannot silently drop data.
 */
import { Metamodel } from '../../validation/schema/metamodel.js';

/** How one property is written as XML. */
export type XmlField =
  | { kind: 'text'; name: string; maxLength?: number }
  | { kind: 'boolean'; name: string }
  | { kind: 'base64'; name: string }
  /** One instance of a concrete class; the property element holds the class's fields. */
  | { kind: 'object'; name: string; className: string }
  /** Items of one concrete class, each an `itemElement` inside the property element. */
  | { kind: 'list'; name: string; className: string; itemElement: string }
  /** One instance of an abstract class: the property element holds exactly one concrete class element. */
  | { kind: 'choice'; name: string; members: readonly string[] }
  /** Items of an abstract class, each a concrete class element inside the property element. */
  | { kind: 'choiceList'; name: string; members: readonly string[] };

export interface XmlClass {
  /** The metamodel class name, as TypeBox and `modelType` spell it. */
  name: string;
  /** Its XML element name when it stands for itself (root, choice member, list item). */
  element: string;
  /** The `modelType` its JSON form carries, when it has one (XML leaves it out; the reader puts it back). */
  modelType?: string;
  /** Its properties in XSD sequence order. */
  fields: readonly XmlField[];
  /** The same fields by XML element name (which is the property name). */
  fieldsByElement: ReadonlyMap<string, XmlField>;
}

/** `AssetAdministrationShell` → `assetAdministrationShell`. */
export function elementNameOf(className: string): string {
  return className.charAt(0).toLowerCase() + className.slice(1);
}

type SchemaNode = Record<string, unknown>;

const definitions = Metamodel.Import('Environment').$defs as Record<string, SchemaNode>;

function definition(name: string): SchemaNode {
  const node = definitions[name];
  if (node === undefined) throw new Error(`XML mapping: the metamodel has no definition ${name}`);
  return node;
}

/** Abstract classes are unions dispatched on `modelType`; TypeBox collapses a one-member union to a `$ref`. */
function unionMembers(node: SchemaNode): string[] | undefined {
  if (node.discriminator === undefined) return undefined;
  const branches = Array.isArray(node.anyOf) ? (node.anyOf as SchemaNode[]) : [{ $ref: node.$ref }];
  return branches.map((branch) => {
    if (typeof branch.$ref !== 'string') throw new Error('XML mapping: a union branch is not a class reference');
    return branch.$ref;
  });
}

const isEnumeration = (node: SchemaNode): boolean => Array.isArray(node.enum);
const isClass = (node: SchemaNode): boolean => node.type === 'object' && typeof node.properties === 'object';

function fieldOf(className: string, name: string, schema: SchemaNode): XmlField {
  if (schema.type === 'string') {
    if (schema.contentEncoding === 'base64') return { kind: 'base64', name };
    return typeof schema.maxLength === 'number' ? { kind: 'text', name, maxLength: schema.maxLength } : { kind: 'text', name };
  }
  if (schema.type === 'boolean') return { kind: 'boolean', name };
  if (typeof schema.$ref === 'string') {
    const target = definition(schema.$ref);
    if (isEnumeration(target)) return { kind: 'text', name };
    const members = unionMembers(target);
    if (members) return { kind: 'choice', name, members };
    if (isClass(target)) return { kind: 'object', name, className: schema.$ref };
  }
  if (schema.type === 'array') {
    const items = schema.items as SchemaNode | undefined;
    if (items && typeof items.$ref === 'string') {
      const target = definition(items.$ref);
      const members = unionMembers(target);
      if (members) return { kind: 'choiceList', name, members };
      if (isClass(target)) return { kind: 'list', name, className: items.$ref, itemElement: elementNameOf(items.$ref) };
    }
  }
  throw new Error(`XML mapping: no XML form for ${className}.${name} (${JSON.stringify(schema)})`);
}

function classOf(name: string, node: SchemaNode): XmlClass {
  const fields: XmlField[] = [];
  let modelType: string | undefined;
  for (const [property, schema] of Object.entries(node.properties as Record<string, SchemaNode>)) {
    if (property === 'modelType') {
      if (typeof schema.const !== 'string') throw new Error(`XML mapping: ${name}.modelType is not a constant`);
      modelType = schema.const;
      continue;
    }
    fields.push(fieldOf(name, property, schema));
  }
  return {
    name,
    element: elementNameOf(name),
    ...(modelType === undefined ? {} : { modelType }),
    fields,
    fieldsByElement: new Map(fields.map((field) => [field.name, field])),
  };
}

/** Every concrete class of the metamodel (Environment and EventPayload included), by class name. */
export const XML_CLASSES: ReadonlyMap<string, XmlClass> = new Map(
  Object.entries(definitions)
    .filter(([, node]) => isClass(node))
    .map(([name, node]) => [name, classOf(name, node)]),
);

export function xmlClass(name: string): XmlClass {
  const found = XML_CLASSES.get(name);
  if (found === undefined) throw new Error(`XML mapping: unknown class ${name}`);
  return found;
}

/** The concrete class an element name stands for, when it is one of `members` (a choice's classes). */
export function memberByElement(members: readonly string[], element: string): XmlClass | undefined {
  const name = members.find((member) => elementNameOf(member) === element);
  return name === undefined ? undefined : xmlClass(name);
}

/** The Identifiables a document may hold at its root instead of an Environment. */
export const IDENTIFIABLE_CLASSES = ['AssetAdministrationShell', 'Submodel', 'ConceptDescription'] as const;
export type IdentifiableClassName = (typeof IDENTIFIABLE_CLASSES)[number];
