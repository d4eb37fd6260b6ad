/**
 * The abstract classes of Part 1 v3.1 (HasExtensions, Referable, Identifiable, HasSemantics, Qualifiable,
 * HasDataSpecification, HasKind) as property sets. They have no `$defs` entry: the JSON serialization has no
 * object of these types alone, and closed concrete classes (additionalProperties: false) need their inherited
 * properties listed in their own `properties`, so each concrete class spreads the sets it inherits.
 */
import { Type } from '@sinclair/typebox';
import { Identifier, IdShort, NameType, nonEmptyArray } from './primitives.js';

export const hasExtensions = {
  extensions: Type.Optional(nonEmptyArray(Type.Ref('Extension'))),
};

/** `modelType` is not here: each concrete class fixes it to its own name. */
export const referable = {
  ...hasExtensions,
  category: Type.Optional(NameType),
  idShort: Type.Optional(IdShort),
  displayName: Type.Optional(nonEmptyArray(Type.Ref('LangStringNameType'))),
  description: Type.Optional(nonEmptyArray(Type.Ref('LangStringTextType'))),
};

export const identifiable = {
  ...referable,
  administration: Type.Optional(Type.Ref('AdministrativeInformation')),
  id: Identifier,
};

export const hasKind = {
  kind: Type.Optional(Type.Ref('ModellingKind')),
};

export const hasSemantics = {
  semanticId: Type.Optional(Type.Ref('Reference')),
  supplementalSemanticIds: Type.Optional(nonEmptyArray(Type.Ref('Reference'))),
};

export const qualifiable = {
  qualifiers: Type.Optional(nonEmptyArray(Type.Ref('Qualifier'))),
};

export const hasDataSpecification = {
  embeddedDataSpecifications: Type.Optional(nonEmptyArray(Type.Ref('EmbeddedDataSpecification'))),
};

/** SubmodelElement: Referable, HasSemantics, Qualifiable, HasDataSpecification. */
export const submodelElement = {
  ...referable,
  ...hasSemantics,
  ...qualifiable,
  ...hasDataSpecification,
};
