/**
 * Embedded data specifications and the IEC 61360 content (IDTA-01003-a v3.1, serialized with Part 1 v3.1).
 * DataSpecificationContent is abstract; its only concrete class today is DataSpecificationIec61360, chosen by
 * `modelType`.
 */
import { Type } from '@sinclair/typebox';
import { closed, modelTypeDiscriminator, NonEmptyString, nonEmptyArray, ValueTypeIec61360 } from './primitives.js';

export const dataSpecificationDefinitions = {
  EmbeddedDataSpecification: Type.Object(
    {
      dataSpecification: Type.Ref('Reference'),
      dataSpecificationContent: Type.Ref('DataSpecificationContent'),
    },
    { ...closed, description: 'A data specification template and its content, embedded in the element.' },
  ),

  DataSpecificationContent: Type.Union([Type.Ref('DataSpecificationIec61360')], {
    ...modelTypeDiscriminator,
    description: 'Content of an embedded data specification, chosen by modelType.',
  }),

  DataSpecificationIec61360: Type.Object(
    {
      preferredName: nonEmptyArray(Type.Ref('LangStringPreferredNameTypeIec61360')),
      shortName: Type.Optional(nonEmptyArray(Type.Ref('LangStringShortNameTypeIec61360'))),
      unit: Type.Optional(NonEmptyString),
      unitId: Type.Optional(Type.Ref('Reference')),
      sourceOfDefinition: Type.Optional(NonEmptyString),
      symbol: Type.Optional(NonEmptyString),
      dataType: Type.Optional(Type.Ref('DataTypeIec61360')),
      definition: Type.Optional(nonEmptyArray(Type.Ref('LangStringDefinitionTypeIec61360'))),
      valueFormat: Type.Optional(NonEmptyString),
      valueList: Type.Optional(Type.Ref('ValueList')),
      value: Type.Optional(ValueTypeIec61360),
      levelType: Type.Optional(Type.Ref('LevelType')),
      modelType: Type.Literal('DataSpecificationIec61360'),
    },
    { ...closed, description: 'Concept description content as per IEC 61360.' },
  ),

  ValueList: Type.Object(
    { valueReferencePairs: nonEmptyArray(Type.Ref('ValueReferencePair')) },
    { ...closed, description: 'The allowed values of an enumerated concept.' },
  ),

  ValueReferencePair: Type.Object(
    {
      value: ValueTypeIec61360,
      valueId: Type.Optional(Type.Ref('Reference')),
    },
    { ...closed, description: 'One allowed value and the global id of its meaning.' },
  ),

  LevelType: Type.Object(
    {
      min: Type.Boolean(),
      nom: Type.Boolean(),
      typ: Type.Boolean(),
      max: Type.Boolean(),
    },
    { ...closed, description: 'Which levels (min, nominal, typical, max) a value of the concept has.' },
  ),
};
