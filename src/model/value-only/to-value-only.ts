/**
 * ValueOnly serialization (`$value`, Part 1 §"Format Value (Value-Only Serialization) in JSON") of submodel
 * elements and submodels.
 *
 * Choices where the text is silent:
 * - A container whose ValueOnly would be empty (no children, or only Operations/Capabilities/valueless ones) is
 *   left out, as Part 1 prescribes for a list of Operations; likewise a Range/File/Blob/Entity/relationship
 *   with none of its value fields.
 * - In a SubmodelElementList an item without a value is written `null`, so that index n stays element n.
 * - level=core: below the element asked for, one level of children appears; a child's own child list is
 *   written empty (`{}`, a list `[]`) when it has children, and left out when it has none.
 */
import type { Submodel, SubmodelElement } from '../types.js';
import { xsdValueToJson } from './xsd-json-values.js';

export interface ValueOnlyOptions {
  level: 'deep' | 'core';
  extent: 'withoutBlobValue' | 'withBlobValue';
}

type Node = Record<string, unknown>;
type JsonObject = Record<string, unknown>;

/** ValueOnly of one element; undefined when it has none (Operation, Capability, an element without a value). */
export function elementToValueOnly(element: SubmodelElement, options: ValueOnlyOptions): unknown {
  return valueOnly(element as Node, options.level === 'core' ? 1 : Infinity, options);
}

/** `{idShort: value}` of the submodel's top-level elements (those without a ValueOnly form left out). */
export function submodelToValueOnly(submodel: Submodel, options: ValueOnlyOptions): Record<string, unknown> {
  return namespaceValue(submodel.submodelElements as Node[] | undefined, options.level === 'core' ? 1 : Infinity, options) ?? {};
}

/** `depth`: how many levels of child elements are still written out (Infinity for level=deep). */
function valueOnly(el: Node, depth: number, options: ValueOnlyOptions): unknown {
  switch (el.modelType) {
    case 'Property':
      return typeof el.value === 'string' ? xsdValueToJson(el.valueType as string, el.value) : undefined;
    case 'MultiLanguageProperty':
      return nonEmpty(el.value) ? (el.value as Node[]).map((s) => ({ [s.language as string]: s.text })) : undefined;
    case 'Range':
      return fields({
        min: typeof el.min === 'string' ? xsdValueToJson(el.valueType as string, el.min) : undefined,
        max: typeof el.max === 'string' ? xsdValueToJson(el.valueType as string, el.max) : undefined,
      });
    case 'File':
      return fields({ contentType: el.contentType, value: el.value });
    case 'Blob':
      return fields({ contentType: el.contentType, value: options.extent === 'withBlobValue' ? el.value : undefined });
    case 'ReferenceElement':
      return el.value;
    case 'RelationshipElement':
      return fields({ first: el.first, second: el.second });
    case 'AnnotatedRelationshipElement':
      return fields({ first: el.first, second: el.second, annotations: namespaceValue(el.annotations as Node[] | undefined, depth, options) });
    case 'Entity':
      return fields({
        statements: namespaceValue(el.statements as Node[] | undefined, depth, options),
        entityType: el.entityType,
        globalAssetId: el.globalAssetId,
        specificAssetIds: el.specificAssetIds,
      });
    case 'BasicEventElement':
      return fields({ observed: el.observed });
    case 'SubmodelElementCollection':
      return namespaceValue(el.value as Node[] | undefined, depth, options);
    case 'SubmodelElementList':
      return listValue(el.value as Node[] | undefined, depth, options);
    default:
      // Operation and Capability have no ValueOnly form (Part 1: "not subject to the Value-Only serialization").
      return undefined;
  }
}

/** Submodel.submodelElements, SMC.value, Entity.statements, ARE.annotations → `{idShort: value}`. */
function namespaceValue(children: Node[] | undefined, depth: number, options: ValueOnlyOptions): JsonObject | undefined {
  if (!nonEmpty(children)) return undefined;
  if (depth <= 0) return {};
  const out: JsonObject = {};
  let any = false;
  for (const child of children!) {
    const v = valueOnly(child, depth - 1, options);
    if (v === undefined || typeof child.idShort !== 'string') continue;
    out[child.idShort] = v;
    any = true;
  }
  return any ? out : undefined;
}

/** SubmodelElementList.value → array in order; the children's idShorts are dropped. */
function listValue(items: Node[] | undefined, depth: number, options: ValueOnlyOptions): unknown[] | undefined {
  if (!nonEmpty(items)) return undefined;
  if (depth <= 0) return [];
  const out = items!.map((item) => valueOnly(item, depth - 1, options) ?? null);
  return out.some((v) => v !== null) ? out : undefined;
}

/** The object of the defined fields, or undefined when there are none. */
function fields(candidates: JsonObject): JsonObject | undefined {
  const out: JsonObject = {};
  let any = false;
  for (const [key, v] of Object.entries(candidates)) {
    if (v === undefined) continue;
    out[key] = v;
    any = true;
  }
  return any ? out : undefined;
}

function nonEmpty(list: unknown): boolean {
  return Array.isArray(list) && list.length > 0;
}
