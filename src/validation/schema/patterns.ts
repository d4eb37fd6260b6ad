/**
 * The regular expressions of the metamodel's string types (Part 1 v3.1 §5.3.11 primitive data types and the
 * JSON serialization), built from the grammars they come from (XML 1.0, XSD 1.1, RFC 5646, RFC 7231, RFC 2396)
 * so each part can be read and checked against its production.
 *
 * All patterns are ECMA-262 sources meant to run WITHOUT the `u` flag (ajv `unicodeRegExp: false`): a character
 * outside the Basic Multilingual Plane is then two UTF-16 code units, which the XML-character pattern accepts as a
 * surrogate pair.
 */

/** True when `source` is one group from its first to its last character, e.g. `(?:a|b)` but not `(?:a)|(?:b)`. */
function isOneGroup(source: string): boolean {
  if (!source.startsWith('(')) return false;
  let depth = 0;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (inClass) inClass = c !== ']';
    else if (c === '[') inClass = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i === source.length - 1;
  }
  return false;
}

/** Non-capturing group (none added around what already is one). */
const group = (source: string): string => (isOneGroup(source) ? source : `(?:${source})`);
/** One of several alternatives. */
const oneOf = (...alternatives: string[]): string => group(alternatives.join('|'));
const optional = (source: string): string => `${group(source)}?`;
const zeroOrMore = (source: string): string => `${group(source)}*`;
const oneOrMore = (source: string): string => `${group(source)}+`;
/** Anchors a pattern so it matches the whole string. */
const whole = (source: string): string => `^${source}$`;

// ---------------------------------------------------------------------------------------------------------------
// XML 1.0 characters (AASd-130): #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
// ---------------------------------------------------------------------------------------------------------------
const xmlBmpCharacter = String.raw`[\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD]`;
/** [#x10000-#x10FFFF] as UTF-16: a high surrogate followed by a low surrogate. */
const xmlAstralCharacter = String.raw`[\uD800-\uDBFF][\uDC00-\uDFFF]`;
export const xmlCharacters = whole(zeroOrMore(oneOf(xmlBmpCharacter, xmlAstralCharacter)));

// ---------------------------------------------------------------------------------------------------------------
// xs:dateTime restricted to UTC (Part 1 DateTimeUtc: the time zone is Z, +00:00 or -00:00). The date must exist:
// days per month, and February 29th only in leap years of the proleptic Gregorian calendar. Years before the
// common era count as in XSD 1.0 ("-0001 is 1 BCE, a leap year"; the aas-core test data agrees), so year -Y is a
// leap year when Y - 1 is one; 0000 is a leap year.
// ---------------------------------------------------------------------------------------------------------------
/** Four or more digits, a leading zero only in four-digit years. */
const year = `-?${oneOf('[1-9][0-9]{3,}', '0[0-9]{3}')}`;
/** The digits of a year before its last two: two or more, a leading zero only when exactly two. */
const yearHundreds = oneOf('[1-9][0-9]+', '0[0-9]');
/** Hundreds (as in yearHundreds) divisible by 4. */
const hundredsDivisibleByFour = oneOf(
  '0[048]',
  '[2468][048]',
  '[13579][26]',
  `[1-9][0-9]*${oneOf('[02468][048]', '[13579][26]')}`,
);
/** Y divisible by 4 and not by 100, or by 400. */
const leapYearNumber = oneOf(
  `${yearHundreds}${oneOf('0[48]', '[2468][048]', '[13579][26]')}`,
  `${hundredsDivisibleByFour}00`,
);
/** Y with Y - 1 a leap year number: Y ≡ 1 (mod 4) and not ...01, or ...01 with Y - 1 divisible by 400. */
const leapYearNumberPlusOne = oneOf(
  `${yearHundreds}${oneOf('0[59]', '[2468][159]', '[13579][37]')}`,
  `${hundredsDivisibleByFour}01`,
  '0000',
);
const leapYear = oneOf(leapYearNumber, `-${leapYearNumberPlusOne}`);
const date = oneOf(
  `${year}-${oneOf('0[13578]', '1[02]')}-${oneOf('0[1-9]', '[12][0-9]', '3[01]')}`,
  `${year}-${oneOf('0[469]', '11')}-${oneOf('0[1-9]', '[12][0-9]', '30')}`,
  `${year}-02-${oneOf('0[1-9]', '1[0-9]', '2[0-8]')}`,
  `${leapYear}-02-29`,
);
const hour = oneOf('[01][0-9]', '2[0-3]');
const minute = '[0-5][0-9]';
const second = `[0-5][0-9]${optional(String.raw`\.[0-9]+`)}`;
/** XSD allows 24:00:00 as the end of a day. */
const endOfDay = `24:00:00${optional(String.raw`\.0+`)}`;
const timeOfDay = oneOf(`${hour}:${minute}:${second}`, endOfDay);
const utcOffset = oneOf('Z', String.raw`\+00:00`, '-00:00');
export const xsDateTimeUtc = whole(`${date}T${timeOfDay}${utcOffset}`);

