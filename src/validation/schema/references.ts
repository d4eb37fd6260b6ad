/** Key and Reference (Part 1 v3.1 §5.3.9 Referencing). */
import { Type } from '@sinclair/typebox';
import { closed, Identifier, nonEmptyArray } from './primitives.js';

export const referenceDefinitions = {
  Key: Type.Object(
    {
      type: Type.Ref('KeyTypes'),
      value: Identifier,
    },
    { ...closed, description: 'One step of a reference: the kind of element and its id or idShort.' },
  ),

  // The AASd-121..128 rules on key order are the constraint checker's job; the schema checks the shape only.
  Reference: Type.Object(
    {
      type: Type.Ref('ReferenceTypes'),
      referredSemanticId: Type.Optional(Type.Ref('Reference')),
      keys: nonEmptyArray(Type.Ref('Key')),
    },
    { ...closed, description: 'A model reference (keys into the model) or an external reference (a global id).' },
  ),
};
