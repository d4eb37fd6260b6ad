/**
 * Submodel elements (Part 1 v3.1 §5.3.7) and the abstract SubmodelElement and DataElement, each a union of its
 * concrete classes dispatched on `modelType`.
 */
import { Type, type TRef } from '@sinclair/typebox';
import { submodelElement } from './base-classes.js';
import {
  Base64Bytes,
  closed,
  ContentType,
  DateTimeUtc,
  Duration,
  Identifier,
  MessageTopicType,
  modelTypeDiscriminator,
  nonEmptyArray,
  PathType,
  ValueDataType,
} from './primitives.js';

/** Concrete classes of SubmodelElement, in the order of Part 1's class diagram. */
export const SUBMODEL_ELEMENT_CLASSES = [
  'RelationshipElement', 'AnnotatedRelationshipElement', 'BasicEventElement', 'Blob', 'Capability', 'Entity', 'File',
  'MultiLanguageProperty', 'Operation', 'Property', 'Range', 'ReferenceElement', 'SubmodelElementCollection',
  'SubmodelElementList',
] as const;

/** Concrete classes of DataElement (the values of AnnotatedRelationshipElement.annotations). */
export const DATA_ELEMENT_CLASSES = [
  'Blob', 'File', 'MultiLanguageProperty', 'Property', 'Range', 'ReferenceElement',
] as const;

/** References to named classes, keeping each name's literal type (so the union's Static type stays exact). */
function refsTo<const N extends readonly string[]>(names: N): { -readonly [K in keyof N]: TRef<N[K]> } {
  return names.map((name) => Type.Ref(name)) as { -readonly [K in keyof N]: TRef<N[K]> };
}

/** Part 1 v3.1 made `first` and `second` optional (they may be absent in templates). */
const relationship = {
  first: Type.Optional(Type.Ref('Reference')),
  second: Type.Optional(Type.Ref('Reference')),
};

