/**
 * Turns XML text into a small namespace-resolved element tree, refusing what an AAS document never needs and an
 * attacker likes: a DOCTYPE (and with it entity declarations: external entities/XXE, "billion laughs"
 * expansion), undefined entities, more than one root, attributes other than namespace declarations and
 * xsi:schemaLocation. fast-xml-parser does the tokenizing with entity processing switched off; references are
 * decoded here (xml-text.ts), so nothing is ever expanded beyond the five predefined entities and character
 * references. Every error is a BadRequest whose detail names where: a line/column for syntax, an XPath-like
 * location (`/environment/submodels/submodel[2]/idShort`) for content.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { BadRequest } from '../../errors.js';
import { decodeReferences, describeCharacterAt, indexOfNonXmlCharacter, isXmlWhitespace } from './xml-text.js';

export interface XmlElement {
  /** Local name (prefix removed). */
  name: string;
  /** Namespace URI the element's prefix (or the default namespace) resolves to; undefined for none. */
  namespace: string | undefined;
  /** XPath-like location for messages, e.g. `/environment/submodels/submodel[2]`. */
  path: string;
  children: XmlElement[];
  /** The element's own character data (text and CDATA, references decoded), in document order. */
  text: string;
}

const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance';
const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
/** Attributes of the XSI namespace that only point at a schema and carry no content. */
const HARMLESS_XSI_ATTRIBUTES = new Set(['schemaLocation', 'noNamespaceSchemaLocation']);

/**
 * Deepest element nesting accepted. An AAS document nests two levels per submodel element collection, so this
 * allows collections hundreds deep while bounding the recursion of the reader and the validator after it.
 */
const MAX_DEPTH = 600;

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  processEntities: false,
  cdataPropName: '#cdata',
  ignoreDeclaration: true,
  ignorePiTags: true,
  maxNestedTags: MAX_DEPTH,
});

export function badXml(path: string, text: string): BadRequest {
  return new BadRequest(`The XML document cannot be read: ${text}`, [{ text, path }]);
}

/** Refuses documents type declarations outright, before any parser sees them (XXE, entity expansion). */
function refuseDoctype(text: string): void {
  const match = /<!(DOCTYPE|ENTITY|ELEMENT|ATTLIST|NOTATION)/i.exec(text);
  if (match) {
    const line = text.slice(0, match.index).split('\n').length;
    throw badXml(`line ${line}`, `a document type declaration (<!${match[1]}) is not accepted: AAS XML needs none, and entities could expand or read files`);
  }
}

type OrderedNode = Record<string, unknown> & { ':@'?: Record<string, string> };

function nodeName(node: OrderedNode): string {
  const key = Object.keys(node).find((k) => k !== ':@');
  if (key === undefined) throw new Error('fast-xml-parser produced an empty node');
  return key;
}

/** Text as it stands in the document (the tokenizer accepts characters XML 1.0 does not). */
function checkedCharacters(text: string, path: string): string {
  const bad = indexOfNonXmlCharacter(text);
  if (bad !== -1) throw badXml(path, `character ${describeCharacterAt(text, bad)} is not allowed in XML`);
  return text;
}

function decoded(raw: string, path: string): string {
  checkedCharacters(raw, path);
  const result = decodeReferences(raw);
  if ('error' in result) throw badXml(path, result.error);
  return result.text;
}

interface Scope {
  /** prefix ('' for the default namespace) → namespace URI */
  namespaces: ReadonlyMap<string, string>;
}

function splitName(qualified: string): { prefix: string; local: string } {
  const colon = qualified.indexOf(':');
  return colon === -1 ? { prefix: '', local: qualified } : { prefix: qualified.slice(0, colon), local: qualified.slice(colon + 1) };
}

