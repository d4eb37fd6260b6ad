/**
 * SubmodelElementList rules on its first-level children: AASd-107 (semanticId equals semanticIdListElement),
 * AASd-108 (element type equals typeValueListElement), AASd-109 (valueTypeListElement for Property/Range
 * lists) and AASd-114 (children's semanticIds identical). Semantic ids are compared by their key values, as
 * Part 1 compares references. AASd-120 (no idShort on list children) was removed in V3.1 and is not checked.
 */
import { arrayOf, isObject, quote, stringOf, type ConstraintContext, type JsonObject } from './context.js';

/** Abstract AasSubmodelElements values and the concrete modelTypes they admit. */
const ABSTRACT_ELEMENT_TYPES: Record<string, ReadonlySet<string>> = {
  DataElement: new Set(['Property', 'MultiLanguageProperty', 'Range', 'ReferenceElement', 'File', 'Blob']),
  EventElement: new Set(['BasicEventElement']),
};

function isOfListType(modelType: string, typeValueListElement: string): boolean {
  if (typeValueListElement === 'SubmodelElement') return true;
  const admitted = Object.hasOwn(ABSTRACT_ELEMENT_TYPES, typeValueListElement) ? ABSTRACT_ELEMENT_TYPES[typeValueListElement] : undefined;
  return admitted !== undefined ? admitted.has(modelType) : modelType === typeValueListElement;
}

/** The key values of a reference, or undefined if it has no well-formed keys. */
function keyValues(ref: unknown): string[] | undefined {
  const keys = isObject(ref) ? arrayOf(ref.keys) : undefined;
  if (keys === undefined) return undefined;
  const values: string[] = [];
  for (const key of keys) {
    const value = isObject(key) ? stringOf(key.value) : undefined;
    if (value === undefined) return undefined;
    values.push(value);
  }
  return values;
}

function sameKeyValues(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function describeKeys(values: readonly string[]): string {
  return quote(values.join(' / '));
}

export function checkSubmodelElementListRules(ctx: ConstraintContext, list: JsonObject): void {
  const typeValueListElement = stringOf(list.typeValueListElement);
  const valueTypeListElement = stringOf(list.valueTypeListElement);
  const needsValueType = typeValueListElement === 'Property' || typeValueListElement === 'Range';
  if (needsValueType && valueTypeListElement === undefined) {
    ctx.report(`AASd-109: typeValueListElement is ${typeValueListElement}, so valueTypeListElement must be set`, 'typeValueListElement');
  }

  const children = arrayOf(list.value);
  if (children === undefined) return;
  const listSemanticId = list.semanticIdListElement === undefined ? undefined : keyValues(list.semanticIdListElement);
  let firstSemanticId: { index: number; values: string[] } | undefined;

  children.forEach((child, i) => {
    if (!isObject(child)) return;
    const modelType = stringOf(child.modelType);
    if (typeValueListElement !== undefined && modelType !== undefined && !isOfListType(modelType, typeValueListElement)) {
      ctx.report(`AASd-108: element is a ${modelType}, but typeValueListElement is ${typeValueListElement}`, 'value', i, 'modelType');
    }
    if (needsValueType && valueTypeListElement !== undefined && (modelType === 'Property' || modelType === 'Range')) {
      const valueType = stringOf(child.valueType);
      if (valueType !== undefined && valueType !== valueTypeListElement) {
        ctx.report(`AASd-109: valueType ${valueType} differs from the list's valueTypeListElement ${valueTypeListElement}`, 'value', i, 'valueType');
      }
    }
    const semanticId = child.semanticId === undefined ? undefined : keyValues(child.semanticId);
    if (semanticId === undefined) return;
    if (listSemanticId !== undefined && !sameKeyValues(semanticId, listSemanticId)) {
      ctx.report(
        `AASd-107: semanticId ${describeKeys(semanticId)} differs from the list's semanticIdListElement ${describeKeys(listSemanticId)}`,
        'value', i, 'semanticId',
      );
    }
    if (firstSemanticId === undefined) firstSemanticId = { index: i, values: semanticId };
    else if (!sameKeyValues(semanticId, firstSemanticId.values)) {
      ctx.report(
        `AASd-114: semanticId ${describeKeys(semanticId)} differs from the semanticId of element ${firstSemanticId.index} ${describeKeys(firstSemanticId.values)}`,
        'value', i, 'semanticId',
      );
    }
  });
}
