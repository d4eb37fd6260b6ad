/**
 * The AASd/AASc constraints of metamodel V3.1 (Part 1, Part 3a) that a JSON schema cannot express: value vs
 * valueType, idShort namespaces, reference key chains, list, qualifier, extension, language, asset-id and
 * IEC 61360 rules. Input is assumed to have passed the schema check, but odd input never throws: whatever
 * cannot be read is skipped (the schema reports it).
 *
 * Removed in V3.1 and deliberately not checked: AASd-090, AASd-120 (children of a SubmodelElementList may
 * have idShorts).
 */
import type { ValidationIssue } from '../issues.js';
import { checkAssetInformation, checkSpecificAssetId } from './asset-identification.js';
import { arrayOf, ConstraintContext, isObject, stringOf } from './context.js';
import {
  checkDataSpecificationIec61360,
  checkEmbeddedDataSpecification,
  checkValueList,
  checkValueReferencePair,
} from './data-specifications.js';
import { checkEventPayload } from './events.js';
import {
  checkAdministrativeInformation,
  checkAssetAdministrationShell,
  checkConceptDescription,
  checkSubmodel,
} from './identifiables.js';
import { checkExtension, checkQualifier } from './inherited-attributes.js';
import { checkReference } from './references.js';
import { checkOperationVariable, checkSubmodelElement, SUBMODEL_ELEMENT_TYPES } from './submodel-elements.js';

/** For callers that check single values (e.g. a ValueOnly PATCH, an OPC UA write): the same lexical rules. */
export { isValidXsdValue } from './xsd-values.js';
export { isDateTimeUtc } from './xsd-calendar.js';

type ClassCheck = (ctx: ConstraintContext, value: unknown) => void;

function checkEnvironment(ctx: ConstraintContext, environment: unknown): void {
  if (!isObject(environment)) return;
  const parts: [string, ClassCheck][] = [
    ['assetAdministrationShells', checkAssetAdministrationShell],
    ['submodels', checkSubmodel],
    ['conceptDescriptions', checkConceptDescription],
  ];
  for (const [field, check] of parts) {
    const list = arrayOf(environment[field]);
    if (list !== undefined) ctx.at(field, () => list.forEach((item, i) => ctx.at(i, () => check(ctx, item))));
  }
}

const CLASS_CHECKS: Record<string, ClassCheck> = {
  Environment: checkEnvironment,
  AssetAdministrationShell: checkAssetAdministrationShell,
  Submodel: checkSubmodel,
  ConceptDescription: checkConceptDescription,
  EventPayload: checkEventPayload,
  AdministrativeInformation: checkAdministrativeInformation,
  AssetInformation: checkAssetInformation,
  SpecificAssetId: checkSpecificAssetId,
  Reference: checkReference,
  Qualifier: checkQualifier,
  Extension: checkExtension,
  EmbeddedDataSpecification: checkEmbeddedDataSpecification,
  DataSpecificationIec61360: checkDataSpecificationIec61360,
  ValueList: checkValueList,
  ValueReferencePair: checkValueReferencePair,
  OperationVariable: checkOperationVariable,
  // Key, LangString*, LevelType, Resource: no constraint beyond what the schema checks.
};

/** Element classes named abstractly (or by a caller that does not know the concrete class). */
const ABSTRACT_ELEMENT_CLASSES = new Set(['SubmodelElement', 'DataElement', 'EventElement']);

function checkStandaloneElement(ctx: ConstraintContext, element: unknown): void {
  // Outside a submodel, whether the element belongs to a template (AASd-129) is unknown.
  checkSubmodelElement(ctx, element, { inTemplate: undefined });
}

function checkFor(cls: string, value: unknown): ClassCheck | undefined {
  if (Object.hasOwn(CLASS_CHECKS, cls)) return CLASS_CHECKS[cls];
  const modelType = isObject(value) ? stringOf(value.modelType) : undefined;
  if (SUBMODEL_ELEMENT_TYPES.has(cls) || ABSTRACT_ELEMENT_CLASSES.has(cls) || (modelType !== undefined && SUBMODEL_ELEMENT_TYPES.has(modelType))) {
    return checkStandaloneElement;
  }
  return undefined;
}

/**
 * Checks `value`, an instance of the metamodel class `cls` (e.g. `Submodel`, `Property`, `Environment`), and
 * returns one issue per violation, with the JSON path of the offending value relative to `value`.
 */
export function checkConstraints(cls: string, value: unknown): ValidationIssue[] {
  const check = checkFor(cls, value);
  if (check === undefined) return [];
  const ctx = new ConstraintContext();
  try {
    check(ctx, value);
  } catch (error) {
    // A bug or pathological input (e.g. nesting deep enough to exhaust the stack) must not become a 500.
    ctx.report(`constraint check could not finish: ${error instanceof Error ? error.message : String(error)}`);
  }
  return ctx.issues;
}
