/**
 * GenerateSerializationByIds: `GET /serialization`. The Accept header picks the format; JSON is served now,
 * XML and AASX packages are recognised and answered 501 until they are implemented, anything else is 406.
 */
import type { ApiRequest } from '../api-request.js';
import { BadRequest, NotAcceptable, NotImplemented } from '../../errors.js';
import { serializeEnvironment } from '../../services/serialization.js';
import { queryIds, single } from '../query.js';
import { ok, type Route } from '../route.js';

const LATER = ['application/xml', 'text/xml', 'application/asset-administration-shell-package+xml', 'application/aasx+xml'];

function includeConceptDescriptions(req: ApiRequest): boolean {
  const v = single(req, 'includeConceptDescriptions');
  if (v === undefined || v === 'true') return true;
  if (v === 'false') return false;
  throw new BadRequest('includeConceptDescriptions must be true or false');
}

export const serializationRoutes: Route[] = [
  {
    method: 'GET',
    path: '/serialization',
    async handle(req, s) {
      const format = req.accepts(['application/json', ...LATER]);
      if (format === false) throw new NotAcceptable('Serialization is available as application/json');
      if (format !== 'application/json') throw new NotImplemented(`Serialization as ${format} is not supported by this server version`);
      const env = await serializeEnvironment(s.store, {
        aasIds: queryIds(req, 'aasIds'),
        submodelIds: queryIds(req, 'submodelIds'),
        includeConceptDescriptions: includeConceptDescriptions(req),
      });
      return ok(env);
    },
  },
];
