/**
 * The canonical string of a Reference, for equality tests inside stores (filters on semanticId, isCaseOf,
 * dataSpecificationRef). Part 1 §5.3.10 (Reference): two references are equal when their `type` and their `keys`
 * (each key's `type` and `value`, in order) are equal; `referredSemanticId` only describes the target and is
 * ignored here, as the store contract says.
 *
 * The string is a JSON array, so it is unambiguous (no separator can be forged inside a value) and any backend
 * can store and index it as a plain string.
 */

/** The parts of a Reference that take part in equality. Any Part 1 `Reference` is assignable to it. */
export interface ReferenceLike {
  type: string;
  keys: readonly { type: string; value: string }[];
}

/** `["<type>",["<keyType>","<keyValue>"],...]`. Equal references give equal strings, and only they. */
export function referenceKey(reference: ReferenceLike): string {
  const keys = Array.isArray(reference.keys) ? reference.keys : [];
  return JSON.stringify([String(reference.type), ...keys.map((key) => [String(key.type), String(key.value)])]);
}
