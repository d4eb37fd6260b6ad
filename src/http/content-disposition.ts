/**
 * `Content-Disposition: attachment` for a download (RFC 6266 §4): `filename="…"` with an ASCII stand-in for every
 * client, and for a name that does not fit plain ASCII also `filename*=UTF-8''…` (RFC 8187), which clients that
 * know it prefer (RFC 6266 §4.3).
 */

/** RFC 8187 attr-char is stricter than encodeURIComponent: it also escapes ' ( ) *. */
function encodeExtValue(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function attachmentDisposition(fileName: string): string {
  // Inside a quoted-string, `"` and `\` would need escaping that clients handle unevenly; replace them instead.
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/gu, '_');
  const plain = `attachment; filename="${ascii}"`;
  return ascii === fileName ? plain : `${plain}; filename*=UTF-8''${encodeExtValue(fileName)}`;
}
