/**
 * OPC part names (ECMA-376 Part 2 §6.2.2 "Part Names", §A "ZIP item names"), as AASX (Part 5) uses them.
 *
 * A part name is an absolute URI path (`/aasx/files/manual.pdf`); its ZIP item name is the same without the
 * leading slash. Part names are compared ASCII case-insensitively (§6.2.2.3 [M1.12]); here also after
 * percent-decoding, so `/a%20b` and `/A b` are one part: the stricter reading, which makes a package that spells
 * one part twice a duplicate rather than two parts a tool might confuse.
 *
 * ZIP item names from an upload are checked before anything else looks at them: no absolute paths, drive letters,
 * backslashes, `.`/`..` or empty segments (also percent-encoded ones), no control characters. Nothing here ever
 * touches a file system, but a name that could escape a directory elsewhere has no place in a package.
 */
import { BadRequest } from '../../errors.js';

/** `[Content_Types].xml` is a ZIP item but not a part (§A.4). */
export const CONTENT_TYPES_ITEM = '[Content_Types].xml';

/** Decodes %XX escapes where they form valid UTF-8; leaves the text as is otherwise. */
function percentDecoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTER = /[\x00-\x1f\x7f]/;

/** Why a ZIP item name is not acceptable, or undefined when it is (a trailing `/` marks a directory). */
function zipItemNameProblem(name: string): string | undefined {
  if (name === '') return 'has an empty name';
  if (CONTROL_CHARACTER.test(name)) return 'has a control character in its name';
  if (name.includes('\\')) return 'has a backslash in its name (ZIP and OPC separate segments with "/")';
  if (/^[A-Za-z]:/.test(name)) return 'names a drive (an absolute path)';
  if (name.startsWith('/')) return 'has an absolute path';
  const segments = (name.endsWith('/') ? name.slice(0, -1) : name).split('/');
  for (const segment of segments) {
    const decoded = percentDecoded(segment);
    if (decoded === '..' || decoded === '.') return `has a "${segment}" segment (a relative path)`;
    if (segment === '') return 'has an empty path segment';
    if (decoded.includes('/') || decoded.includes('\\')) return `has an encoded separator in segment "${segment}"`;
  }
  return undefined;
}

/** A ZIP item as a package member: its part name (`/` + item name), or the content types item. */
export interface ZipItemName {
  itemName: string;
  /** `/aasx/files/manual.pdf`; for `[Content_Types].xml` and directories the item name with a slash. */
  partName: string;
  directory: boolean;
}

/** Checks a ZIP item name from an upload; BadRequest naming the entry otherwise. */
export function checkZipItemName(itemName: string): ZipItemName {
  const problem = zipItemNameProblem(itemName);
  if (problem !== undefined) {
    const text = `entry "${itemName}" ${problem}`;
    throw new BadRequest(`The AASX package is not accepted: ${text}`, [{ text, path: itemName }]);
  }
  return { itemName, partName: `/${itemName}`, directory: itemName.endsWith('/') };
}

/** The key under which two spellings of one part name are equal (case and percent-encoding aside). */
export function partNameKey(partName: string): string {
  return partName
    .split('/')
    .map((segment) => percentDecoded(segment).replaceAll('/', '%2F'))
    .join('/')
    .toUpperCase();
}

/** The relationships part of a part (§9.3.3): `/a/b/c.xml` → `/a/b/_rels/c.xml.rels`; the package's is `/_rels/.rels`. */
export function relationshipsPartOf(sourcePartName: string): string {
  const slash = sourcePartName.lastIndexOf('/');
  return `${sourcePartName.slice(0, slash)}/_rels/${sourcePartName.slice(slash + 1)}.rels`;
}

export const PACKAGE_RELATIONSHIPS_PART = '/_rels/.rels';

const BASE = 'opc://package';

/**
 * Resolves a relationship's Target (a URI reference, §9.3.2.2) against its source part (`/` for the package):
 * the target's part name, or undefined when it points outside the package. A non-special URL scheme is used as
 * base so that a backslash stays a character (and fails the part name check) instead of becoming a separator.
 */
export function resolveRelationshipTarget(target: string, sourcePartName: string): string | undefined {
  let url: URL;
  try {
    url = new URL(target, `${BASE}${sourcePartName}`);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'opc:' || url.host !== 'package') return undefined;
  return url.pathname;
}

/** Characters a URI path segment may hold unescaped (RFC 3986 pchar), besides %XX escapes. */
const PCHAR = /[A-Za-z0-9\-._~!$&'()*+,;=:@]/;

/**
 * The part name a package-internal reference (File.value, Resource.path) is written under, or undefined when the
 * reference cannot name a part: external (`https:`…), relative, or not a valid part name. Characters a part name
 * cannot carry are percent-encoded (an existing %XX stays), so the reference still finds the part when read back.
 */
export function partNameForReference(reference: string): string | undefined {
  if (!reference.startsWith('/') || reference.startsWith('//')) return undefined;
  const encoded = reference
    .slice(1)
    .split('/')
    .map((segment) =>
      [...segment]
        .map((c, i, all) => (PCHAR.test(c) || (c === '%' && /^[0-9A-Fa-f]{2}$/.test(all.slice(i + 1, i + 3).join(''))) ? c : encodeURIComponent(c)))
        .join(''),
    )
    .join('/');
  if (zipItemNameProblem(encoded) !== undefined || encoded.endsWith('/')) return undefined;
  // OPC part names: no segment ends with a dot (§6.2.2.2 [M1.9]); `_rels` folders hold only relationships.
  const segments = encoded.split('/');
  if (segments.some((s) => s.endsWith('.') || s.toLowerCase() === '_rels')) return undefined;
  return `/${encoded}`;
}

/**
 * The key of the part an environment's reference points to when reading: an absolute part name as it is, and (as
 * a tolerance for hand-made packages) a relative one from the package root. Undefined for external references.
 */
export function referenceKey(reference: string): string | undefined {
  if (reference === '') return undefined;
  // An absolute one is keyed as written, so characters a URL would cut off (`#`, `?`) still match their %XX form.
  if (reference.startsWith('/') && !reference.startsWith('//')) return partNameKey(reference);
  const partName = resolveRelationshipTarget(reference, '/');
  return partName === undefined ? undefined : partNameKey(partName);
}
