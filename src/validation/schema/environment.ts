/** Environment (Part 1 v3.1 §5.3.6, the serialization's root) and EventPayload (§5.3.7.4.2 event messages). */
import { Type } from '@sinclair/typebox';
import { Base64Bytes, closed, DateTimeUtc, MessageTopicType, nonEmptyArray } from './primitives.js';

export const environmentDefinitions = {
  Environment: Type.Object(
    {
      assetAdministrationShells: Type.Optional(nonEmptyArray(Type.Ref('AssetAdministrationShell'))),
      submodels: Type.Optional(nonEmptyArray(Type.Ref('Submodel'))),
      conceptDescriptions: Type.Optional(nonEmptyArray(Type.Ref('ConceptDescription'))),
    },
    { ...closed, description: 'A container of shells, submodels and concept descriptions, e.g. a JSON file.' },
  ),

  EventPayload: Type.Object(
    {
      source: Type.Ref('Reference'),
      sourceSemanticId: Type.Optional(Type.Ref('Reference')),
      observableReference: Type.Ref('Reference'),
      observableSemanticId: Type.Optional(Type.Ref('Reference')),
      topic: Type.Optional(MessageTopicType),
      subjectId: Type.Optional(Type.Ref('Reference')),
      timeStamp: DateTimeUtc,
      payload: Type.Optional(Base64Bytes),
    },
    { ...closed, description: 'The message a BasicEventElement sends.' },
  ),
};
