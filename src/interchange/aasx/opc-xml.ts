/**
 * The two OPC XML vocabularies an AASX package is held together by (ECMA-376 Part 2): relationships parts
 * (§9.3, `*.rels`) and the content types stream `[Content_Types].xml` (§10.1.2), read and written, plus the
 * relationship types of AASX (Part 5 §4.3).
 *
 * Reading refuses a DOCTYPE (XXE, entity expansion) like the AAS XML reader, and decodes attribute references
 * itself (fast-xml-parser's entity processing is off). Element names are matched by local name; the namespace is
 * not insisted on, since it adds nothing to what a relationship says.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { BadRequest } from '../../errors.js';
import { decodeReferences, escapeText, indexOfNonXmlCharacter } from '../xml/xml-text.js';

const RELATIONSHIPS_NAMESPACE = 'http://schemas.openxmlformats.org/package/2006/relationships';
const CONTENT_TYPES_NAMESPACE = 'http://schemas.openxmlformats.org/package/2006/content-types';
export const RELATIONSHIPS_CONTENT_TYPE = 'application/vnd.openxmlformats-package.relationships+xml';

/** Relationship types (Part 5 §4.3); older packages spell them with `www.`, which reading accepts. */
export const RELATIONSHIP_TYPES = {
  origin: 'http://admin-shell.io/aasx/relationships/aasx-origin',
  spec: 'http://admin-shell.io/aasx/relationships/aas-spec',
  supplementary: 'http://admin-shell.io/aasx/relationships/aas-suppl',
  thumbnail: 'http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail',
} as const;

/** A relationship type in its current spelling: `http(s)://(www.)admin-shell.io/…` → `http://admin-shell.io/…`. */
export function normalRelationshipType(type: string): string {
  return type.replace(/^https?:\/\/(www\.)?admin-shell\.io\//i, 'http://admin-shell.io/');
}

export interface Relationship {
  id: string;
  type: string;
  target: string;
  external: boolean;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  attributesGroupName: ':@',
  // Every element as a list, so one Relationship and many read alike; attributes stay single values.
  isArray: (_name, _path, _leaf, isAttribute) => !isAttribute,
});

type Node = Record<string, unknown>;

function badPart(partName: string, text: string): BadRequest {
  return new BadRequest(`The AASX package is not accepted: ${partName} ${text}`, [{ text, path: partName }]);
}

/** The root element of an OPC XML part, its children grouped by local name. */
function parseRoot(xml: string, partName: string, rootName: string): Node {
  const text = xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml;
  if (/<!(DOCTYPE|ENTITY)/i.test(text)) throw badPart(partName, 'has a document type declaration, which OPC forbids (ECMA-376-2 §8.1.4)');
  const verdict = XMLValidator.validate(text);
  if (verdict !== true) throw badPart(partName, `is not well-formed XML (line ${verdict.err.line}): ${verdict.err.msg}`);
  const document = parser.parse(text) as Node;
  const roots = (document[rootName] as Node[] | undefined) ?? [];
  if (roots.length !== 1) throw badPart(partName, `has no <${rootName}> root element`);
  // An empty element (`<Relationships/>`) parses as text: a root without children.
  return typeof roots[0] === 'object' && roots[0] !== null ? roots[0] : {};
}

function attribute(node: Node, name: string, partName: string, required: true): string;
function attribute(node: Node, name: string, partName: string, required: false): string | undefined;
function attribute(node: Node, name: string, partName: string, required: boolean): string | undefined {
  const raw = (node[':@'] as Node | undefined)?.[name];
  if (raw === undefined) {
    if (required) throw badPart(partName, `has an element without its ${name} attribute`);
    return undefined;
  }
  const decoded = decodeReferences(String(raw));
  if ('error' in decoded) throw badPart(partName, `has an unreadable ${name} attribute: ${decoded.error}`);
  return decoded.text;
}

function children(root: Node, name: string): Node[] {
  const list = root[name];
  return Array.isArray(list) ? (list as unknown[]).filter((n): n is Node => typeof n === 'object' && n !== null) : [];
}

/** The relationships of a relationships part (§9.3.2). */
export function parseRelationships(xml: string, partName: string): Relationship[] {
  return children(parseRoot(xml, partName, 'Relationships'), 'Relationship').map((node) => ({
    id: attribute(node, 'Id', partName, true),
    type: normalRelationshipType(attribute(node, 'Type', partName, true)),
    target: attribute(node, 'Target', partName, true),
    external: attribute(node, 'TargetMode', partName, false) === 'External',
  }));
}

