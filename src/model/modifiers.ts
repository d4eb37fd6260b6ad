/**
 * SerializationModifiers (Part 2 §"SerializationModifiers in Operations", §"Modifier Constraints"): which
 * content, `level` and `extent` a request may combine on which resource, and `level`/`extent` applied to a
 * Submodel or an element in Normal form. `level=core`: the resource and its direct children, without
 * grandchildren. `extent=withoutBlobValue` (the default): no Blob value anywhere.
 */
import { BadRequest } from '../errors.js';
import type { Submodel, SubmodelElement } from './types.js';

export interface ContentModifiers {
  level: 'deep' | 'core';
  extent: 'withoutBlobValue' | 'withBlobValue';
}

/** The Content modifier, which the HTTP API maps to a path suffix (none = Normal). */
export type Content = 'normal' | '$metadata' | '$value' | '$reference' | '$path';
export type ModifierMethod = 'GET' | 'PUT' | 'PATCH' | 'POST';

/** Parses the query values; the spec's own text spells `WithBLOBValue`, so the match is case-insensitive. */
export function parseContentModifiers(level: unknown, extent: unknown): ContentModifiers {
  return {
    level: pick('level', level, ['deep', 'core'], 'deep'),
    extent: pick('extent', extent, ['withoutBlobValue', 'withBlobValue'], 'withoutBlobValue'),
  };
}

function pick<T extends string>(name: string, raw: unknown, allowed: readonly T[], fallback: T): T {
  if (raw === undefined) return fallback;
  const found = typeof raw === 'string' ? allowed.find((a) => a.toLowerCase() === raw.toLowerCase()) : undefined;
  if (!found) throw new BadRequest(`${name} must be one of ${allowed.join(', ')}, got "${String(raw).slice(0, 40)}"`);
  return found;
}

/**
 * The property holding an element's children in the sense of Part 2 §"Enumeration: Level": the children that
 * `level` cuts and `$path` lists. Operation variables are not among them (they are arguments, not children).
 */
const CHILD_LIST: Partial<Record<string, string>> = {
  SubmodelElementCollection: 'value',
  SubmodelElementList: 'value',
  Entity: 'statements',
  AnnotatedRelationshipElement: 'annotations',
};

/** The property holding the children of `modelType` (see CHILD_LIST), or undefined for an element without any. */
export function childListKey(modelType: unknown): string | undefined {
  return typeof modelType === 'string' ? CHILD_LIST[modelType] : undefined;
}

const EVERY_CONTENT: readonly Content[] = ['normal', '$metadata', '$value', '$reference', '$path'];
const DATA_CONTENT: readonly Content[] = ['normal', '$metadata', '$value', '$reference'];
const NORMAL_AND_REFERENCE: readonly Content[] = ['normal', '$reference'];

/**
 * Part 2 §"Applicability of SerializationModifiers", column "Content Modifier". `$path` only on the resources
 * that have children to list in that table (the conformance tool aas-test-engines expects 4xx for `$path` on
 * anything else, AnnotatedRelationshipElement included).
 */
const CONTENTS_OF: Record<string, readonly Content[]> = {
  AssetAdministrationShell: NORMAL_AND_REFERENCE,
  Submodel: EVERY_CONTENT,
  SubmodelElementCollection: EVERY_CONTENT,
  SubmodelElementList: EVERY_CONTENT,
  Entity: EVERY_CONTENT,
  BasicEventElement: DATA_CONTENT,
  Capability: NORMAL_AND_REFERENCE,
  Operation: NORMAL_AND_REFERENCE,
  Property: DATA_CONTENT,
  MultiLanguageProperty: DATA_CONTENT,
  Range: DATA_CONTENT,
  ReferenceElement: DATA_CONTENT,
  RelationshipElement: DATA_CONTENT,
  AnnotatedRelationshipElement: DATA_CONTENT,
  Blob: DATA_CONTENT,
  File: DATA_CONTENT,
};

/** The contents a resource of this modelType offers (Normal and `$reference` for an unknown one). */
export function supportedContents(modelType: string): readonly Content[] {
  return CONTENTS_OF[modelType] ?? NORMAL_AND_REFERENCE;
}

/** Which contents each method takes: PATCH has no `$reference`/`$path` routes; PUT and POST send Normal only. */
const CONTENTS_BY_METHOD: Record<ModifierMethod, readonly Content[]> = {
  GET: EVERY_CONTENT,
  PATCH: ['normal', '$metadata', '$value'],
  PUT: ['normal'],
  POST: ['normal'],
};

const shown = (content: Content) => (content === 'normal' ? 'Normal content' : content);

/**
 * Checks a request's modifiers against the resource it addresses and returns them parsed; BadRequest (400) for
 * - an unknown `level`/`extent` value (compared case-insensitively);
 * - a content the resource does not offer, e.g. `$value` of a Capability (Part 2 §"Mapping of Operations", note
 *   on GetSubmodelElementByPath), or a content the method has no route for;
 * - POST with any modifier ("Modifiers cannot be used for POST operations");
 * - PUT with `level=core` (the OpenAPI enum of PutSubmodelElementByPath is `deep` only; Part 2: "PUT operations
 *   may only use the Extent Modifier");
 * - PATCH with `level=deep` (the OpenAPI enum of every PATCH `level` is `core` only);
 * - GET `$metadata` with any `level`, `$metadata` with `extent=withBlobValue`, `$reference` with `level=deep`
 *   (§"Modifier Constraints"). PATCH `$metadata?level=core` passes: PatchSubmodelById-Metadata lists that
 *   core-only `level`, and on PATCH it changes nothing.
 * `level` on a resource without children and `extent` where no Blob can be are accepted and change nothing: the
 * applicability table says they do not apply there, not that they are errors, and aas-test-engines sends both
 * to every element type expecting 200. `extent` on `$reference`/`$path` is ignored for the same reason.
 */
