/**
 * Reads AAS XML (metamodel V3.0 or V3.1 namespace) into the Part 1 JSON form the rest of the server works on
 * (src/model/types.ts). The reader only maps structure: it reports what cannot be read at all (not XML, a root
 * or element the metamodel does not have, a boolean that is not one, a choice with no or two classes) as
 * BadRequest with an XPath-like location, and leaves every rule the JSON form can still express (required
 * properties, enumerations, patterns, AASd constraints) to the Validator the services run, exactly as for JSON.
 *
 * Lenient where XML tools differ and nothing is lost: properties may come in any order (the XSD fixes one; the
 * writer keeps it), namespace prefixes are resolved (`<aas:submodel xmlns:aas=…>` is fine), whitespace between
 * elements and comments are ignored. A V3.0 document becomes the same JSON as the V3.1 one (the element names
 * are the same).
 */
import type { AssetAdministrationShell, ConceptDescription, Environment, Submodel } from '../../model/types.js';
import {
  elementNameOf,
  IDENTIFIABLE_CLASSES,
  memberByElement,
  xmlClass,
  type IdentifiableClassName,
  type XmlClass,
  type XmlField,
} from './xml-classes.js';
import { badXml, parseXmlDocument, type XmlElement } from './xml-document.js';
import { isXmlWhitespace, stripXmlWhitespace } from './xml-text.js';
import { AAS_XML_NAMESPACES, versionOfNamespace, type AasXmlVersion } from './xml-versions.js';

type Json = Record<string, unknown>;
export type Identifiable = AssetAdministrationShell | Submodel | ConceptDescription;

/** A read document: its version and its root, an Environment or one Identifiable. */
export type AasXmlDocument =
  | { version: AasXmlVersion; rootClass: 'Environment'; value: Environment }
  | { version: AasXmlVersion; rootClass: IdentifiableClassName; value: Identifiable };

function describe(element: XmlElement): string {
  return `<${element.name}>`;
}

/** An element that holds elements: any text beside them must be whitespace. */
function elementContent(element: XmlElement): XmlElement[] {
  if (!isXmlWhitespace(element.text)) {
    throw badXml(element.path, `${describe(element)} holds elements, not text ("${element.text.trim().slice(0, 40)}")`);
  }
  return element.children;
}

/** An element that holds text: no child elements. */
function textContent(element: XmlElement): string {
  if (element.children.length > 0) {
    throw badXml(element.children[0].path, `${describe(element)} holds text, not elements (found ${describe(element.children[0])})`);
  }
  return element.text;
}

/** xs:boolean: true, false, 1, 0, surrounding whitespace collapsed (XSD 1.1 Part 2 §3.3.2). */
function readBoolean(element: XmlElement): boolean {
  const lexical = textContent(element).replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
  if (lexical === 'true' || lexical === '1') return true;
  if (lexical === 'false' || lexical === '0') return false;
  throw badXml(element.path, `${describe(element)} must be an xs:boolean (true, false, 1 or 0), not "${lexical.slice(0, 40)}"`);
}

function readMember(members: readonly string[], element: XmlElement): Json {
  const cls = memberByElement(members, element.name);
  if (cls === undefined) {
    const expected = members.map((m) => `<${elementNameOf(m)}>`).join(', ');
    throw badXml(element.path, `unexpected element ${describe(element)}; expected one of ${expected}`);
  }
  return readObject(cls, element);
}

function readField(field: XmlField, element: XmlElement): unknown {
  switch (field.kind) {
    case 'text':
      return textContent(element);
    case 'boolean':
      return readBoolean(element);
    case 'base64':
      // xs:base64Binary allows whitespace (line-wrapped output of other tools); the JSON form has none.
      return stripXmlWhitespace(textContent(element));
    case 'object':
      return readObject(xmlClass(field.className), element);
    case 'list':
      return elementContent(element).map((item) => {
        if (item.name !== field.itemElement) {
          throw badXml(item.path, `unexpected element ${describe(item)} in ${describe(element)}; expected <${field.itemElement}>`);
        }
        return readObject(xmlClass(field.className), item);
      });
    case 'choice': {
      const children = elementContent(element);
      if (children.length !== 1) {
        throw badXml(element.path, `${describe(element)} must hold exactly one element, found ${children.length}`);
      }
      return readMember(field.members, children[0]);
    }
    case 'choiceList':
      return elementContent(element).map((item) => readMember(field.members, item));
  }
}

