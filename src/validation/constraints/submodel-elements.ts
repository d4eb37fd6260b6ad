/**
 * Walks submodel elements recursively and checks each one: the inherited attributes, the rules of its concrete
 * class, and the namespace rules of its children (AASd-117 idShort required, AASd-022 idShort unique,
 * AASd-134 across the variables of an Operation).
 */
import { arrayOf, isObject, quote, stringOf, type ConstraintContext, type JsonObject } from './context.js';
import { checkEmbeddedDataSpecifications } from './data-specifications.js';
import { checkBasicEventElementAttributes } from './events.js';
import { checkQualifiers, checkReferable, checkSemantics, checkTypedValue } from './inherited-attributes.js';
import { checkUniqueLanguages } from './lang-strings.js';
import { checkReference } from './references.js';
import { checkSpecificAssetIds } from './asset-identification.js';
import { checkSubmodelElementListRules } from './submodel-element-lists.js';

export interface ElementScope {
  /**
   * Whether the enclosing Submodel has kind Template (AASd-129); undefined when an element is checked on its
   * own, outside any submodel, where the rule cannot be decided.
   */
  inTemplate: boolean | undefined;
}

/** The concrete submodel element classes (modelType values). */
export const SUBMODEL_ELEMENT_TYPES: ReadonlySet<string> = new Set([
  'AnnotatedRelationshipElement', 'BasicEventElement', 'Blob', 'Capability', 'Entity', 'File', 'MultiLanguageProperty',
  'Operation', 'Property', 'Range', 'ReferenceElement', 'RelationshipElement', 'SubmodelElementCollection',
  'SubmodelElementList',
]);

export function checkSubmodelElement(ctx: ConstraintContext, element: unknown, scope: ElementScope): void {
  if (!isObject(element)) return;
  checkReferable(ctx, element);
  checkSemantics(ctx, element);
  const hasTemplateQualifier = checkQualifiers(ctx, element);
  if (hasTemplateQualifier && scope.inTemplate === false) {
    ctx.report('AASd-129: a submodel element with a TemplateQualifier must be part of a submodel whose kind is Template', 'qualifiers');
  }
  checkEmbeddedDataSpecifications(ctx, element);

  switch (element.modelType) {
    case 'Property':
      checkTypedValue(ctx, element, 'value', element.valueType);
      checkOptionalReference(ctx, element, 'valueId');
      break;
    case 'MultiLanguageProperty':
      checkUniqueLanguages(ctx, element, 'value');
      checkOptionalReference(ctx, element, 'valueId');
      break;
    case 'Range':
      checkTypedValue(ctx, element, 'min', element.valueType);
      checkTypedValue(ctx, element, 'max', element.valueType);
      break;
    case 'ReferenceElement':
      checkOptionalReference(ctx, element, 'value');
      break;
    case 'RelationshipElement':
      checkOptionalReference(ctx, element, 'first');
      checkOptionalReference(ctx, element, 'second');
      break;
    case 'AnnotatedRelationshipElement':
      checkOptionalReference(ctx, element, 'first');
      checkOptionalReference(ctx, element, 'second');
      checkNamespace(ctx, element, 'annotations', scope);
      break;
    case 'SubmodelElementCollection':
      checkNamespace(ctx, element, 'value', scope);
      break;
    case 'SubmodelElementList':
      checkSubmodelElementListRules(ctx, element);
      checkOptionalReference(ctx, element, 'semanticIdListElement');
      checkListChildren(ctx, element, scope);
      break;
    case 'Entity':
      checkEntity(ctx, element, scope);
      break;
    case 'Operation':
      checkOperationVariables(ctx, element, scope);
      break;
    case 'BasicEventElement':
      checkBasicEventElementAttributes(ctx, element);
      break;
    default:
      // Blob, File, Capability: nothing beyond the inherited attributes and the schema.
      break;
  }
}

function checkOptionalReference(ctx: ConstraintContext, owner: JsonObject, field: string): void {
  if (owner[field] !== undefined) ctx.at(field, () => checkReference(ctx, owner[field]));
}

/**
 * Children of a namespace (Submodel.submodelElements, SMC.value, Entity.statements, ARE.annotations): AASd-117
 * (each needs an idShort, as none is a direct child of a list) and AASd-022 (idShorts unique, case-sensitive).
 */
