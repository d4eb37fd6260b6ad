/** ConceptDescriptionRepositoryServiceSpecification SSP-001. */
import { encodeId } from '../../model/identifiers.js';
import { toPagedJson } from '../../model/paging.js';
import { conceptDescriptionFilter, pageOf, pathId } from '../query.js';
import { noContent, okJson, written, type Route } from '../route.js';

const CD = '/concept-descriptions/{cdIdentifier}';

export const conceptDescriptionRoutes: Route[] = [
  {
    method: 'GET',
    path: '/concept-descriptions',
    async handle(req, s) {
      return okJson(toPagedJson(await s.conceptDescriptions.listJson(conceptDescriptionFilter(req), pageOf(req, s))));
    },
  },
  {
    method: 'POST',
    path: '/concept-descriptions',
    jsonBody: true,
    async handle(req, s) {
      const result = await s.conceptDescriptions.create(req.body);
      return written(result, `${s.config.basePath}/concept-descriptions/${encodeId(result.doc.id)}`);
    },
  },
  {
    method: 'GET',
    path: CD,
    async handle(req, s) {
      return okJson(await s.conceptDescriptions.getJson(pathId(req, 'cdIdentifier')));
    },
  },
  {
    method: 'PUT',
    path: CD,
    jsonBody: true,
    async handle(req, s) {
      const id = pathId(req, 'cdIdentifier');
      return written(await s.conceptDescriptions.put(id, req.body), `${s.config.basePath}/concept-descriptions/${encodeId(id)}`);
    },
  },
  {
    method: 'DELETE',
    path: CD,
    async handle(req, s) {
      await s.conceptDescriptions.delete(pathId(req, 'cdIdentifier'));
      return noContent();
    },
  },
];
