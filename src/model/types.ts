/**
 * TypeScript view of the AAS metamodel V3.1 as the rest of the server uses it.
 * The types are derived from the JSON schemas in src/validation/schema (one source of truth).
 */
export type {
  AssetAdministrationShell,
  Submodel,
  ConceptDescription,
  SubmodelElement,
  Reference,
  Key,
  SpecificAssetId,
  AssetInformation,
  Environment,
  LangStringTextType,
} from '../validation/schema/metamodel.js';

/** The three top-level Identifiables a repository stores. */
export type IdentifiableKind = 'shells' | 'submodels' | 'conceptDescriptions';
