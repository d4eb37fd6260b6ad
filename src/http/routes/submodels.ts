/** SubmodelRepositoryServiceSpecification: the `/submodels` lists (the per-submodel routes are in submodel-api.ts). */
import { applyContentModifiersToJson } from '../../model/modifiers.js';
import { toPagedJson, toPagedResult } from '../../model/paging.js';
import type { SubmodelFilter } from '../../store/store.js';
import { submodelPaths } from '../../model/element-projections.js';
import { submodelToValueOnly } from '../../model/value-only/index.js';
import { modifiersOf, pageOf, submodelFilter } from '../query.js';

import { ok, okJson, type Route } from '../route.js';
import { createRoute, referenceListRoute, type IdentifiableRoutesSpec } from './identifiable-routes.js';

const SUBMODEL = { modelType: 'Submodel' };

const submodels: IdentifiableRoutesSpec<SubmodelFilter> = {
  collection: '/submodels',
  idParam: 'submodelIdentifier',
  repository: (s) => s.submodels,
  filter: submodelFilter,
};

export const submodelRoutes: Route[] = [
  {
    method: 'GET',
    path: '/submodels',
    async handle(req, s) {
      const modifiers = modifiersOf(req, SUBMODEL, 'GET', 'normal');
      const page = await s.submodels.listJson(submodelFilter(req), pageOf(req, s));
      return okJson(toPagedJson(page, (json) => applyContentModifiersToJson(json, modifiers)));
    },
  },
  createRoute(submodels),
  referenceListRoute(submodels, 'Submodel'),
  {
    method: 'GET',
    path: '/submodels/$metadata',
    async handle(req, s) {
      modifiersOf(req, SUBMODEL, 'GET', '$metadata');
      return ok(toPagedResult(await s.submodels.listMetadata(submodelFilter(req), pageOf(req, s))));
    },
  },
  {
    // The official result schema is one SubmodelValue; for a paged list of submodels we serve one per submodel.
    method: 'GET',
    path: '/submodels/$value',
    async handle(req, s) {
      const m = modifiersOf(req, SUBMODEL, 'GET', '$value');
      return ok(toPagedResult(await s.submodels.list(submodelFilter(req), pageOf(req, s)), (sm) => submodelToValueOnly(sm, m)));
    },
  },
  {
    // One entry per submodel: the array of its idShortPaths (a flat list would not say which submodel a path is in).
    method: 'GET',
    path: '/submodels/$path',
    async handle(req, s) {
      const m = modifiersOf(req, SUBMODEL, 'GET', '$path');
      return ok(toPagedResult(await s.submodels.list(submodelFilter(req), pageOf(req, s)), (sm) => submodelPaths(sm, m.level)));
    },
  },
];
