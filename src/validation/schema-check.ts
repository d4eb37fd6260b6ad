/**
 * Checks a JSON value against the project's metamodel V3.1 schema (aas-schemas/metamodel.schema.json, built in
 * memory from the same TypeBox module) for one class. Compiled once, at first import.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import type { ValidationIssue } from './issues.js';
import { describeSchemaErrors } from './schema/describe-errors.js';
import { buildMetamodelSchemaDocument, METAMODEL_SCHEMA_ID } from './schema/document.js';

/** Every class the schema can check a value against: the metamodel's classes and the abstract SubmodelElement. */
export const VALIDATION_CLASSES = [
  'AdministrativeInformation', 'AnnotatedRelationshipElement', 'AssetAdministrationShell', 'AssetInformation',
  'BasicEventElement', 'Blob', 'Capability', 'ConceptDescription', 'DataSpecificationIec61360',
  'EmbeddedDataSpecification', 'Entity', 'Environment', 'EventPayload', 'Extension', 'File', 'Key',
  'LangStringDefinitionTypeIec61360', 'LangStringNameType', 'LangStringPreferredNameTypeIec61360',
  'LangStringShortNameTypeIec61360', 'LangStringTextType', 'LevelType', 'MultiLanguageProperty', 'Operation',
  'OperationVariable', 'Property', 'Qualifier', 'Range', 'Reference', 'ReferenceElement', 'RelationshipElement',
  'Resource', 'SpecificAssetId', 'Submodel', 'SubmodelElement', 'SubmodelElementCollection', 'SubmodelElementList',
  'ValueList', 'ValueReferencePair',
] as const;

export type ValidationClass = (typeof VALIDATION_CLASSES)[number];

/** More issues than this help nobody fix a document; the last one says how many were left out. */
export const MAX_SCHEMA_ISSUES = 20;

const ajv = new Ajv2020({
  // The patterns match UTF-16 code units (surrogate pairs for characters beyond U+FFFF), see patterns.ts.
  unicodeRegExp: false,
  // Report every problem of a document in one response, not the first only.
  allErrors: true,
  // `discriminator` on the abstract classes: validate only the branch `modelType` names, so an error inside a
  // Property in a list is reported there, not as "must match exactly one schema in oneOf".
  discriminator: true,
  // Errors carry the offending value and their schema, for plain-words messages.
  verbose: true,
  strict: true,
  // Each $def compiles to one shared function instead of being inlined into every class using it: about a third
  // less generated code, same speed.
  inlineRefs: false,
  // The document is checked against the 2020-12 meta-schema by a unit test; skipping it here saves ~60 ms at start.
  validateSchema: false,
});
ajv.addSchema(buildMetamodelSchemaDocument());

const validators = new Map<ValidationClass, ValidateFunction>();
for (const cls of VALIDATION_CLASSES) {
  const validate = ajv.getSchema(`${METAMODEL_SCHEMA_ID}#/$defs/${cls}`);
  if (!validate) throw new Error(`metamodel schema has no definition for ${cls}`);
  validators.set(cls, validate);
}

/** Schema issues of `value` read as an instance of `cls`; an empty list means it conforms. */
export function checkSchema(cls: ValidationClass, value: unknown): ValidationIssue[] {
  const validate = validators.get(cls);
  if (!validate) throw new Error(`unknown validation class ${String(cls)}`);
  try {
    if (validate(value)) return [];
  } catch (error) {
    // The validators recurse with the document; a pathologically deep one exhausts the stack.
    if (error instanceof RangeError) {
      return [{ kind: 'schema', path: '$', message: 'the document is nested too deeply to be checked' }];
    }
    throw error;
  }
  return describeSchemaErrors(validate.errors ?? [], value, MAX_SCHEMA_ISSUES);
}
