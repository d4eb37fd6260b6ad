/**
 * Applying a ValueOnly value to an element or submodel (PATCH `.../$value`, Part 2): only existing elements of
 * the same type are updated, and nothing the ValueOnly form does not carry (idShort, semanticId, valueType,
 * qualifiers, ...) changes. The input is never modified: the result is a copy, or BadRequest is thrown whose
 * details name the JSON path inside the client's value, and nothing was applied.
 *
 * Choices where the text is silent (merge-patch reading of PATCH):
 * - An element or field that the value leaves out, or gives as `null`, stays unchanged (`null` keeps list
 *   positions: `[null, 5]` sets only the second item).
 * - A value equal to what GET `$value` shows for the current one changes nothing, so a GET/PATCH round trip
 *   keeps the stored literal ("1" stays "1" for `true`, "5.0" stays "5.0" for `5`).
 * - MultiLanguageProperty and Entity.specificAssetIds are replaced as a whole; an empty array is rejected
 *   (Part 1 has no empty lists).
 * - AnnotatedRelationshipElement.annotations: the object `{idShort: v}` or an array of such objects.
 * - Entity.specificAssetIds: SpecificAssetId in Normal form (Part 1) or `{name: value}` (Part 2 OpenAPI
 *   SpecificAssetIdValue); the latter keeps semanticId/externalSubjectId of an entry with that name.
 * Values are checked for shape and the metamodel schema here; constraints that span elements (AASd-0xx on
 * references, AASd-014) are left to the validation of the whole submodel on write.
 */
import { isDeepStrictEqual } from 'node:util';
import { checkSchema, type ValidationClass } from '../../validation/schema-check.js';
import type { Submodel, SubmodelElement } from '../types.js';
import { PatchContext } from './patch-context.js';
import { describe, jsonToXsdValue, xsdValueToJson } from './xsd-json-values.js';

type Node = Record<string, unknown>;

/** A copy of `element` with the ValueOnly `value` applied (PATCH .../$value). */
export function applyElementValueOnly(element: SubmodelElement, value: unknown): SubmodelElement {
  const target = structuredClone(element) as Node;
  const ctx = new PatchContext();
  applyToElement(ctx, target, value);
  ctx.finish(String(target.modelType ?? 'element'));
  return target as SubmodelElement;
}

/** A copy of `submodel` with the ValueOnly `value` (`{idShort: v}` of its top-level elements) applied. */
export function applySubmodelValueOnly(submodel: Submodel, value: unknown): Submodel {
  const target = structuredClone(submodel) as Node;
  const ctx = new PatchContext();
  applyToNamespace(ctx, target.submodelElements as Node[] | undefined, value);
  ctx.finish('Submodel');
  return target as Submodel;
}

function applyToElement(ctx: PatchContext, el: Node, value: unknown): void {
  if (value === null) return;
  switch (el.modelType) {
    case 'Property':
      setLiteral(ctx, el, 'value', value);
      return;
    case 'Range': {
      const o = objectOf(ctx, el, value, ['min', 'max']);
      for (const key of ['min', 'max']) if (o?.[key] != null) ctx.at(key, () => setLiteral(ctx, el, key, o[key]));
      return;
    }
    case 'MultiLanguageProperty':
      setLangStrings(ctx, el, value);
      return;
    case 'File':
    case 'Blob':
      setFileOrBlob(ctx, el, value);
      return;
    case 'ReferenceElement':
      setReference(ctx, el, 'value', value);
      return;
    case 'RelationshipElement':
    case 'AnnotatedRelationshipElement': {
      const annotated = el.modelType === 'AnnotatedRelationshipElement';
      const o = objectOf(ctx, el, value, annotated ? ['first', 'second', 'annotations'] : ['first', 'second']);
      for (const key of ['first', 'second']) if (o?.[key] != null) ctx.at(key, () => setReference(ctx, el, key, o[key]));
      if (annotated && o?.annotations != null) {
        ctx.at('annotations', () => applyToNamespace(ctx, el.annotations as Node[] | undefined, annotationsObject(ctx, o.annotations)));
      }
      return;
    }
    case 'Entity':
      setEntity(ctx, el, value);
      return;
    case 'BasicEventElement':
      // Part 1 writes `{"observed": Reference}`.
      if (objectOf(ctx, el, value, ['observed'])?.observed != null) {
        ctx.at('observed', () => setReference(ctx, el, 'observed', (value as Node).observed));
      }
      return;
    case 'SubmodelElementCollection':
      applyToNamespace(ctx, el.value as Node[] | undefined, value);
      return;
    case 'SubmodelElementList':
      applyToList(ctx, el.value as Node[] | undefined, value);
      return;
    default:
      ctx.fail(`a ${String(el.modelType)} has no value: it is not part of the ValueOnly serialization (Part 1)`);
  }
}

