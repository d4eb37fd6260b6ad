/** SubmodelRepositoryServiceSpecification: the `/submodels` lists (the per-submodel routes are in submodel-api.ts). */
import { applyContentModifiersToJson, checkProjectionModifiers, parseContentModifiers, submodelMetadata } from '../../model/modifiers.js';
import { toPagedJson, toPagedResult } from '../../model/paging.js';
import { modelReference } from '../../model/references.js';
import type { Submodel } from '../../model/types.js';
import { pageOf, submodelFilter } from '../query.js';
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
];
