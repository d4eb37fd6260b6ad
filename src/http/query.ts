/** Reading path ids, paging and filters from a request; every malformed value is a 400 naming the parameter. */
import type { ApiRequest } from './api-request.js';
import { BadRequest } from '../errors.js';
import { decodeId } from '../model/identifiers.js';
import { checkModifiers, type Content, type ContentModifiers, type ModifierMethod } from '../model/modifiers.js';
import { parsePageRequest } from '../model/paging.js';
import type { Reference } from '../model/types.js';
import type { AssetIdCriterion, ConceptDescriptionFilter, PageRequest, SemanticIdCriterion, ShellFilter, SubmodelFilter } from '../store/store.js';
import type { Services } from './route.js';

/** Largest decoded semanticId filter value (AASa-002). */
const MAX_SEMANTIC_ID = 3072;

export function pathId(req: ApiRequest, name: string): string {
  return decodeId(String(req.params[name]), name);
}

/** The `level`/`extent` of a request for `target` (a modelType), after the Part 2 rules for method and content. */
export function modifiersOf(req: ApiRequest, target: { modelType: string }, method: ModifierMethod, content: Content): ContentModifiers {
  return checkModifiers(target, { method, content, level: single(req, 'level'), extent: single(req, 'extent') });
}

export function pageOf(req: ApiRequest, services: Services): PageRequest {
  return parsePageRequest(req.query.limit, req.query.cursor, services.config.maxPageLimit);
}

/** A query value given at most once. */
export function single(req: ApiRequest, name: string): string | undefined {
  const v = req.query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string') throw new BadRequest(`query parameter ${name} must be given once`);
  return v;
}

/** Repeated (`?x=a&x=b`) or comma-separated (`?x=a,b`) base64url identifiers (Part 2 allows both readings). */
export function queryIds(req: ApiRequest, name: string): string[] | undefined {
  const v = req.query[name];
  if (v === undefined) return undefined;
  const raw = (Array.isArray(v) ? v : [v]).flatMap((x) => (typeof x === 'string' ? x.split(',') : []));
  return raw.filter((x) => x !== '').map((x) => decodeId(x, name));
}

function jsonQuery(req: ApiRequest, name: string, raw: string): unknown {
  const text = decodeId(raw, name);
  try {
    return JSON.parse(text);
  } catch {
    throw new BadRequest(`${name} must be base64url-encoded JSON`);
  }
}

function isReference(v: unknown): v is Reference {
  const r = v as Reference;
  return (
    typeof v === 'object' && v !== null && (r.type === 'ModelReference' || r.type === 'ExternalReference') &&
    Array.isArray(r.keys) && r.keys.length > 0 &&
    r.keys.every((k) => typeof k === 'object' && k !== null && typeof k.type === 'string' && typeof k.value === 'string')
  );
}

function referenceQuery(req: ApiRequest, name: string): Reference | undefined {
  const raw = single(req, name);
  if (raw === undefined) return undefined;
  const ref = jsonQuery(req, name, raw);
  if (!isReference(ref)) throw new BadRequest(`${name} must be a base64url-encoded JSON Reference with type and keys`);
  return ref;
}

function idShort(req: ApiRequest): string | undefined {
  const v = single(req, 'idShort');
  if (v === '') throw new BadRequest('idShort must not be empty');
  return v;
}

/**
 * `assetIds`: repeatable; each value is base64url JSON of a SpecificAssetId `{name, value}`, or of an array of
 * them (the prose example's form). All must match.
 */
export function shellFilter(req: ApiRequest): ShellFilter {
  const v = req.query.assetIds;
  const values = v === undefined ? [] : Array.isArray(v) ? v : [v];
  const assetIds: AssetIdCriterion[] = [];
  for (const raw of values) {
    if (typeof raw !== 'string') throw new BadRequest('assetIds must be base64url-encoded JSON');
    const parsed = jsonQuery(req, 'assetIds', raw);
    for (const item of Array.isArray(parsed) ? parsed : [parsed]) {
      const { name, value } = (item ?? {}) as Record<string, unknown>;
      if (typeof name !== 'string' || typeof value !== 'string') {
        throw new BadRequest('assetIds must hold objects with string "name" and "value"');
      }
      assetIds.push({ name, value });
    }
  }
  return { idShort: idShort(req), ...(assetIds.length > 0 ? { assetIds } : {}) };
}

/** `semanticId`: a base64url JSON Reference, or base64url of a plain key value (aas-specs-api #342 leaves both open). */
export function submodelFilter(req: ApiRequest): SubmodelFilter {
  const raw = single(req, 'semanticId');
  let semanticId: SemanticIdCriterion | undefined;
  if (raw !== undefined) {
    const text = decodeId(raw, 'semanticId');
    if (text.length > MAX_SEMANTIC_ID) throw new BadRequest(`semanticId is longer than ${MAX_SEMANTIC_ID} characters (AASa-002)`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    semanticId = isReference(parsed) ? { reference: parsed } : { keyValue: text };
  }
  return { idShort: idShort(req), ...(semanticId ? { semanticId } : {}) };
}

export function conceptDescriptionFilter(req: ApiRequest): ConceptDescriptionFilter {
  const isCaseOf = referenceQuery(req, 'isCaseOf');
  const dataSpecificationRef = referenceQuery(req, 'dataSpecificationRef');
  return { idShort: idShort(req), ...(isCaseOf ? { isCaseOf } : {}), ...(dataSpecificationRef ? { dataSpecificationRef } : {}) };
}