/** Namespace declarations of an element (`xmlns`, `xmlns:p`) added to its parent's; other attributes checked. */
function scopeOf(attributes: Record<string, string>, parent: Scope, path: string): Scope {
  let namespaces: Map<string, string> | undefined;
  const declared = (): Map<string, string> => (namespaces ??= new Map(parent.namespaces));
  for (const [name, raw] of Object.entries(attributes)) {
    const value = decoded(raw, `${path}/@${name}`);
    if (name === 'xmlns') declared().set('', value);
    else if (name.startsWith('xmlns:')) declared().set(name.slice(6), value);
  }
  const scope = namespaces ? { namespaces } : parent;
  for (const name of Object.keys(attributes)) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) continue;
    const { prefix, local } = splitName(name);
    const namespace = prefix === '' ? undefined : scope.namespaces.get(prefix);
    if (namespace === XSI_NAMESPACE && HARMLESS_XSI_ATTRIBUTES.has(local)) continue;
    throw badXml(`${path}/@${name}`, `unexpected attribute "${name}": AAS XML elements have no attributes`);
  }
  return scope;
}

function buildElement(node: OrderedNode, path: string, parentScope: Scope): XmlElement {
  const qualified = nodeName(node);
  const scope = node[':@'] ? scopeOf(node[':@'], parentScope, path) : parentScope;
  const { prefix, local } = splitName(qualified);
  const namespace = scope.namespaces.get(prefix);
  if (prefix !== '' && namespace === undefined) throw badXml(path, `namespace prefix "${prefix}" is not declared`);
  const content = node[qualified] as OrderedNode[];
  const childNodes = content.filter((child) => {
    const name = nodeName(child);
    return name !== '#text' && name !== '#cdata';
  });
  // XPath position among same-named siblings, shown only when there is more than one.
  const counts = new Map<string, number>();
  for (const child of childNodes) counts.set(nodeName(child), (counts.get(nodeName(child)) ?? 0) + 1);
  const seen = new Map<string, number>();
  const children: XmlElement[] = [];
  let text = '';
  for (const child of content) {
    const name = nodeName(child);
    if (name === '#text') {
      text += decoded(String(child[name]), path);
    } else if (name === '#cdata') {
      // CDATA content is literal: no references to decode, only characters to check.
      const literal = (child[name] as OrderedNode[]).map((part) => String(part['#text'] ?? '')).join('');
      text += checkedCharacters(literal, path);
    } else {
      const position = (seen.get(name) ?? 0) + 1;
      seen.set(name, position);
      const childPath = `${path}/${splitName(name).local}${(counts.get(name) ?? 0) > 1 ? `[${position}]` : ''}`;
      children.push(buildElement(child, childPath, scope));
    }
  }
  return { name: local, namespace, path, children, text };
}

/** Parses `xml` into its root element, or throws BadRequest saying where it is not well-formed. */
export function parseXmlDocument(xml: string): XmlElement {
  if (typeof xml !== 'string' || xml.trim() === '') throw badXml('/', 'the document is empty');
  const text = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  refuseDoctype(text);
  const verdict = XMLValidator.validate(text);
  if (verdict !== true) {
    throw badXml(`line ${verdict.err.line}, column ${verdict.err.col}`, `not well-formed XML: ${verdict.err.msg}`);
  }
  let nodes: OrderedNode[];
  try {
    nodes = parser.parse(text) as OrderedNode[];
  } catch (error) {
    throw badXml('/', `not readable XML: ${error instanceof Error ? error.message : String(error)}`);
  }
  const roots = nodes.filter((node) => nodeName(node) !== '#text' && nodeName(node) !== '#cdata');
  const strayText = nodes.some((node) => nodeName(node) === '#text' && !isXmlWhitespace(String(node['#text'])));
  if (roots.length !== 1 || strayText) {
    throw badXml('/', roots.length === 0 ? 'the document has no root element' : 'a document has exactly one root element and no text beside it');
  }
  const baseScope: Scope = { namespaces: new Map([['xml', XML_NAMESPACE]]) };
  return buildElement(roots[0], `/${splitName(nodeName(roots[0])).local}`, baseScope);
}