export function checkNamespace(ctx: ConstraintContext, owner: JsonObject, field: string, scope: ElementScope): void {
  const children = arrayOf(owner[field]);
  if (children === undefined) return;
  const seen = new Map<string, number>();
  ctx.at(field, () =>
    children.forEach((child, i) => {
      if (!isObject(child)) return;
      const idShort = stringOf(child.idShort);
      if (idShort === undefined) {
        ctx.report(`AASd-117: idShort is required for elements of ${field} (only direct children of a SubmodelElementList may omit it)`, i);
      } else {
        const earlier = seen.get(idShort);
        if (earlier === undefined) seen.set(idShort, i);
        else ctx.report(`AASd-022: idShort ${quote(idShort)} is not unique among ${field} (first at index ${earlier})`, i, 'idShort');
      }
      ctx.at(i, () => checkSubmodelElement(ctx, child, scope));
    }),
  );
}

/** List children may omit idShort (AASd-120 is gone in V3.1), but those given must still be unique (AASd-022). */
function checkListChildren(ctx: ConstraintContext, list: JsonObject, scope: ElementScope): void {
  const children = arrayOf(list.value);
  if (children === undefined) return;
  const seen = new Map<string, number>();
  ctx.at('value', () =>
    children.forEach((child, i) => {
      if (!isObject(child)) return;
      const idShort = stringOf(child.idShort);
      if (idShort !== undefined) {
        const earlier = seen.get(idShort);
        if (earlier === undefined) seen.set(idShort, i);
        else ctx.report(`AASd-022: idShort ${quote(idShort)} is not unique among the list's value (first at index ${earlier})`, i, 'idShort');
      }
      ctx.at(i, () => checkSubmodelElement(ctx, child, scope));
    }),
  );
}

/** AASd-014: a self-managed entity needs a globalAssetId or at least one specificAssetId. */
function checkEntity(ctx: ConstraintContext, entity: JsonObject, scope: ElementScope): void {
  const specificAssetIds = arrayOf(entity.specificAssetIds);
  const hasAssetId = entity.globalAssetId !== undefined || (specificAssetIds !== undefined && specificAssetIds.length > 0);
  if (entity.entityType === 'SelfManagedEntity' && !hasAssetId) {
    ctx.report('AASd-014: a SelfManagedEntity needs a globalAssetId or at least one specificAssetId', 'entityType');
  }
  checkSpecificAssetIds(ctx, entity);
  checkNamespace(ctx, entity, 'statements', scope);
}

const VARIABLE_FIELDS = ['inputVariables', 'outputVariables', 'inoutputVariables'] as const;

/**
 * Operation variables: each value needs an idShort (AASd-117) and the idShorts are unique across input,
 * output and inoutput variables together (AASd-134).
 */
function checkOperationVariables(ctx: ConstraintContext, operation: JsonObject, scope: ElementScope): void {
  const seen = new Map<string, string>();
  for (const field of VARIABLE_FIELDS) {
    const variables = arrayOf(operation[field]);
    if (variables === undefined) continue;
    ctx.at(field, () =>
      variables.forEach((variable, i) => {
        if (!isObject(variable) || !isObject(variable.value)) return;
        const value = variable.value;
        const idShort = stringOf(value.idShort);
        if (idShort === undefined) {
          ctx.report('AASd-117: the value of an operation variable needs an idShort', i, 'value');
        } else {
          const earlier = seen.get(idShort);
          if (earlier === undefined) seen.set(idShort, `${field}[${i}]`);
          else ctx.report(`AASd-134: idShort ${quote(idShort)} is used by more than one operation variable (first at ${earlier})`, i, 'value', 'idShort');
        }
        ctx.at(i, () => ctx.at('value', () => checkSubmodelElement(ctx, value, scope)));
      }),
    );
  }
}

/** An OperationVariable checked on its own: AASd-117 for its value, then the value. */
export function checkOperationVariable(ctx: ConstraintContext, variable: unknown): void {
  if (!isObject(variable) || !isObject(variable.value)) return;
  const value = variable.value;
  if (stringOf(value.idShort) === undefined) ctx.report('AASd-117: the value of an operation variable needs an idShort', 'value');
  ctx.at('value', () => checkSubmodelElement(ctx, value, { inTemplate: undefined }));
}
