/** SubmodelRepositoryServiceSpecification: the `/submodels` lists (the per-submodel routes are in submodel-api.ts). */
import { applyContentModifiersToJson, checkModifiers, checkProjectionModifiers, parseContentModifiers, submodelMetadata } from '../../model/modifiers.js';
import { toPagedJson, toPagedResult } from '../../model/paging.js';
import { modelReference } from '../../model/references.js';
import type { Submodel } from '../../model/types.js';
import { submodelPaths } from '../../model/element-projections.js';
import { submodelToValueOnly } from '../../model/value-only/index.js';
import { pageOf, single, submodelFilter } from '../query.js';
import { ok, okJson, type Route } from '../route.js';
import { createRoute } from './identifiable-routes.js';

const toReference = (sm: Submodel) => modelReference('Submodel', sm.id);

export const submodelRoutes: Route[] = [
  {
    method: 'GET',
    path: '/submodels',
    async handle(req, s) {
      const modifiers = parseContentModifiers(req.query.level, req.query.extent);
      const page = await s.submodels.listJson(submodelFilter(req), pageOf(req, s));
      return okJson(toPagedJson(page, (json) => applyContentModifiersToJson(json, modifiers)));
    },
  },
  createRoute({ collection: '/submodels', idParam: 'submodelIdentifier', repository: (s) => s.submodels, filter: submodelFilter }),
  {
    method: 'GET',
    path: '/submodels/$metadata',
    async handle(req, s) {
      checkProjectionModifiers('$metadata', req.query.level, req.query.extent);
      return ok(toPagedResult(await s.submodels.list(submodelFilter(req), pageOf(req, s)), submodelMetadata));
    },
  },
  {
    method: 'GET',
    path: '/submodels/$reference',
    async handle(req, s) {
      checkProjectionModifiers('$reference', req.query.level, req.query.extent);
      return ok(toPagedResult(await s.submodels.list(submodelFilter(req), pageOf(req, s)), toReference));
    },
  },
  {
    // The official result schema is one SubmodelValue; for a paged list of submodels we serve one per submodel.
    method: 'GET',
    path: '/submodels/$value',
    async handle(req, s) {
      const m = checkModifiers({ modelType: 'Submodel' }, { method: 'GET', content: '$value', level: single(req, 'level'), extent: single(req, 'extent') });
      return ok(toPagedResult(await s.submodels.list(submodelFilter(req), pageOf(req, s)), (sm) => submodelToValueOnly(sm, m)));
    },
  },
  {
    // One entry per submodel: the array of its idShortPaths (a flat list would not say which submodel a path is in).
    method: 'GET',
    path: '/submodels/$path',
    async handle(req, s) {
      const m = checkModifiers({ modelType: 'Submodel' }, { method: 'GET', content: '$path', level: single(req, 'level'), extent: single(req, 'extent') });
      return ok(toPagedResult(await s.submodels.list(submodelFilter(req), pageOf(req, s)), (sm) => submodelPaths(sm, m.level)));
    },
  },
];
