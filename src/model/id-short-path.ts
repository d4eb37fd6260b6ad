/**
 * idShortPath (Part 2 §"idShortPath"): `idShort ("." idShort | "[" index "]")*`, e.g. `a.b[0].c`, `l[0][1].x`.
 * The first segment is a top-level element of the submodel (never the submodel's own idShort); list children are
 * addressed by index only. Our own tokenizer, because the Part 2 `PathItem` pattern forbids the hyphen that 3.1
 * idShorts allow, and clients URL-encode the brackets (decoded before this sees the path).
 */
import { BadRequest } from '../errors.js';

export type PathSegment = { idShort: string } | { index: number };

/** The idShort grammar of 3.0 and 3.1 together: a letter, then letters, digits, `_` and `-`. */
const ID_SHORT = /[A-Za-z][A-Za-z0-9_-]*/y;
const INDEX = /\[(0|[1-9][0-9]*)\]/y;

export function parseIdShortPath(path: string): PathSegment[] {
  const segments: PathSegment[] = [];
  let at = 0;
  const fail = (why: string): never => {
    throw new BadRequest(`idShortPath "${path.length > 200 ? `${path.slice(0, 197)}...` : path}" is malformed at position ${at}: ${why}`);
  };
  const idShort = () => {
    ID_SHORT.lastIndex = at;
    const m = ID_SHORT.exec(path);
    if (!m) fail('expected an idShort');
    segments.push({ idShort: m![0] });
    at = ID_SHORT.lastIndex;
  };
  if (path === '') fail('the path is empty');
  idShort();
  while (at < path.length) {
    if (path[at] === '.') {
      at++;
      idShort();
    } else if (path[at] === '[') {
      INDEX.lastIndex = at;
      const m = INDEX.exec(path);
      if (!m) fail('expected "[" followed by a list index and "]"');
      const index = Number(m![1]);
      if (!Number.isSafeInteger(index)) fail('the list index is too large');
      segments.push({ index });
      at = INDEX.lastIndex;
    } else {
      fail(`unexpected "${path[at]}"`);
    }
  }
  return segments;
}

export function formatIdShortPath(segments: readonly PathSegment[]): string {
  let out = '';
  for (const s of segments) out += 'index' in s ? `[${s.index}]` : out === '' ? s.idShort : `.${s.idShort}`;
  return out;
}