/** One class instance: each child element is one of the class's properties, at most once. */
function readObject(cls: XmlClass, element: XmlElement): Json {
  const values = new Map<string, unknown>();
  for (const child of elementContent(element)) {
    const field = cls.fieldsByElement.get(child.name);
    if (field === undefined) {
      throw badXml(child.path, `unknown element ${describe(child)}: ${cls.name} has no property "${child.name}"`);
    }
    if (values.has(field.name)) throw badXml(child.path, `${describe(child)} appears more than once in ${describe(element)}`);
    values.set(field.name, readField(field, child));
  }
  // Properties in the class's (XSD) order, modelType last, whatever order the document had.
  const out: Json = {};
  for (const field of cls.fields) if (values.has(field.name)) out[field.name] = values.get(field.name);
  if (cls.modelType !== undefined) out.modelType = cls.modelType;
  return out;
}

/** Every element must be in the root's AAS namespace: a mix of V3.0 and V3.1 (or foreign) elements is not AAS. */
function checkNamespaces(root: XmlElement, namespace: string): void {
  const pending = [...root.children];
  for (let element = pending.pop(); element !== undefined; element = pending.pop()) {
    if (element.namespace !== namespace) {
      throw badXml(element.path, `${describe(element)} is in namespace ${element.namespace ?? '(none)'}, expected ${namespace}`);
    }
    pending.push(...element.children);
  }
}

/** Reads a document whose root is `<environment>` or one Identifiable (`<submodel>`, …). */
export function readXmlDocument(xml: string): AasXmlDocument {
  const root = parseXmlDocument(xml);
  const version = versionOfNamespace(root.namespace);
  if (version === undefined) {
    const expected = `${AAS_XML_NAMESPACES['3.1']} or ${AAS_XML_NAMESPACES['3.0']}`;
    throw badXml(root.path, `the root element is in namespace ${root.namespace ?? '(none)'}, expected ${expected}`);
  }
  checkNamespaces(root, root.namespace as string);
  if (root.name === 'environment') {
    return { version, rootClass: 'Environment', value: readObject(xmlClass('Environment'), root) as Environment };
  }
  const rootClass = IDENTIFIABLE_CLASSES.find((name) => elementNameOf(name) === root.name);
  if (rootClass === undefined) {
    const expected = ['Environment', ...IDENTIFIABLE_CLASSES].map((name) => `<${elementNameOf(name)}>`).join(', ');
    throw badXml(root.path, `unexpected root element ${describe(root)}; expected one of ${expected}`);
  }
  return { version, rootClass, value: readObject(xmlClass(rootClass), root) as Identifiable };
}

const ENVIRONMENT_LIST: Readonly<Record<IdentifiableClassName, 'assetAdministrationShells' | 'submodels' | 'conceptDescriptions'>> = {
  AssetAdministrationShell: 'assetAdministrationShells',
  Submodel: 'submodels',
  ConceptDescription: 'conceptDescriptions',
};

/**
 * An Environment from an AAS XML document. A document whose root is a single Identifiable is accepted too and
 * becomes an Environment holding just it, so an importer takes either kind of file.
 */
export function xmlToEnvironment(xml: string): Environment {
  const document = readXmlDocument(xml);
  if (document.rootClass === 'Environment') return document.value;
  return { [ENVIRONMENT_LIST[document.rootClass]]: [document.value] } as Environment;
}

/** One Identifiable from a document whose root is that Identifiable (e.g. a request body for one submodel). */
export function xmlToIdentifiable(xml: string): Identifiable {
  const document = readXmlDocument(xml);
  if (document.rootClass === 'Environment') {
    throw badXml('/environment', 'expected a single shell, submodel or concept description as the root, not <environment>');
  }
  return document.value;
}
