/**
 * Identifiers in paths and id-like query values are base64url (RFC 4648 §5) of the UTF-8 bytes (Part 2 §…
 * "Encoding"). 3.1 forbids padding: we emit unpadded and accept padded input from older clients.
 */
import { BadRequest } from '../errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function encodeId(id: string): string {
  return Buffer.from(id, 'utf8').toString('base64url');
}

/** Decodes a base64url identifier; `what` names it in the error (e.g. `aasIdentifier`). */
export function decodeId(encoded: string, what = 'identifier'): string {
  const m = /^([A-Za-z0-9_-]*)(={0,2})$/.exec(encoded);
  const body = m?.[1] ?? '';
  // A length of 4n+1 cannot come from any byte string; padding must complete the last quantum exactly.
  const valid = m !== null && body.length > 0 && body.length % 4 !== 1 && (m[2] === '' || (body.length + m[2].length) % 4 === 0);
  if (valid) {
    const bytes = Buffer.from(body, 'base64url');
    // Reject non-canonical encodings (trailing bits set), so that one id has one spelling.
    if (bytes.toString('base64url') === body) {
      try {
        return utf8.decode(bytes);
      } catch {
        /* not UTF-8: fall through */
      }
    }
  }
  throw new BadRequest(`${what} is not a base64url-encoded UTF-8 string: "${truncate(encoded)}"`);
}

function truncate(s: string): string {
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}
