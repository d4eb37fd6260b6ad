/**
 * The projections of a submodel element other than Normal and ValueOnly (Part 1 §Mappings "Content Format Types",
 * Part 2 §"SerializationModifiers"): `$metadata` (some fields left off), `$reference` (a ModelReference to the
 * element) and `$path` (idShortPaths of the element and its descendants). Pure functions; they never change their
 * input.
 */
import type { ElementSlot } from './element-tree.js';
import { childListKey } from './modifiers.js';
import type { Reference, Submodel, SubmodelElement } from './types.js';

/** Element routes take `level`/`extent` with the projections; the function lives with the other modifier rules. */
export { applyElementModifiers } from './modifiers.js';

type Node = Record<string, unknown>;

/** The children of an element in the Part 2 `level` sense, in document order. */
function levelChildren(element: SubmodelElement): SubmodelElement[] {
  const node = element as Node;
  const key = childListKey(node.modelType);
  return key && Array.isArray(node[key]) ? (node[key] as SubmodelElement[]) : [];
}

/**
 * Part 1 §"Format Metadata", table "Metadata Attributes": the fields each class leaves off. Capability and
 * Operation are listed there with no field left off (Part 2 does not offer `$metadata` on them, but a
 * container's listing still shows them).
 */
const METADATA_OMITS: Record<string, readonly string[]> = {
  AssetAdministrationShell: ['assetInformation', 'submodels'],
  Submodel: ['submodelElements'],
  SubmodelElementCollection: ['value'],
  SubmodelElementList: ['value'],
  // The table's UML name is `specificAssetId`; the JSON property is `specificAssetIds`.
  Entity: ['statements', 'globalAssetId', 'specificAssetIds'],
  BasicEventElement: ['observed'],
  Capability: [],
  Operation: [],
  Property: ['value', 'valueId'],
  MultiLanguageProperty: ['value', 'valueId'],
  Range: ['min', 'max'],
  ReferenceElement: ['value'],
  RelationshipElement: ['first', 'second'],
  AnnotatedRelationshipElement: ['first', 'second', 'annotations'],
  Blob: ['value', 'contentType'],
  File: ['value', 'contentType'],
};

/** `$metadata` of an element: the same object without the fields Part 1 leaves off for its class. */
export function elementMetadata(element: SubmodelElement): object {
  const omitted = METADATA_OMITS[(element as Node).modelType as string] ?? [];
  const metadata: Node = {};
  for (const [key, value] of Object.entries(element)) if (!omitted.includes(key)) metadata[key] = value;
  return metadata;
}

/**
 * `$reference` of an element: a ModelReference whose first key is the Submodel and then one key per element on
 * the way down, typed by its modelType. A key after a SubmodelElementList holds the child's index (AASd-128),
 * every other key the idShort. `lineage` is the one locateElement gives (Operation variables included).
 */
export function elementReference(submodelId: string, lineage: ElementSlot['lineage']): Reference {
  const keys = [{ type: 'Submodel', value: submodelId }];
  for (const { segment, element } of lineage) {
    keys.push({ type: (element as Node).modelType as string, value: 'index' in segment ? String(segment.index) : segment.idShort });
  }
  return { type: 'ModelReference', keys } as Reference;
}

/**
 * `$path` of an element (Part 1 §"Format Path"): `path` (the element's own idShortPath from the submodel root, as
 * the request addressed it) followed by the paths of its descendants in document order, depth first; children of a
 * SubmodelElementList by `[index]` only. `level=core` stops at the direct children.
 */
export function elementPaths(element: SubmodelElement, path: string, level: 'deep' | 'core'): string[] {
  const out = [path];
  collectDescendantPaths(element, path, level === 'deep', out);
  return out;
}

function collectDescendantPaths(element: SubmodelElement, path: string, deep: boolean, out: string[]): void {
  const inList = (element as Node).modelType === 'SubmodelElementList';
  levelChildren(element).forEach((child, index) => {
    const idShort = (child as Node).idShort;
    if (!inList && typeof idShort !== 'string') return; // unaddressable (AASd-117 makes it invalid anyway)
    const childPath = inList ? `${path}[${index}]` : `${path}.${idShort}`;
    out.push(childPath);
    if (deep) collectDescendantPaths(child, childPath, deep, out);
  });
}

/**
 * `$path` of a Submodel: the paths of its top-level elements, each followed by its descendants' (level=core:
 * the top-level paths only). The submodel itself has no idShortPath (Part 1: none for Identifiables).
 */
export function submodelPaths(submodel: Submodel, level: 'deep' | 'core'): string[] {
  const out: string[] = [];
  for (const element of submodel.submodelElements ?? []) {
    const idShort = (element as Node).idShort;
    if (typeof idShort !== 'string') continue;
    out.push(idShort);
    if (level === 'deep') collectDescendantPaths(element, idShort, true, out);
  }
  return out;
}