// ---------------------------------------------------------------------------------------------------------------
// xs:duration: -?P, then years, months, days, T hours, minutes, seconds in this order; at least one component and
// a T only when a time component follows.
// ---------------------------------------------------------------------------------------------------------------
const years = '[0-9]+Y';
const months = '[0-9]+M';
const days = '[0-9]+D';
const hours = '[0-9]+H';
const minutes = '[0-9]+M';
const seconds = String.raw`[0-9]+(?:\.[0-9]+)?S`;
const durationDate = oneOf(`${years}${optional(months)}${optional(days)}`, `${months}${optional(days)}`, days);
const durationTime = `T${oneOf(
  `${hours}${optional(minutes)}${optional(seconds)}`,
  `${minutes}${optional(seconds)}`,
  seconds,
)}`;
export const xsDuration = whole(`-?P${oneOf(`${durationDate}${optional(durationTime)}`, durationTime)}`);

// ---------------------------------------------------------------------------------------------------------------
// BCP 47 language tag (RFC 5646 §2.1 ABNF)
// ---------------------------------------------------------------------------------------------------------------
const alpha = '[a-zA-Z]';
const alphanumeric = '[a-zA-Z0-9]';
const extlang = `${alpha}{3}${group(`-${alpha}{3}`)}{0,2}`;
const language = oneOf(`${alpha}{2,3}${optional(`-${extlang}`)}`, `${alpha}{4}`, `${alpha}{5,8}`);
const script = `${alpha}{4}`;
const region = oneOf(`${alpha}{2}`, '[0-9]{3}');
const variant = oneOf(`${alphanumeric}{5,8}`, `[0-9]${alphanumeric}{3}`);
/** Any alphanumeric except x/X, which introduces private use. */
const singleton = '[0-9A-WY-Za-wy-z]';
const extension = `${singleton}${oneOrMore(`-${alphanumeric}{2,8}`)}`;
const privateUse = `[xX]${oneOrMore(`-${alphanumeric}{1,8}`)}`;
const langtag =
  language +
  optional(`-${script}`) +
  optional(`-${region}`) +
  zeroOrMore(`-${variant}`) +
  zeroOrMore(`-${extension}`) +
  optional(`-${privateUse}`);
/** RFC 5646 §2.2.8: tags registered before RFC 4646 that do not fit the langtag production. */
const grandfatheredIrregular = [
  'en-GB-oed', 'i-ami', 'i-bnn', 'i-default', 'i-enochian', 'i-hak', 'i-klingon', 'i-lux', 'i-mingo', 'i-navajo',
  'i-pwn', 'i-tao', 'i-tay', 'i-tsu', 'sgn-BE-FR', 'sgn-BE-NL', 'sgn-CH-DE',
];
const grandfatheredRegular = [
  'art-lojban', 'cel-gaulish', 'no-bok', 'no-nyn', 'zh-guoyu', 'zh-hakka', 'zh-min', 'zh-min-nan', 'zh-xiang',
];
export const bcp47LanguageTag = whole(oneOf(langtag, privateUse, ...grandfatheredIrregular, ...grandfatheredRegular));

// ---------------------------------------------------------------------------------------------------------------
// MIME media type (RFC 7231 §3.1.1.1): type "/" subtype *( OWS ";" OWS parameter )
// ---------------------------------------------------------------------------------------------------------------
/** RFC 7230 tchar: visible ASCII except delimiters. */
const tokenCharacter = "[!#$%&'*+.^_`|~0-9A-Za-z-]";
const token = `${tokenCharacter}+`;
const optionalWhitespace = String.raw`[ \t]*`;
/** qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text (%x80-FF) */
const quotedText = String.raw`[\t !\x23-\x5B\x5D-\x7E\x80-\xFF]`;
/** quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text ) */
const quotedPair = String.raw`\\[\t\x20-\x7E\x80-\xFF]`;
const quotedString = `"${zeroOrMore(oneOf(quotedText, quotedPair))}"`;
const mediaTypeParameter = `${token}=${oneOf(token, quotedString)}`;
export const mediaType = whole(
  `${token}/${token}${zeroOrMore(`${optionalWhitespace};${optionalWhitespace}${mediaTypeParameter}`)}`,
);

