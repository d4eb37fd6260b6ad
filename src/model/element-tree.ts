/**
 * Navigating and editing the element tree of a Submodel by idShortPath. Children live in
 * Submodel.submodelElements, SubmodelElementCollection/List.value, Entity.statements,
 * AnnotatedRelationshipElement.annotations and the `value` of an Operation's in/out/inoutput variables.
 * Edits change the given (caller-owned) submodel in place.
 */
import { BadRequest, NotFound } from '../errors.js';
import { formatIdShortPath, parseIdShortPath, type PathSegment } from './id-short-path.js';
import type { Submodel, SubmodelElement } from './types.js';

type Node = Record<string, unknown>;

/** The property holding a container's child elements, by modelType. */
const CHILD_LIST: Partial<Record<string, string>> = {
  SubmodelElementCollection: 'value',
  SubmodelElementList: 'value',
  Entity: 'statements',
  AnnotatedRelationshipElement: 'annotations',
};

const OPERATION_VARIABLES = ['inputVariables', 'outputVariables', 'inoutputVariables'] as const;

/** One place an element sits in: the array and position, and whether the array holds OperationVariables. */
interface Place {
  array: Node[];
  index: number;
  /** The array's owner and the property naming the array (to drop the property when it becomes empty). */
  owner: Node;
  key: string;
  wrapped: boolean;
}

export interface ElementSlot {
  element: SubmodelElement;
  /** The path segments that lead here, and each element on the way (the last is `element`). */
  lineage: { segment: PathSegment; element: SubmodelElement }[];
  /** The container the element sits in; undefined for a top-level element. */
  parent?: SubmodelElement;
  /** Puts `next` in the element's place (same parent, same position). */
  replace(next: SubmodelElement): void;
  /** Takes the element out of its parent (dropping a child list that becomes empty: Part 1 has no empty lists). */
  remove(): void;
}

/** The child elements of an element, in order (Operation: the values of all its variables). */
export function childElements(element: SubmodelElement): SubmodelElement[] {
  const node = element as Node;
  const key = CHILD_LIST[node.modelType as string];
  if (key) return (Array.isArray(node[key]) ? node[key] : []) as SubmodelElement[];
  if (node.modelType === 'Operation') {
    return OPERATION_VARIABLES.flatMap((k) => (Array.isArray(node[k]) ? (node[k] as Node[]) : []).map((v) => v.value as SubmodelElement));
  }
  return [];
}

function childPlaces(owner: Node): Place[] {
  const places: Place[] = [];
  const add = (key: string, wrapped: boolean) => {
    const array = owner[key];
    if (Array.isArray(array)) array.forEach((_, index) => places.push({ array: array as Node[], index, owner, key, wrapped }));
  };
  if (owner.modelType === 'Submodel') add('submodelElements', false);
  else if (owner.modelType === 'Operation') OPERATION_VARIABLES.forEach((k) => add(k, true));
  else if (CHILD_LIST[owner.modelType as string]) add(CHILD_LIST[owner.modelType as string]!, false);
  return places;
}

const elementAt = (p: Place): Node => (p.wrapped ? (p.array[p.index].value as Node) : p.array[p.index]);

/**
 * Finds the element at `path` (a string or parsed segments). 404 when a segment names nothing; 400 when the
 * path addresses a list child by idShort or indexes into something that is not a list.
 */
export function locateElement(submodel: Submodel, path: string | readonly PathSegment[]): ElementSlot {
  const segments = typeof path === 'string' ? parseIdShortPath(path) : path;
  if (segments.length === 0) throw new BadRequest('idShortPath is empty');
  let owner = submodel as unknown as Node;
  let place: Place | undefined;
  let parent: SubmodelElement | undefined;
  const lineage: ElementSlot['lineage'] = [];
  segments.forEach((segment, i) => {
    const here = formatIdShortPath(segments.slice(0, i + 1));
    const isList = owner.modelType === 'SubmodelElementList';
    if (i > 0) parent = owner as unknown as SubmodelElement;
    if ('index' in segment) {
      if (!isList) throw new BadRequest(`idShortPath ${here}: only a SubmodelElementList is indexed with [n]`);
      place = childPlaces(owner)[segment.index];
    } else {
      if (isList) throw new BadRequest(`idShortPath ${here}: children of a SubmodelElementList are addressed by index, e.g. ${formatIdShortPath(segments.slice(0, i))}[0]`);
      place = childPlaces(owner).find((p) => elementAt(p)?.idShort === segment.idShort);
    }
    if (!place) throw new NotFound(`No submodel element at ${here}`);
    owner = elementAt(place);
    lineage.push({ segment, element: owner as unknown as SubmodelElement });
  });
  const found = place!;
  return {
    element: owner as unknown as SubmodelElement,
    lineage,
    parent,
    replace(next) {
      if (found.wrapped) found.array[found.index] = { ...found.array[found.index], value: next };
      else found.array[found.index] = next as unknown as Node;
    },
    remove() {
      found.array.splice(found.index, 1);
      if (found.array.length === 0) delete found.owner[found.key];
    },
  };
}

/**
 * Appends `child` to the children of `container` (a Submodel, a collection, list, entity or annotated relationship
 * element). 400 for an element that cannot hold children this way (Operation variables are set by replacing
 * the Operation).
 */
export function appendChild(container: Submodel | SubmodelElement, child: SubmodelElement): void {
  const node = container as unknown as Node;
  const key = node.modelType === 'Submodel' ? 'submodelElements' : CHILD_LIST[node.modelType as string];
  if (!key) throw new BadRequest(`A ${String(node.modelType)} cannot hold child elements`);
  const list = (node[key] ??= []) as SubmodelElement[];
  list.push(child);
}
