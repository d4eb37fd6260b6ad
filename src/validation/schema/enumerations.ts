/**
 * The metamodel's enumerations (Part 1 v3.1 §5.3.10 and the IEC 61360 data specification), named in `$defs`.
 * The value lists are exported so code elsewhere can reuse them without restating them.
 */
import { stringEnum } from './primitives.js';

/** AasSubmodelElements: element kinds a SubmodelElementList may hold (typeValueListElement), abstract ones included. */
export const AAS_SUBMODEL_ELEMENTS = [
  'AnnotatedRelationshipElement', 'BasicEventElement', 'Blob', 'Capability', 'DataElement', 'Entity', 'EventElement',
  'File', 'MultiLanguageProperty', 'Operation', 'Property', 'Range', 'ReferenceElement', 'RelationshipElement',
  'SubmodelElement', 'SubmodelElementCollection', 'SubmodelElementList',
] as const;

export const ASSET_KINDS = ['Instance', 'NotApplicable', 'Role', 'Type'] as const;

/** DataTypeDefXsd: the XSD value types a Property, Range, Qualifier or Extension may declare. */
export const DATA_TYPES_DEF_XSD = [
  'xs:anyURI', 'xs:base64Binary', 'xs:boolean', 'xs:byte', 'xs:date', 'xs:dateTime', 'xs:decimal', 'xs:double',
  'xs:duration', 'xs:float', 'xs:gDay', 'xs:gMonth', 'xs:gMonthDay', 'xs:gYear', 'xs:gYearMonth', 'xs:hexBinary',
  'xs:int', 'xs:integer', 'xs:long', 'xs:negativeInteger', 'xs:nonNegativeInteger', 'xs:nonPositiveInteger',
  'xs:positiveInteger', 'xs:short', 'xs:string', 'xs:time', 'xs:unsignedByte', 'xs:unsignedInt', 'xs:unsignedLong',
  'xs:unsignedShort',
] as const;

export const DATA_TYPES_IEC61360 = [
  'BLOB', 'BOOLEAN', 'DATE', 'FILE', 'HTML', 'INTEGER_COUNT', 'INTEGER_CURRENCY', 'INTEGER_MEASURE', 'IRDI', 'IRI',
  'RATIONAL', 'RATIONAL_MEASURE', 'REAL_COUNT', 'REAL_CURRENCY', 'REAL_MEASURE', 'STRING', 'STRING_TRANSLATABLE',
  'TIME', 'TIMESTAMP',
] as const;

export const DIRECTIONS = ['input', 'output'] as const;

export const ENTITY_TYPES = ['CoManagedEntity', 'SelfManagedEntity'] as const;

/** KeyTypes: what a Key of a Reference may point to. */
export const KEY_TYPES = [
  'AnnotatedRelationshipElement', 'AssetAdministrationShell', 'BasicEventElement', 'Blob', 'Capability',
  'ConceptDescription', 'DataElement', 'Entity', 'EventElement', 'File', 'FragmentReference', 'GlobalReference',
  'Identifiable', 'MultiLanguageProperty', 'Operation', 'Property', 'Range', 'Referable', 'ReferenceElement',
  'RelationshipElement', 'Submodel', 'SubmodelElement', 'SubmodelElementCollection', 'SubmodelElementList',
] as const;

export const MODELLING_KINDS = ['Instance', 'Template'] as const;

export const QUALIFIER_KINDS = ['ConceptQualifier', 'TemplateQualifier', 'ValueQualifier'] as const;

export const REFERENCE_TYPES = ['ExternalReference', 'ModelReference'] as const;

export const STATES_OF_EVENT = ['off', 'on'] as const;

export const enumerationDefinitions = {
  AasSubmodelElements: stringEnum(AAS_SUBMODEL_ELEMENTS, 'Kinds of submodel elements, abstract ones included.'),
  AssetKind: stringEnum(ASSET_KINDS, 'Whether the asset is a type, an instance, a role, or none of these.'),
  DataTypeDefXsd: stringEnum(DATA_TYPES_DEF_XSD, 'XML Schema data type of a value.'),
  DataTypeIec61360: stringEnum(DATA_TYPES_IEC61360, 'Data type of a concept as per IEC 61360.'),
  Direction: stringEnum(DIRECTIONS, 'Whether an event is received (input) or sent (output).'),
  EntityType: stringEnum(ENTITY_TYPES, 'Whether an entity has its own asset administration shell.'),
  KeyTypes: stringEnum(KEY_TYPES, 'Kind of element a key refers to.'),
  ModellingKind: stringEnum(MODELLING_KINDS, 'Whether an element is a template or an instance.'),
  QualifierKind: stringEnum(QUALIFIER_KINDS, 'What a qualifier qualifies: the value, the concept or the template.'),
  ReferenceTypes: stringEnum(REFERENCE_TYPES, 'Whether a reference points into the model or outside it.'),
  StateOfEvent: stringEnum(STATES_OF_EVENT, 'Whether an event element emits events.'),
};