/** `{idShort: v}` onto Submodel.submodelElements, SMC.value, Entity.statements or ARE.annotations. */
function applyToNamespace(ctx: PatchContext, children: Node[] | undefined, value: unknown): void {
  if (!isObject(value)) {
    ctx.fail(`expected an object {idShort: value}, got ${describe(value)}`);
    return;
  }
  const byIdShort = new Map<unknown, Node>((children ?? []).map((c) => [c.idShort, c]));
  for (const [idShort, childValue] of Object.entries(value)) {
    const child = byIdShort.get(idShort);
    if (child === undefined) ctx.fail('no element has this idShort here, and a $value PATCH only updates existing elements', idShort);
    else ctx.at(idShort, () => applyToElement(ctx, child, childValue));
  }
}

/** An array onto SubmodelElementList.value, position by position; it may be shorter, never longer. */
function applyToList(ctx: PatchContext, items: Node[] | undefined, value: unknown): void {
  if (!Array.isArray(value)) {
    ctx.fail(`expected an array, got ${describe(value)}`);
    return;
  }
  const length = items?.length ?? 0;
  if (value.length > length) {
    ctx.fail(`the list has ${length} element(s) but the value ${value.length}: a $value PATCH cannot add elements`);
    return;
  }
  value.forEach((itemValue, i) => ctx.at(i, () => applyToElement(ctx, items![i], itemValue)));
}

/** The value as an object with only `allowed` keys, else undefined (and the problem recorded). */
function objectOf(ctx: PatchContext, el: Node, value: unknown, allowed: readonly string[]): Node | undefined {
  if (!isObject(value)) {
    ctx.fail(`expected an object with ${allowed.join(', ')} for a ${String(el.modelType)}, got ${describe(value)}`);
    return undefined;
  }
  const unknown = Object.keys(value).filter((k) => !allowed.includes(k));
  for (const key of unknown) ctx.fail(`a ${String(el.modelType)} has no "${key}" in its ValueOnly form (only ${allowed.join(', ')})`, key);
  return unknown.length === 0 ? value : undefined;
}

/** Property.value, Range.min/max: converted back to the XSD literal of the element's valueType. */
function setLiteral(ctx: PatchContext, el: Node, field: string, json: unknown): void {
  const valueType = el.valueType as string;
  const current = el[field];
  if (typeof current === 'string' && isDeepStrictEqual(xsdValueToJson(valueType, current), json)) return;
  const literal = jsonToXsdValue(valueType, json);
  if ('error' in literal) ctx.fail(literal.error);
  else el[field] = literal.text;
}

/** `[{"en": "Label"}, {"de": "Bezeichnung"}]` → LangStringTextType[]. */
function setLangStrings(ctx: PatchContext, el: Node, value: unknown): void {
  if (!Array.isArray(value) || value.length === 0) {
    ctx.fail(`expected a non-empty array of {language: text} objects, got ${Array.isArray(value) ? 'an empty array' : describe(value)}`);
    return;
  }
  const texts: Node[] = [];
  value.forEach((item, i) =>
    ctx.at(i, () => {
      if (!isObject(item) || Object.keys(item).length === 0) {
        ctx.fail(`expected an object {language: text}, got ${describe(item)}`);
        return;
      }
      for (const [language, text] of Object.entries(item)) {
        const langString = { language, text };
        ctx.at(language, () =>
          checkSchema('LangStringTextType', langString).forEach((issue) =>
            ctx.fail(issue.path === '$.language' ? `the language ${issue.message}` : `the text ${issue.message}`),
          ),
        );
        texts.push(langString);
      }
    }),
  );
  el.value = texts;
}

