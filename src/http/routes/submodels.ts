/** SubmodelRepositoryServiceSpecification: the `/submodels` lists (the per-submodel routes are in submodel-api.ts). */
import { encodeId } from '../../model/identifiers.js';
import { applyContentModifiersToJson, checkProjectionModifiers, parseContentModifiers, submodelMetadata } from '../../model/modifiers.js';
import { toPagedJson, toPagedResult } from '../../model/paging.js';
import { modelReference } from '../../model/references.js';
import type { Submodel } from '../../model/types.js';
import { pageOf, submodelFilter } from '../query.js';
import { ok, okJson, written, type Route } from '../route.js';

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
  {
    method: 'POST',
    path: '/submodels',
    jsonBody: true,
    async handle(req, s) {
      const result = await s.submodels.create(req.body);
      return written(result, `${s.config.basePath}/submodels/${encodeId(result.doc.id)}`);
    },
  },
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
