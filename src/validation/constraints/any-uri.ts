/**
 * xs:anyURI. A value is accepted if it is a URI reference per RFC 2396 as amended by RFC 2732 (what XSD 1.0
 * names, and what the aas-core 3.1 test data checks) or an IRI reference per RFC 3987 (what the aas-core 3.0
 * test data checks, and what XSD's own escaping of non-ASCII characters admits). Both are needed: documents
 * that the 3.0 test suite calls valid use IRIs such as `/6:ģ@ś` and must still be accepted, while every
 * negative example of the 3.1 suite (control characters, backticks, spaces, a second `#`, bad escapes) is
 * still rejected by both.
 *
 * Both grammars are built from the RFCs' productions; runs of the same character classes are folded into
 * single classes (slightly more permissive around userinfo/host) so that the expressions cannot backtrack badly.
 */

const UNRESERVED = "A-Za-z0-9\\-_.!~*'()";
const ESCAPED = '%[0-9A-Fa-f]{2}';

/** *uric: reserved | unreserved | escaped (RFC 2732 adds `[` and `]` to reserved). */
const URICS = `(?:[;/?:@&=+$,\\[\\]${UNRESERVED}]|${ESCAPED})*`;
/** abs_path = "/" path_segments; segments are pchar runs separated by `/` with `;` params. */
const ABS_PATH = `/(?:[${UNRESERVED}:@&=+$,;/]|${ESCAPED})*`;
/** authority = server | reg_name; both fold into these characters, plus an IPv6 reference for the host. */
const AUTHORITY = `(?:[${UNRESERVED}$,;:@&=+]|${ESCAPED}|\\[[0-9A-Fa-f:.]+\\])*`;
const NET_PATH = `//${AUTHORITY}(?:${ABS_PATH})?`;
const QUERY = `(?:\\?${URICS})?`;
const SCHEME = '[A-Za-z][A-Za-z0-9+\\-.]*';
/** opaque_part = uric_no_slash *uric */
const OPAQUE_PART = `(?:[${UNRESERVED};?:@&=+$,]|${ESCAPED})${URICS}`;
const ABSOLUTE_URI = `${SCHEME}:(?:(?:${NET_PATH}|${ABS_PATH})${QUERY}|${OPAQUE_PART})`;
/** rel_segment = 1*( unreserved | escaped | ";" | "@" | "&" | "=" | "+" | "$" | "," ) */
const REL_PATH = `(?:[${UNRESERVED};@&=+$,]|${ESCAPED})+(?:${ABS_PATH})?`;
const RELATIVE_URI = `(?:${NET_PATH}|${ABS_PATH}|${REL_PATH})${QUERY}`;

const URI_REFERENCE = new RegExp(`^(?:${ABSOLUTE_URI}|${RELATIVE_URI})?(?:#${URICS})?$`);

/* RFC 3987 IRI-reference. */
const UCS_CHAR =
  '\\u{A0}-\\u{D7FF}\\u{F900}-\\u{FDCF}\\u{FDF0}-\\u{FFEF}\\u{10000}-\\u{1FFFD}\\u{20000}-\\u{2FFFD}\\u{30000}-\\u{3FFFD}' +
  '\\u{40000}-\\u{4FFFD}\\u{50000}-\\u{5FFFD}\\u{60000}-\\u{6FFFD}\\u{70000}-\\u{7FFFD}\\u{80000}-\\u{8FFFD}\\u{90000}-\\u{9FFFD}' +
  '\\u{A0000}-\\u{AFFFD}\\u{B0000}-\\u{BFFFD}\\u{C0000}-\\u{CFFFD}\\u{D0000}-\\u{DFFFD}\\u{E1000}-\\u{EFFFD}';
/** Private-use characters: allowed in the query only. */
const I_PRIVATE = '\\u{E000}-\\u{F8FF}\\u{F0000}-\\u{FFFFD}\\u{100000}-\\u{10FFFD}';
const I_UNRESERVED = `A-Za-z0-9\\-._~${UCS_CHAR}`;
const SUB_DELIMS = "!$&'()*+,;=";
const PCT = '%[0-9A-Fa-f]{2}';
/** *( ipchar / "/" ): every path after its first segment. */
const I_PATH_CHARS = `(?:[${I_UNRESERVED}${SUB_DELIMS}:@/]|${PCT})*`;
/** iuserinfo "@" ihost ":" port, folded; IP-literals in brackets. */
const I_AUTHORITY = `(?:[${I_UNRESERVED}${SUB_DELIMS}:@]|${PCT}|\\[[0-9A-Za-z:.\\-_~${SUB_DELIMS}]+\\])*`;
const I_NET_PATH = `//${I_AUTHORITY}(?:/${I_PATH_CHARS})?`;
/** isegment-nz-nc: the first segment of a relative path has no colon (it would read as a scheme). */
const I_NO_SCHEME_PATH = `(?:[${I_UNRESERVED}${SUB_DELIMS}@]|${PCT})+(?:/${I_PATH_CHARS})?`;
const I_QUERY = `(?:\\?(?:[${I_UNRESERVED}${SUB_DELIMS}:@/?${I_PRIVATE}]|${PCT})*)?`;
const I_FRAGMENT = `(?:#(?:[${I_UNRESERVED}${SUB_DELIMS}:@/?]|${PCT})*)?`;
const IRI_REFERENCE = new RegExp(
  `^(?:${SCHEME}:(?:${I_NET_PATH}|${I_PATH_CHARS})|${I_NET_PATH}|/${I_PATH_CHARS}|${I_NO_SCHEME_PATH}|)${I_QUERY}${I_FRAGMENT}$`,
  'u',
);

export function isXsAnyUri(text: string): boolean {
  return URI_REFERENCE.test(text) || IRI_REFERENCE.test(text);
}