/**
 * Base64 as the Normal form accepts it for Blob.value: the RFC 4648 §4 alphabet, padding optional (§3.2 allows
 * leaving it out when the length is known), so a value GET …/$value gave can always be PATCHed back.
 */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2,3}(?:={0,2})?)?$/;

/** `{"contentType": .., "value": ..}`; for a Blob the value is base64. */
function setFileOrBlob(ctx: PatchContext, el: Node, value: unknown): void {
  const o = objectOf(ctx, el, value, ['contentType', 'value']);
  if (o === undefined) return;
  const probe: Node = {};
  for (const key of ['contentType', 'value']) {
    if (o[key] == null) continue;
    if (typeof o[key] !== 'string') ctx.fail(`expected a string, got ${describe(o[key])}`, key);
    else probe[key] = o[key];
  }
  if (el.modelType === 'Blob' && typeof probe.value === 'string' && !BASE64.test(probe.value.replace(/\s+/g, ''))) {
    ctx.fail('a Blob value must be base64 (RFC 4648 §4)', 'value');
    delete probe.value;
  }
  if (checkFields(ctx, el.modelType as ValidationClass, probe)) Object.assign(el, probe);
}

function setEntity(ctx: PatchContext, el: Node, value: unknown): void {
  const o = objectOf(ctx, el, value, ['statements', 'entityType', 'globalAssetId', 'specificAssetIds']);
  if (o === undefined) return;
  if (o.statements != null) ctx.at('statements', () => applyToNamespace(ctx, el.statements as Node[] | undefined, o.statements));
  const probe: Node = {};
  if (o.entityType != null) probe.entityType = o.entityType;
  if (o.globalAssetId != null) probe.globalAssetId = o.globalAssetId;
  if (o.specificAssetIds != null) {
    if (!Array.isArray(o.specificAssetIds) || o.specificAssetIds.length === 0) {
      ctx.fail(`expected a non-empty array of SpecificAssetIds, got ${Array.isArray(o.specificAssetIds) ? 'an empty array' : describe(o.specificAssetIds)}`, 'specificAssetIds');
    } else {
      const current = (el.specificAssetIds ?? []) as Node[];
      probe.specificAssetIds = o.specificAssetIds.map((item: unknown) => specificAssetId(item, current));
    }
  }
  if (checkFields(ctx, 'Entity', probe)) Object.assign(el, probe);
}

/**
 * A SpecificAssetId in Normal form, or `{name: value}` (keeping the other fields of an entry with that name). An
 * object with a `name` or `value` key is read as Normal form, so `{"name": "x"}` is an incomplete one.
 */
function specificAssetId(item: unknown, current: readonly Node[]): unknown {
  if (isObject(item) && !('name' in item) && !('value' in item)) {
    const keys = Object.keys(item);
    if (keys.length === 1 && typeof item[keys[0]] === 'string') {
      const earlier = current.find((c) => c.name === keys[0]);
      return { ...(earlier ? structuredClone(earlier) : {}), name: keys[0], value: item[keys[0]] };
    }
  }
  return structuredClone(item);
}

function setReference(ctx: PatchContext, el: Node, field: string, value: unknown): void {
  const issues = checkSchema('Reference', value);
  if (issues.length > 0) ctx.failWith(issues);
  else el[field] = structuredClone(value);
}

/** ARE annotations: `{idShort: v}`, or Part 1's example form `[{idShort: v}, ...]` merged into one object. */
function annotationsObject(ctx: PatchContext, value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  const merged: Node = {};
  value.forEach((item, i) => {
    if (!isObject(item)) ctx.fail(`expected an object {idShort: value}, got ${describe(item)}`, i);
    else {
      for (const [idShort, v] of Object.entries(item)) {
        if (Object.hasOwn(merged, idShort)) ctx.fail('this idShort appears twice in annotations', i, idShort);
        merged[idShort] = v;
      }
    }
  });
  return merged;
}

/**
 * Checks the fields of `probe` (ValueOnly keys that are also the element's field names) against the element
 * class's schema; true when they conform. Only the fields given are checked, not the rest of the element.
 */
function checkFields(ctx: PatchContext, cls: ValidationClass, probe: Node): boolean {
  if (Object.keys(probe).length === 0) return true;
  const issues = checkSchema(cls, { modelType: cls, ...probe });
  ctx.failWith(issues);
  return issues.length === 0;
}

function isObject(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
