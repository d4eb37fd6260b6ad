/**
 * GenerateSerializationByIds: `GET /serialization`. The Accept header picks the format: JSON, the AAS XML
 * serialization (metamodel 3.1), or an AASX package (Part 5) with the XML 3.1 AAS part and the stored files;
 * anything else is 406.
 */
import { Readable } from 'node:stream';
import type { ApiRequest } from '../api-request.js';
import { environmentToXml } from '../../interchange/xml/index.js';
import { BadRequest, NotAcceptable } from '../../errors.js';
import { exportPackage } from '../../services/package-export.js';
import { serializeEnvironment } from '../../services/serialization.js';
import { attachmentDisposition } from '../content-disposition.js';
import { queryIds, single } from '../query.js';
import { ok, PACKAGE_WARNINGS_HEADER, textListHeader, type Route } from '../route.js';

const XML = ['application/xml', 'text/xml'];
/** Part 2 names the first; the second is the older spelling clients still send. Both get the first back. */
const PACKAGE = ['application/asset-administration-shell-package+xml', 'application/aasx+xml'];

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
      const format = req.accepts(['application/json', ...XML, ...PACKAGE]);
      if (format === false) {
        throw new NotAcceptable(`Serialization is available as application/json, application/xml and ${PACKAGE[0]}`);
      }
      const env = await serializeEnvironment(s.store, {
        aasIds: queryIds(req, 'aasIds'),
        submodelIds: queryIds(req, 'submodelIds'),
        includeConceptDescriptions: includeConceptDescriptions(req),
      });
      if (format === 'application/json') return ok(env);
      if (PACKAGE.includes(format)) {
        // Routes have no logger (Services carries none): what is known before the first byte goes in a header;
        // what the writer meets while streaming (content deleted meanwhile) can only end up as a missing part.
        const exported = await exportPackage(s.store, env);
        const headers: Record<string, string> = {
          'Content-Type': PACKAGE[0],
          'Content-Disposition': attachmentDisposition('environment.aasx'),
        };
        if (exported.warnings.length > 0) headers[PACKAGE_WARNINGS_HEADER] = textListHeader(exported.warnings);
        return { status: 200, stream: exported.content, headers };
      }
      return { status: 200, stream: Readable.from([environmentToXml(env)]), headers: { 'Content-Type': `${format}; charset=utf-8` } };
    },
  },
];
