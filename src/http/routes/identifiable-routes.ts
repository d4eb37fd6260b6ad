/**
 * The CRUD routes every repository of Identifiables has (Part 2): list with filters and paging, POST, and
 * GET/PUT/DELETE by base64url id. Reads pass the stored JSON through.
 */
import { encodeId } from '../../model/identifiers.js';
import { toPagedJson, toPagedResult } from '../../model/paging.js';
import { modelReference } from '../../model/references.js';
import type { IdentifiableRepository } from '../../services/identifiable-repository.js';
import type { ApiRequest } from '../api-request.js';
import { modifiersOf, pageOf, pathId } from '../query.js';
import { noContent, ok, okJson, written, type Route, type Services } from '../route.js';

export interface IdentifiableRoutesSpec<F> {
  /** The collection's path, e.g. `/shells`. */
  collection: string;
  /** The id's path parameter, e.g. `aasIdentifier`. */
  idParam: string;
  repository(s: Services): IdentifiableRepository<{ id: string }, F>;
  filter(req: ApiRequest): F;
}

const itemPath = <F>(spec: IdentifiableRoutesSpec<F>) => `${spec.collection}/{${spec.idParam}}`;
const location = <F>(spec: IdentifiableRoutesSpec<F>, s: Services, id: string) => `${s.config.basePath}${spec.collection}/${encodeId(id)}`;

export function listRoute<F>(spec: IdentifiableRoutesSpec<F>): Route {
  return {
    method: 'GET',
    path: spec.collection,
    async handle(req, s) {
      return okJson(toPagedJson(await spec.repository(s).listJson(spec.filter(req), pageOf(req, s))));
    },
  };
}

export function createRoute<F>(spec: IdentifiableRoutesSpec<F>): Route {
  return {
    method: 'POST',
    path: spec.collection,
    jsonBody: true,
    async handle(req, s) {
      const result = await spec.repository(s).create(req.body);
      return written(result, location(spec, s, result.doc.id));
    },
  };
}

export function getRoute<F>(spec: IdentifiableRoutesSpec<F>): Route {
  return {
    method: 'GET',
    path: itemPath(spec),
    async handle(req, s) {
      return okJson(await spec.repository(s).getJson(pathId(req, spec.idParam)));
    },
  };
}

export function putRoute<F>(spec: IdentifiableRoutesSpec<F>): Route {
  return {
    method: 'PUT',
    path: itemPath(spec),
    jsonBody: true,
    async handle(req, s) {
      const id = pathId(req, spec.idParam);
      return written(await spec.repository(s).put(id, req.body), location(spec, s, id));
    },
  };
}

export function deleteRoute<F>(spec: IdentifiableRoutesSpec<F>): Route {
  return {
    method: 'DELETE',
    path: itemPath(spec),
    async handle(req, s) {
      await spec.repository(s).delete(pathId(req, spec.idParam));
      return noContent();
    },
  };
}

/**
 * `<collection>/$reference`: the page as ModelReferences (`level=core` only, Part 2). `keyType` is the class of
 * the collection's documents, which names the reference's key and selects the modifier rules.
 */
export function referenceListRoute<F>(spec: IdentifiableRoutesSpec<F>, keyType: 'AssetAdministrationShell' | 'Submodel'): Route {
  return {
    method: 'GET',
    path: `${spec.collection}/$reference`,
    async handle(req, s) {
      modifiersOf(req, { modelType: keyType }, 'GET', '$reference');
      const page = await spec.repository(s).listIds(spec.filter(req), pageOf(req, s));
      return ok(toPagedResult(page, (id) => modelReference(keyType, id)));
    },
  };
}

/** All five, for a repository whose routes need nothing special. */
export function identifiableRoutes<F>(spec: IdentifiableRoutesSpec<F>): Route[] {
  return [listRoute(spec), createRoute(spec), getRoute(spec), putRoute(spec), deleteRoute(spec)];
}