export function checkModifiers(
  target: { modelType: string },
  request: { method: ModifierMethod; content: Content; level?: unknown; extent?: unknown },
): ContentModifiers {
  const { method, content } = request;
  const m = parseContentModifiers(request.level, request.extent);
  const hasLevel = request.level !== undefined;
  if (!CONTENTS_BY_METHOD[method].includes(content)) throw new BadRequest(`${method} does not take ${shown(content)}`);
  if (!supportedContents(target.modelType).includes(content)) {
    throw new BadRequest(`A ${target.modelType} has no ${shown(content)} (Part 2 §"Applicability of SerializationModifiers")`);
  }
  if (method === 'POST' && (hasLevel || request.extent !== undefined)) {
    throw new BadRequest('POST takes no serialization modifiers (Part 2 §"Modifier Constraints")');
  }
  if (method === 'PUT' && hasLevel && m.level !== 'deep') throw new BadRequest('PUT takes no level other than deep');
  if (method === 'PATCH' && hasLevel && m.level !== 'core') throw new BadRequest('PATCH takes no level other than core');
  if (content === '$metadata' && hasLevel && method === 'GET') {
    throw new BadRequest('$metadata does not take a level (Part 2 §"Modifier Constraints")');
  }
  if (content === '$metadata' && m.extent === 'withBlobValue') {
    throw new BadRequest('$metadata does not take extent=withBlobValue (Part 2 §"Modifier Constraints")');
  }
  if (content === '$reference' && hasLevel && m.level === 'deep') {
    throw new BadRequest('$reference does not take level=deep (Part 2 §"Modifier Constraints")');
  }
  return m;
}

const OPERATION_VARIABLES = ['inputVariables', 'outputVariables', 'inoutputVariables'] as const;

/** level/extent on a Submodel in Normal form: at `core` its elements lose their children. */
export function applyContentModifiers(submodel: Submodel, m: ContentModifiers): Submodel {
  if (m.level === 'deep' && m.extent === 'withBlobValue') return submodel;
  if (!submodel.submodelElements) return submodel;
  const elements = submodel.submodelElements.map((e) => (m.level === 'core' ? withoutChildren(e, m) : shaped(e, m)));
  return { ...submodel, submodelElements: elements };
}

/**
 * level/extent on one element in Normal form: at `core` the element keeps its direct children, which lose
 * theirs (an SMC child has no `value`); without `withBlobValue` no Blob anywhere below keeps its value.
 */
export function applyElementModifiers(element: SubmodelElement, m: ContentModifiers): SubmodelElement {
  if (m.level === 'deep') return m.extent === 'withBlobValue' ? element : shaped(element, m);
  const el = element as Record<string, unknown>;
  const key = childListKey(el.modelType);
  if (!key || !Array.isArray(el[key])) return shaped(element, m);
  return { ...el, [key]: (el[key] as SubmodelElement[]).map((c) => withoutChildren(c, m)) } as SubmodelElement;
}

/**
 * applyContentModifiers on a submodel given as compact JSON text (as the store gives it): the text itself when
 * the modifiers change nothing, which is when the level is deep and no Blob value has to go. In compact JSON a
 * Blob always shows as `"modelType":"Blob"`, and that sequence cannot occur inside a JSON string (its quotes
 * would be escaped), so the test has no false negatives and no false positives.
 */
export function applyContentModifiersToJson(json: string, m: ContentModifiers): string {
  if (m.level === 'deep' && (m.extent === 'withBlobValue' || !json.includes('"modelType":"Blob"'))) return json;
  return JSON.stringify(applyContentModifiers(JSON.parse(json) as Submodel, m));
}

/** The element without Blob values (its own or any below it, Operation variables included) unless `withBlobValue`. */
function shaped(element: SubmodelElement, m: ContentModifiers): SubmodelElement {
  if (m.extent === 'withBlobValue') return element;
  let el = element as Record<string, unknown>;
  if (el.modelType === 'Blob' && 'value' in el) {
    const { value: _omitted, ...rest } = el;
    return rest as SubmodelElement;
  }
  const key = childListKey(el.modelType);
  if (key && Array.isArray(el[key])) el = { ...el, [key]: (el[key] as SubmodelElement[]).map((c) => shaped(c, m)) };
  if (el.modelType === 'Operation') {
    for (const k of OPERATION_VARIABLES) {
      if (!Array.isArray(el[k])) continue;
      const variables = (el[k] as Record<string, unknown>[]).map((v) => (v.value ? { ...v, value: shaped(v.value as SubmodelElement, m) } : v));
      el = { ...el, [k]: variables };
    }
  }
  return el as SubmodelElement;
}

/** A direct child at level=core: without its own children (Operation variables are arguments, so they stay). */
function withoutChildren(element: SubmodelElement, m: ContentModifiers): SubmodelElement {
  const el = element as Record<string, unknown>;
  const key = childListKey(el.modelType);
  if (!key || !(key in el)) return shaped(element, m);
  const { [key]: _grandchildren, ...rest } = el;
  return rest as SubmodelElement;
}

/** `$metadata` of a Submodel: everything but its elements. */
export function submodelMetadata(submodel: Submodel): Omit<Submodel, 'submodelElements'> {
  const { submodelElements: _elements, ...metadata } = submodel;
  return metadata;
}
