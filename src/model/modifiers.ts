/**
 * Content modifiers `level` and `extent` (Part 2 §"Modifiers") applied to a Submodel in Normal form.
 * `level=core`: the submodel and its direct elements, without grandchildren. `extent=withoutBlobValue` (the
 * default): Blob values are left out everywhere.
 */
import { BadRequest } from '../errors.js';
import type { Submodel, SubmodelElement } from './types.js';

export interface ContentModifiers {
  level: 'deep' | 'core';
  extent: 'withoutBlobValue' | 'withBlobValue';
}

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

/** Child lists of the container elements, by the property that holds them. */
const CHILD_LISTS: Record<string, string> = {
  SubmodelElementCollection: 'value',
  SubmodelElementList: 'value',
  Entity: 'statements',
  AnnotatedRelationshipElement: 'annotations',
};

export function applyContentModifiers(submodel: Submodel, m: ContentModifiers): Submodel {
  if (m.level === 'deep' && m.extent === 'withBlobValue') return submodel;
  if (!submodel.submodelElements) return submodel;
  const elements = submodel.submodelElements.map((e) => (m.level === 'core' ? withoutChildren(e, m) : shaped(e, m)));
  return { ...submodel, submodelElements: elements };
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

function shaped(element: SubmodelElement, m: ContentModifiers): SubmodelElement {
  const el = element as Record<string, unknown>;
  if (el.modelType === 'Blob' && m.extent === 'withoutBlobValue' && 'value' in el) {
    const { value: _omitted, ...rest } = el;
    return rest as SubmodelElement;
  }
  const key = CHILD_LISTS[el.modelType as string];
  if (key && Array.isArray(el[key])) {
    return { ...el, [key]: (el[key] as SubmodelElement[]).map((c) => shaped(c, m)) } as SubmodelElement;
  }
  return element;
}

function withoutChildren(element: SubmodelElement, m: ContentModifiers): SubmodelElement {
  const el = element as Record<string, unknown>;
  const key = CHILD_LISTS[el.modelType as string];
  if (!key || !(key in el)) return shaped(element, m);
  const { [key]: _grandchildren, ...rest } = el;
  return rest as SubmodelElement;
}

/** `$metadata` of a Submodel: everything but its elements. */
export function submodelMetadata(submodel: Submodel): Omit<Submodel, 'submodelElements'> {
  const { submodelElements: _elements, ...metadata } = submodel;
  return metadata;
}

/**
 * Checks the modifiers a `$metadata` or `$reference` route may take: `$metadata` takes neither `level` nor
 * `extent=withBlobValue`; `$reference` takes `level=core` only (deprecated there).
 */
export function checkProjectionModifiers(content: '$metadata' | '$reference', level: unknown, extent: unknown): void {
  const m = parseContentModifiers(level, extent);
  if (content === '$metadata' && level !== undefined) throw new BadRequest('$metadata does not take a level');
  if (content === '$metadata' && m.extent === 'withBlobValue') throw new BadRequest('$metadata does not take extent=withBlobValue');
  if (content === '$reference' && level !== undefined && m.level === 'deep') throw new BadRequest('$reference does not take level=deep');
}
