/** Extension (Part 1 v3.1 §5.3.2.5) and Qualifier (§5.3.2.11): the annotations most elements may carry. */
import { Type } from '@sinclair/typebox';
import { hasSemantics } from './base-classes.js';
import { closed, NameType, nonEmptyArray, ValueDataType } from './primitives.js';

export const extensionAndQualifierDefinitions = {
  Extension: Type.Object(
    {
      ...hasSemantics,
      name: NameType,
      valueType: Type.Optional(Type.Ref('DataTypeDefXsd')),
      value: Type.Optional(ValueDataType),
      refersTo: Type.Optional(nonEmptyArray(Type.Ref('Reference'))),
    },
    { ...closed, description: 'A proprietary name/value annotation outside the metamodel.' },
  ),

  Qualifier: Type.Object(
    {
      ...hasSemantics,
      kind: Type.Optional(Type.Ref('QualifierKind')),
      type: NameType,
      valueType: Type.Ref('DataTypeDefXsd'),
      value: Type.Optional(ValueDataType),
      valueId: Type.Optional(Type.Ref('Reference')),
    },
    { ...closed, description: 'A typed qualifier of an element (e.g. a cardinality or an expression semantic).' },
  ),
};
