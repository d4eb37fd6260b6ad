/** References to Identifiables, as `$reference` and submodel-refs use them (Part 1 §Reference). */
import type { Reference } from './types.js';

export function modelReference(keyType: 'AssetAdministrationShell' | 'Submodel' | 'ConceptDescription', id: string): Reference {
  return { type: 'ModelReference', keys: [{ type: keyType, value: id }] } as Reference;
}

/** Equality of references by type and keys; referredSemanticId does not take part. */
export function sameReference(a: Reference, b: Reference): boolean {
  return (
    a.type === b.type &&
    a.keys.length === b.keys.length &&
    a.keys.every((k, i) => k.type === b.keys[i].type && k.value === b.keys[i].value)
  );
}

/** The id of the Submodel a submodel reference points at: the value of its first key of type Submodel. */
export function referencedSubmodelId(ref: Reference): string | undefined {
  return ref.keys.find((k) => k.type === 'Submodel')?.value;
}
