/**
 * The metamodel V3.1 as one TypeBox module: every class, enumeration and abstract union by name. It is the single
 * source of the JSON schema document (see document.ts) and of the TypeScript types below.
 */
import { Type, type Static } from '@sinclair/typebox';
import { dataSpecificationDefinitions } from './data-specifications.js';
import { enumerationDefinitions } from './enumerations.js';
import { environmentDefinitions } from './environment.js';
import { extensionAndQualifierDefinitions } from './extension-and-qualifier.js';
import { identifiableDefinitions } from './identifiables.js';
import { langStringDefinitions } from './lang-strings.js';
import { referenceDefinitions } from './references.js';
import { submodelElementDefinitions } from './submodel-elements.js';

export const metamodelDefinitions = {
  ...enumerationDefinitions,
  ...referenceDefinitions,
  ...langStringDefinitions,
  ...extensionAndQualifierDefinitions,
  ...dataSpecificationDefinitions,
  ...identifiableDefinitions,
  ...submodelElementDefinitions,
  ...environmentDefinitions,
};

export const Metamodel = Type.Module(metamodelDefinitions);

/** Names of everything in the module (classes, enumerations, abstract unions). */
export type MetamodelDefinitionName = keyof typeof metamodelDefinitions;

// Each class as an importable schema and its TypeScript type (`Static`), recursive references resolved.
export const Environment = Metamodel.Import('Environment');
export type Environment = Static<typeof Environment>;
export const AssetAdministrationShell = Metamodel.Import('AssetAdministrationShell');
export type AssetAdministrationShell = Static<typeof AssetAdministrationShell>;
export const AssetInformation = Metamodel.Import('AssetInformation');
export type AssetInformation = Static<typeof AssetInformation>;
export const SpecificAssetId = Metamodel.Import('SpecificAssetId');
export type SpecificAssetId = Static<typeof SpecificAssetId>;
export const Resource = Metamodel.Import('Resource');
export type Resource = Static<typeof Resource>;
export const AdministrativeInformation = Metamodel.Import('AdministrativeInformation');
export type AdministrativeInformation = Static<typeof AdministrativeInformation>;
export const Submodel = Metamodel.Import('Submodel');
export type Submodel = Static<typeof Submodel>;
export const ConceptDescription = Metamodel.Import('ConceptDescription');
export type ConceptDescription = Static<typeof ConceptDescription>;

export const Reference = Metamodel.Import('Reference');
export type Reference = Static<typeof Reference>;
export const Key = Metamodel.Import('Key');
export type Key = Static<typeof Key>;
export const Extension = Metamodel.Import('Extension');
export type Extension = Static<typeof Extension>;
export const Qualifier = Metamodel.Import('Qualifier');
export type Qualifier = Static<typeof Qualifier>;
export const LangStringTextType = Metamodel.Import('LangStringTextType');
export type LangStringTextType = Static<typeof LangStringTextType>;
export const LangStringNameType = Metamodel.Import('LangStringNameType');
export type LangStringNameType = Static<typeof LangStringNameType>;
export const EmbeddedDataSpecification = Metamodel.Import('EmbeddedDataSpecification');
export type EmbeddedDataSpecification = Static<typeof EmbeddedDataSpecification>;
export const DataSpecificationIec61360 = Metamodel.Import('DataSpecificationIec61360');
export type DataSpecificationIec61360 = Static<typeof DataSpecificationIec61360>;

export const SubmodelElement = Metamodel.Import('SubmodelElement');
export type SubmodelElement = Static<typeof SubmodelElement>;
export const DataElement = Metamodel.Import('DataElement');
export type DataElement = Static<typeof DataElement>;
export const Property = Metamodel.Import('Property');
export type Property = Static<typeof Property>;
export const MultiLanguageProperty = Metamodel.Import('MultiLanguageProperty');
export type MultiLanguageProperty = Static<typeof MultiLanguageProperty>;
export const Range = Metamodel.Import('Range');
export type Range = Static<typeof Range>;
export const Blob = Metamodel.Import('Blob');
export type Blob = Static<typeof Blob>;
export const File = Metamodel.Import('File');
export type File = Static<typeof File>;
export const ReferenceElement = Metamodel.Import('ReferenceElement');
export type ReferenceElement = Static<typeof ReferenceElement>;
export const RelationshipElement = Metamodel.Import('RelationshipElement');
export type RelationshipElement = Static<typeof RelationshipElement>;
export const AnnotatedRelationshipElement = Metamodel.Import('AnnotatedRelationshipElement');
export type AnnotatedRelationshipElement = Static<typeof AnnotatedRelationshipElement>;
export const SubmodelElementCollection = Metamodel.Import('SubmodelElementCollection');
export type SubmodelElementCollection = Static<typeof SubmodelElementCollection>;
export const SubmodelElementList = Metamodel.Import('SubmodelElementList');
export type SubmodelElementList = Static<typeof SubmodelElementList>;
export const Entity = Metamodel.Import('Entity');
export type Entity = Static<typeof Entity>;
export const Operation = Metamodel.Import('Operation');
export type Operation = Static<typeof Operation>;
export const OperationVariable = Metamodel.Import('OperationVariable');
export type OperationVariable = Static<typeof OperationVariable>;
export const BasicEventElement = Metamodel.Import('BasicEventElement');
export type BasicEventElement = Static<typeof BasicEventElement>;
export const Capability = Metamodel.Import('Capability');
export type Capability = Static<typeof Capability>;
export const EventPayload = Metamodel.Import('EventPayload');
export type EventPayload = Static<typeof EventPayload>;

export type DataTypeDefXsd = Property['valueType'];
/** Values of `modelType` (Part 1 ModelType enumeration). */
export type ModelType =
  | SubmodelElement['modelType']
  | 'AssetAdministrationShell'
  | 'Submodel'
  | 'ConceptDescription'
  | 'DataSpecificationIec61360';
