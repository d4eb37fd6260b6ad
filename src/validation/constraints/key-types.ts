/**
 * The named sets of KeyTypes that Part 1 V3.1 (§ Referencing, "Key Types") uses in the reference constraints
 * AASd-121 … AASd-128 and in the "model reference to …" rules.
 */

/** GenericFragmentKeys */
export const GENERIC_FRAGMENT_KEYS: ReadonlySet<string> = new Set(['FragmentReference']);

/** GenericGloballyIdentifiables */
export const GENERIC_GLOBALLY_IDENTIFIABLES: ReadonlySet<string> = new Set(['GlobalReference']);

/** AasIdentifiables */
export const AAS_IDENTIFIABLES: ReadonlySet<string> = new Set([
  'AssetAdministrationShell',
  'ConceptDescription',
  'Identifiable',
  'Submodel',
]);

/** AasSubmodelElements, which is also AasReferableNonIdentifiables. */
export const AAS_SUBMODEL_ELEMENTS: ReadonlySet<string> = new Set([
  'AnnotatedRelationshipElement',
  'BasicEventElement',
  'Blob',
  'Capability',
  'DataElement',
  'Entity',
  'EventElement',
  'File',
  'MultiLanguageProperty',
  'Operation',
  'Property',
  'Range',
  'ReferenceElement',
  'RelationshipElement',
  'SubmodelElement',
  'SubmodelElementCollection',
  'SubmodelElementList',
]);

/** GloballyIdentifiables = GenericGloballyIdentifiables ∪ AasIdentifiables */
export const GLOBALLY_IDENTIFIABLES: ReadonlySet<string> = new Set([...GENERIC_GLOBALLY_IDENTIFIABLES, ...AAS_IDENTIFIABLES]);

/** FragmentKeys = GenericFragmentKeys ∪ AasReferableNonIdentifiables */
export const FRAGMENT_KEYS: ReadonlySet<string> = new Set([...GENERIC_FRAGMENT_KEYS, ...AAS_SUBMODEL_ELEMENTS]);

/** AasReferables = AasIdentifiables ∪ AasReferableNonIdentifiables ∪ {Referable} */
export const AAS_REFERABLES: ReadonlySet<string> = new Set([...AAS_IDENTIFIABLES, ...AAS_SUBMODEL_ELEMENTS, 'Referable']);

/** Lists a set for a message, e.g. `GlobalReference, AssetAdministrationShell, …`. */
export function listKeyTypes(set: ReadonlySet<string>): string {
  return [...set].join(', ');
}
