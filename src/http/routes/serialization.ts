/**
 * GenerateSerializationByIds: `GET /serialization`. The Accept header picks the format: JSON, or the AAS XML
 * serialization (metamodel 3.1); AASX packages are recognised and answered 501 until they are implemented,
 * anything else is 406.
 */
import { Readable } from 'node:stream';
import type { ApiRequest } from '../api-request.js';
import { environmentToXml } from '../../interchange/xml/index.js';
import { BadRequest, NotAcceptable, NotImplemented } from '../../errors.js';
import { serializeEnvironment } from '../../services/serialization.js';
import { queryIds, single } from '../query.js';
import { ok, type Route } from '../route.js';

const XML = ['application/xml', 'text/xml'];
const LATER = ['application/asset-administration-shell-package+xml', 'application/aasx+xml'];

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
      const format = req.accepts(['application/json', ...XML, ...LATER]);
      if (format === false) throw new NotAcceptable('Serialization is available as application/json and application/xml');
      if (LATER.includes(format)) throw new NotImplemented(`Serialization as ${format} is not supported by this server version`);
      const env = await serializeEnvironment(s.store, {
        aasIds: queryIds(req, 'aasIds'),
        submodelIds: queryIds(req, 'submodelIds'),
        includeConceptDescriptions: includeConceptDescriptions(req),
      });
      if (format === 'application/json') return ok(env);
      return { status: 200, stream: Readable.from([environmentToXml(env)]), headers: { 'Content-Type': `${format}; charset=utf-8` } };
    },
  },
];