// ---------------------------------------------------------------------------------------------------------------
// URI reference (RFC 2396 §3 and Appendix A); Part 1 v3.1 PathType of File.value and Resource.path.
// Character sets are kept as bracket-expression bodies so productions can be combined without nesting groups.
// ---------------------------------------------------------------------------------------------------------------
/** unreserved = alphanum | mark, mark = "-" | "_" | "." | "!" | "~" | "*" | "'" | "(" | ")" */
const unreserved = String.raw`a-zA-Z0-9\-_.!~*'()`;
const reserved = ';/?:@&=+$,';
const escaped = '%[0-9A-Fa-f]{2}';
/** A character from `set` (bracket-expression body) or a %-escape. */
const charOrEscape = (set: string): string => oneOf(`[${set}]`, escaped);

const uric = charOrEscape(reserved + unreserved);
const uricNoSlash = charOrEscape(`${unreserved};?:@&=+$,`);
const pathCharacter = charOrEscape(`${unreserved}:@&=+$,`);
const segment = `${pathCharacter}*${zeroOrMore(`;${pathCharacter}*`)}`;
const absolutePath = `/${segment}${zeroOrMore(`/${segment}`)}`;
const relativeSegment = `${charOrEscape(`${unreserved};@&=+$,`)}+`;
const relativePath = relativeSegment + optional(absolutePath);

const userinfo = `${charOrEscape(`${unreserved};:&=+$,`)}*`;
const domainLabel = `[a-zA-Z0-9]${optional('[a-zA-Z0-9-]*[a-zA-Z0-9]')}`;
const topLabel = `[a-zA-Z]${optional('[a-zA-Z0-9-]*[a-zA-Z0-9]')}`;
const hostname = `${zeroOrMore(String.raw`${domainLabel}\.`)}${topLabel}${optional(String.raw`\.`)}`;
const ipv4Address = String.raw`[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+`;
const hostport = oneOf(hostname, ipv4Address) + optional(':[0-9]*');
const server = optional(optional(`${userinfo}@`) + hostport);
const registryName = `${charOrEscape(`${unreserved}$,;:@&=+`)}+`;
const authority = oneOf(server, registryName);
const networkPath = `//${authority}${optional(absolutePath)}`;
const query = String.raw`\?${uric}*`;
const fragment = `#${uric}*`;

const scheme = String.raw`[a-zA-Z][a-zA-Z0-9+\-.]*`;
const hierarchicalPart = oneOf(networkPath, absolutePath) + optional(query);
const opaquePart = uricNoSlash + `${uric}*`;
const absoluteUri = `${scheme}:${oneOf(hierarchicalPart, opaquePart)}`;
const relativeUri = oneOf(networkPath, absolutePath, relativePath) + optional(query);
export const uriReference = whole(optional(oneOf(absoluteUri, relativeUri)) + optional(fragment));

// ---------------------------------------------------------------------------------------------------------------
// Small ones
// ---------------------------------------------------------------------------------------------------------------
/** VersionType and RevisionType (AdministrativeInformation): a number without leading zeros. */
export const versionNumber = whole(oneOf('0', '[1-9][0-9]*'));

/**
 * AASd-002: idShort starts with a letter, continues with letters, digits, "_" or "-", and does not end with "-".
 * As in the spec's own grammar, at least two characters.
 */
export const idShort = whole('[a-zA-Z][a-zA-Z0-9_-]*[a-zA-Z0-9_]');

/**
 * What each pattern demands, in plain words, for error messages: "must match ^(?:...)$" with a five-kilobyte URI
 * grammar helps nobody.
 */
export const patternMessages: ReadonlyMap<string, string> = new Map([
  [xmlCharacters, 'must contain only characters allowed in XML 1.0 (AASd-130)'],
  [xsDateTimeUtc, 'must be an existing date and time as xs:dateTime in UTC, e.g. 2024-05-01T12:30:00Z'],
  [xsDuration, 'must be an xs:duration, e.g. PT5S or P1DT2H'],
  [bcp47LanguageTag, 'must be a BCP 47 language tag, e.g. en, de-DE or zh-Hant-TW'],
  [mediaType, 'must be a MIME content type, e.g. application/pdf or text/plain; charset=utf-8'],
  [uriReference, 'must be a URI reference (RFC 2396), e.g. file:/aasx/doc.pdf, /aasx/doc.pdf or https://example.com/'],
  [versionNumber, 'must be a non-negative integer without leading zeros, e.g. 0, 1 or 12'],
  [
    idShort,
    'must start with a letter, continue with letters, digits, "_" or "-", not end with "-" ' +
      'and have at least 2 characters (AASd-002)',
  ],
]);
