/**
 * PATCH in Normal form (Part 2: PATCH "only updates existing elements"): the body's fields replace the target's,
 * except child lists, which are merged child by child — by idShort in collections, entities and annotations, by
 * position in lists. Children the body leaves out stay; a child the body names that does not exist, a changed
 * element type, or a list longer than the current one is a 400 and nothing changes.
 */
import { BadRequest } from '../errors.js';
import { jsonPath } from '../validation/issues.js';
import { childListKey } from './modifiers.js';

type Node = Record<string, unknown>;

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Merges `patch` into `current` (a Submodel or an element); returns a new object, `current` is left as it was. */
export function mergeNormalPatch<T>(current: T, patch: unknown): T {
  return merge(current as Node, patch, []) as T;
}

function merge(current: Node, patch: unknown, at: (string | number)[]): Node {
  const where = jsonPath(at);
  if (!isNode(patch)) throw new BadRequest(`${where}: a PATCH body must be an object of the target's type`);
  if (patch.modelType !== current.modelType) {
    throw new BadRequest(`${where}: PATCH cannot change the type (${String(current.modelType)} to ${String(patch.modelType)})`);
  }
  const key = current.modelType === 'Submodel' ? 'submodelElements' : childListKey(current.modelType);
  const out: Node = { ...current, ...patch };
  if (key !== undefined && key in patch) out[key] = mergeChildren(current, patch[key], key, [...at, key]);
  return out;
}

function mergeChildren(current: Node, patched: unknown, key: string, at: (string | number)[]): Node[] {
  const existing = Array.isArray(current[key]) ? (current[key] as Node[]) : [];
  if (!Array.isArray(patched)) throw new BadRequest(`${jsonPath(at)}: must be a list of elements`);
  const result = [...existing];
  if (current.modelType === 'SubmodelElementList') {
    if (patched.length > existing.length) {
      throw new BadRequest(`${jsonPath(at)}: ${patched.length} items, but the list has ${existing.length}; PATCH only updates existing elements`);
    }
    patched.forEach((child, i) => (result[i] = merge(existing[i], child, [...at, i])));
    return result;
  }
  patched.forEach((child, i) => {
    const idShort = isNode(child) ? child.idShort : undefined;
    const index = existing.findIndex((e) => e.idShort === idShort);
    if (index < 0) throw new BadRequest(`${jsonPath([...at, i])}: no element "${String(idShort)}" to update; PATCH only updates existing elements`);
    result[index] = merge(existing[index], child, [...at, i]);
  });
  return result;
}