export const submodelElementDefinitions = {
  SubmodelElement: Type.Union(
    refsTo(SUBMODEL_ELEMENT_CLASSES),
    { ...modelTypeDiscriminator, description: 'Any submodel element, chosen by modelType.' },
  ),

  DataElement: Type.Union(
    refsTo(DATA_ELEMENT_CLASSES),
    { ...modelTypeDiscriminator, description: 'Any data element, chosen by modelType.' },
  ),

  RelationshipElement: Type.Object(
    { ...submodelElement, ...relationship, modelType: Type.Literal('RelationshipElement') },
    { ...closed, description: 'A relationship between two elements.' },
  ),

  AnnotatedRelationshipElement: Type.Object(
    {
      ...submodelElement,
      ...relationship,
      annotations: Type.Optional(nonEmptyArray(Type.Ref('DataElement'))),
      modelType: Type.Literal('AnnotatedRelationshipElement'),
    },
    { ...closed, description: 'A relationship with data elements that annotate it.' },
  ),

  BasicEventElement: Type.Object(
    {
      ...submodelElement,
      observed: Type.Ref('Reference'),
      direction: Type.Ref('Direction'),
      state: Type.Ref('StateOfEvent'),
      messageTopic: Type.Optional(MessageTopicType),
      messageBroker: Type.Optional(Type.Ref('Reference')),
      lastUpdate: Type.Optional(DateTimeUtc),
      minInterval: Type.Optional(Duration),
      maxInterval: Type.Optional(Duration),
      modelType: Type.Literal('BasicEventElement'),
    },
    { ...closed, description: 'An event source or sink observing an element.' },
  ),

  Blob: Type.Object(
    {
      ...submodelElement,
      value: Type.Optional(Base64Bytes),
      contentType: Type.Optional(ContentType),
      modelType: Type.Literal('Blob'),
    },
    { ...closed, description: 'Binary content held in the element itself (base64 in JSON).' },
  ),

  Capability: Type.Object(
    { ...submodelElement, modelType: Type.Literal('Capability') },
    { ...closed, description: 'An implementation-independent ability of the asset.' },
  ),

  Entity: Type.Object(
    {
      ...submodelElement,
      statements: Type.Optional(nonEmptyArray(Type.Ref('SubmodelElement'))),
      entityType: Type.Optional(Type.Ref('EntityType')),
      globalAssetId: Type.Optional(Identifier),
      specificAssetIds: Type.Optional(nonEmptyArray(Type.Ref('SpecificAssetId'))),
      modelType: Type.Literal('Entity'),
    },
    { ...closed, description: 'A part or related asset, with statements about it.' },
  ),

  File: Type.Object(
    {
      ...submodelElement,
      value: Type.Optional(PathType),
      contentType: Type.Optional(ContentType),
      modelType: Type.Literal('File'),
    },
    { ...closed, description: 'The address of a file (a URI reference) and its content type.' },
  ),

  MultiLanguageProperty: Type.Object(
    {
      ...submodelElement,
      value: Type.Optional(nonEmptyArray(Type.Ref('LangStringTextType'))),
      valueId: Type.Optional(Type.Ref('Reference')),
      modelType: Type.Literal('MultiLanguageProperty'),
    },
    { ...closed, description: 'A text value in several languages.' },
  ),

  Operation: Type.Object(
    {
      ...submodelElement,
      inputVariables: Type.Optional(nonEmptyArray(Type.Ref('OperationVariable'))),
      outputVariables: Type.Optional(nonEmptyArray(Type.Ref('OperationVariable'))),
      inoutputVariables: Type.Optional(nonEmptyArray(Type.Ref('OperationVariable'))),
      modelType: Type.Literal('Operation'),
    },
    { ...closed, description: 'A function of the asset that can be invoked.' },
  ),

  OperationVariable: Type.Object(
    { value: Type.Ref('SubmodelElement') },
    { ...closed, description: 'One argument of an operation, described by a submodel element.' },
  ),

  Property: Type.Object(
    {
      ...submodelElement,
      valueType: Type.Ref('DataTypeDefXsd'),
      value: Type.Optional(ValueDataType),
      valueId: Type.Optional(Type.Ref('Reference')),
      modelType: Type.Literal('Property'),
    },
    { ...closed, description: 'A single typed value.' },
  ),

  Range: Type.Object(
    {
      ...submodelElement,
      valueType: Type.Ref('DataTypeDefXsd'),
      min: Type.Optional(ValueDataType),
      max: Type.Optional(ValueDataType),
      modelType: Type.Literal('Range'),
    },
    { ...closed, description: 'A typed interval; an absent bound is open.' },
  ),

  ReferenceElement: Type.Object(
    {
      ...submodelElement,
      value: Type.Optional(Type.Ref('Reference')),
      modelType: Type.Literal('ReferenceElement'),
    },
    { ...closed, description: 'A reference to another element or to something outside the model.' },
  ),

  SubmodelElementCollection: Type.Object(
    {
      ...submodelElement,
      value: Type.Optional(nonEmptyArray(Type.Ref('SubmodelElement'))),
      modelType: Type.Literal('SubmodelElementCollection'),
    },
    { ...closed, description: 'A set of elements addressed by their idShort.' },
  ),

  // AASd-107..109, 114 (list items agree with semanticIdListElement/typeValueListElement/valueTypeListElement) are
  // constraints, checked by the constraint checker.
  SubmodelElementList: Type.Object(
    {
      ...submodelElement,
      orderRelevant: Type.Optional(Type.Boolean()),
      semanticIdListElement: Type.Optional(Type.Ref('Reference')),
      typeValueListElement: Type.Ref('AasSubmodelElements'),
      valueTypeListElement: Type.Optional(Type.Ref('DataTypeDefXsd')),
      value: Type.Optional(nonEmptyArray(Type.Ref('SubmodelElement'))),
      modelType: Type.Literal('SubmodelElementList'),
    },
    { ...closed, description: 'An ordered list of elements of one kind, addressed by index.' },
  ),
};