export interface ContentTypes {
  /** Lower-cased extension (no dot) → content type. */
  defaults: Map<string, string>;
  /** Part name key (see partNameKey) → content type. */
  overrides: Map<string, string>;
}

/** The content types stream (§10.1.2.2); `keyOf` turns an Override's PartName into the caller's part key. */
export function parseContentTypes(xml: string, keyOf: (partName: string) => string): ContentTypes {
  const partName = '/[Content_Types].xml';
  const root = parseRoot(xml, partName, 'Types');
  const defaults = new Map<string, string>();
  for (const node of children(root, 'Default')) {
    defaults.set(attribute(node, 'Extension', partName, true).toLowerCase(), attribute(node, 'ContentType', partName, true));
  }
  const overrides = new Map<string, string>();
  for (const node of children(root, 'Override')) {
    overrides.set(keyOf(attribute(node, 'PartName', partName, true)), attribute(node, 'ContentType', partName, true));
  }
  return { defaults, overrides };
}

/** The extension of a part name (§10.1.2.2.2: after the last dot of the last segment), lower-cased; '' for none. */
export function extensionOf(partName: string): string {
  const segment = partName.slice(partName.lastIndexOf('/') + 1);
  const dot = segment.lastIndexOf('.');
  return dot === -1 ? '' : segment.slice(dot + 1).toLowerCase();
}

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
/** RFC 7231 media-type without optional whitespace, which System.IO.Packaging's content type parser refuses. */
const MEDIA_TYPE = new RegExp(`^${TOKEN}/${TOKEN}(;${TOKEN}=(${TOKEN}|"[^"\\\\]*"))*$`);

/** A content type as a package may carry it (ECMA-376-2 §10.1.2.2.2), or undefined when it is not one. */
export function packageContentType(value: string): string | undefined {
  const compact = value.trim().replace(/[ \t]*([;=])[ \t]*/g, '$1');
  return MEDIA_TYPE.test(compact) ? compact : undefined;
}

function escapeAttribute(value: string): string {
  if (indexOfNonXmlCharacter(value) !== -1) throw new BadRequest(`"${value.slice(0, 80)}" holds a character XML cannot carry`);
  return escapeText(value).replace(/"/g, '&quot;').replace(/\t/g, '&#x9;').replace(/\n/g, '&#xA;');
}

const DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';

/** A relationships part; targets are absolute part names (valid relative references from any source). */
export function relationshipsXml(relationships: readonly Omit<Relationship, 'external'>[]): string {
  const lines = relationships.map(
    (r) => `  <Relationship Type="${escapeAttribute(r.type)}" Target="${escapeAttribute(r.target)}" Id="${escapeAttribute(r.id)}"/>`,
  );
  return [DECLARATION, `<Relationships xmlns="${RELATIONSHIPS_NAMESPACE}">`, ...lines, '</Relationships>', ''].join('\n');
}

/**
 * The content types stream for the given parts (part name → content type, relationships parts left out): a
 * Default per extension that all its parts share one type for (as System.IO.Packaging writes it), an Override
 * for every other part. `rels` is always the relationships Default.
 */
export function contentTypesXml(parts: ReadonlyMap<string, string>): string {
  const byExtension = new Map<string, Set<string>>();
  for (const [partName, contentType] of parts) {
    const extension = extensionOf(partName);
    if (extension !== '') byExtension.set(extension, (byExtension.get(extension) ?? new Set<string>()).add(contentType));
  }
  const defaults = new Map<string, string>();
  for (const [extension, types] of byExtension) if (types.size === 1) defaults.set(extension, [...types][0]);
  // The relationships parts have no entry in `parts`; the Default is theirs, whatever else ends in .rels.
  defaults.set('rels', RELATIONSHIPS_CONTENT_TYPE);
  const lines = [...defaults].map(([extension, type]) => `  <Default Extension="${escapeAttribute(extension)}" ContentType="${escapeAttribute(type)}"/>`);
  for (const [partName, contentType] of parts) {
    if (defaults.get(extensionOf(partName)) === contentType) continue;
    lines.push(`  <Override PartName="${escapeAttribute(partName)}" ContentType="${escapeAttribute(contentType)}"/>`);
  }
  return [DECLARATION, `<Types xmlns="${CONTENT_TYPES_NAMESPACE}">`, ...lines, '</Types>', ''].join('\n');
}
