/**
 * Character-level XML 1.0 rules for text content: escaping on write, reference decoding on read, and the
 * characters XML cannot carry at all (XML 1.0 §2.2 Char; AASd-130 restricts AAS strings to the same set).
 */

/**
 * A character outside XML 1.0's Char production: C0 controls other than tab/LF/CR, U+FFFE/U+FFFF, and UTF-16
 * surrogates that are not part of a pair (a JS string can hold them; no XML document can).
 */
// eslint-disable-next-line no-control-regex -- finding the control characters XML forbids is the point
const NON_XML_CHARACTER = /[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Index of the first character XML cannot carry, or -1. */
export function indexOfNonXmlCharacter(value: string): number {
  const match = NON_XML_CHARACTER.exec(value);
  return match === null ? -1 : match.index;
}

/** `U+0001` style name of the character at `index`, for messages. */
export function describeCharacterAt(value: string, index: number): string {
  const code = value.codePointAt(index) ?? 0;
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
}

const TEXT_ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#xD;' };

/**
 * Text content as it must appear between tags. `>` is escaped so `]]>` cannot occur; CR is written as a
 * character reference because XML parsers turn a literal CR (or CRLF) into LF (XML 1.0 §2.11), which would not
 * give the same string back.
 */
export function escapeText(value: string): string {
  return value.replace(/[&<>\r]/g, (c) => TEXT_ESCAPES[c]);
}

const PREDEFINED_ENTITIES: Readonly<Record<string, string>> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** Whether a code point is an XML 1.0 Char (§2.2), so a character reference to it is well-formed (§4.1 WFC: Legal Character). */
function isXmlCodePoint(code: number): boolean {
  return (
    code === 0x9 || code === 0xa || code === 0xd || (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff)
  );
}

/**
 * Replaces the references in raw text (`&lt;`, `&#xD;`, `&#128512;`). Only the five predefined entities exist
 * in a document without a DOCTYPE (which the reader refuses); any other `&name;`, a bare `&` or a reference to a
 * non-character makes the document not well-formed. Returns the decoded text or an error message.
 */
export function decodeReferences(raw: string): { text: string } | { error: string } {
  if (!raw.includes('&')) return { text: raw };
  let error: string | undefined;
  const text = raw.replace(/&([^;&<]*)(;?)/g, (whole, body: string, semicolon: string) => {
    if (error !== undefined) return whole;
    if (semicolon === '') {
      error = `"&" must start a reference such as &amp; (found "${whole.slice(0, 20)}")`;
      return whole;
    }
    const named = PREDEFINED_ENTITIES[body];
    if (named !== undefined && Object.hasOwn(PREDEFINED_ENTITIES, body)) return named;
    const numeric = /^#x([0-9A-Fa-f]{1,6})$/.exec(body) ?? /^#([0-9]{1,7})$/.exec(body);
    if (numeric) {
      const code = parseInt(numeric[1], body.startsWith('#x') ? 16 : 10);
      if (isXmlCodePoint(code)) return String.fromCodePoint(code);
      error = `character reference &${body}; is not an XML character`;
      return whole;
    }
    error = `undefined entity &${body.slice(0, 40)}; (only &lt; &gt; &amp; &quot; &apos; and character references exist without a DOCTYPE)`;
    return whole;
  });
  return error === undefined ? { text } : { error };
}

/** XML's whitespace (S production): space, tab, CR, LF. Not JS's wider `\s`. */
export function isXmlWhitespace(value: string): boolean {
  return /^[ \t\r\n]*$/.test(value);
}

export function stripXmlWhitespace(value: string): string {
  return value.replace(/[ \t\r\n]+/g, '');
}
