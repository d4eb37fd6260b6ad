/**
 * The identifiable classes (Part 1 v3.1 §5.3.3 AssetAdministrationShell, §5.3.5 Submodel, §5.3.8
 * ConceptDescription) and what only they use: AdministrativeInformation, AssetInformation, Resource,
 * SpecificAssetId (also used by Entity).
 */
import { Type } from '@sinclair/typebox';
import { hasDataSpecification, hasKind, hasSemantics, identifiable, qualifiable } from './base-classes.js';
import {
  closed,
  ContentType,
  Identifier,
  LabelType,
  nonEmptyArray,
  PathType,
  VersionType,
} from './primitives.js';

export const identifiableDefinitions = {
  AdministrativeInformation: Type.Object(
    {
      ...hasDataSpecification,
      version: Type.Optional(VersionType),
      revision: Type.Optional(VersionType),
      creator: Type.Optional(Type.Ref('Reference')),
      templateId: Type.Optional(Identifier),
    },
    { ...closed, description: 'Version, revision, creator and template of an identifiable element.' },
  ),

  AssetAdministrationShell: Type.Object(
    {
      ...identifiable,
      ...hasDataSpecification,
      derivedFrom: Type.Optional(Type.Ref('Reference')),
      assetInformation: Type.Ref('AssetInformation'),
      submodels: Type.Optional(nonEmptyArray(Type.Ref('Reference'))),
      modelType: Type.Literal('AssetAdministrationShell'),
    },
    { ...closed, description: 'The digital representation of one asset: its asset information and submodels.' },
  ),

  AssetInformation: Type.Object(
    {
      assetKind: Type.Ref('AssetKind'),
      globalAssetId: Type.Optional(Identifier),
      specificAssetIds: Type.Optional(nonEmptyArray(Type.Ref('SpecificAssetId'))),
      assetType: Type.Optional(Identifier),
      defaultThumbnail: Type.Optional(Type.Ref('Resource')),
    },
    { ...closed, description: 'What identifies the asset an administration shell represents.' },
  ),

  Resource: Type.Object(
    {
      path: PathType,
      contentType: Type.Optional(ContentType),
    },
    { ...closed, description: 'An address of a file (e.g. a thumbnail) and its content type.' },
  ),

  SpecificAssetId: Type.Object(
    {
      ...hasSemantics,
      name: LabelType,
      value: Identifier,
      externalSubjectId: Type.Optional(Type.Ref('Reference')),
    },
    { ...closed, description: 'A name/value identifier of an asset, e.g. a serial number.' },
  ),

  Submodel: Type.Object(
    {
      ...identifiable,
      ...hasKind,
      ...hasSemantics,
      ...qualifiable,
      ...hasDataSpecification,
      submodelElements: Type.Optional(nonEmptyArray(Type.Ref('SubmodelElement'))),
      modelType: Type.Literal('Submodel'),
    },
    { ...closed, description: 'One aspect of an asset, as a tree of submodel elements.' },
  ),

  ConceptDescription: Type.Object(
    {
      ...identifiable,
      ...hasDataSpecification,
      isCaseOf: Type.Optional(nonEmptyArray(Type.Ref('Reference'))),
      modelType: Type.Literal('ConceptDescription'),
    },
    { ...closed, description: 'The meaning of a semantic id, usually with IEC 61360 content.' },
  ),
};
