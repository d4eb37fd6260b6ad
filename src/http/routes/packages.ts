/**
 * The AASX File Server (Part 2 AasxFileServerServiceSpecification SSP-001): `/packages` list, upload, download,
 * replace and delete. Uploads are multipart/form-data with `file`, `fileName` and `aasIds`; the optional query
 * parameter `overwrite=true` lets an upload replace shells and submodels that exist already (the rules are in
 * services/aasx-file-server.ts).
 */
import { BadRequest } from '../../errors.js';
import { decodeId, encodeId } from '../../model/identifiers.js';
import { toPagedResult } from '../../model/paging.js';
import type { PackageUploadResult } from '../../services/aasx-file-server.js';
import type { ApiRequest } from '../api-request.js';
import { pageOf, pathId, single } from '../query.js';
import { noContent, ok, PACKAGE_WARNINGS_HEADER, textListHeader, withWarnings, type Reply, type Route, type Services } from '../route.js';
import { downloadReply, withUpload } from './attachments.js';

/** A package upload may list many shells in `aasIds`. */
const MAX_UPLOAD_FIELDS = 1000;
const packageId = (req: ApiRequest) => pathId(req, 'packageId');

function overwrite(req: ApiRequest): boolean {
  const v = single(req, 'overwrite');
  if (v === undefined || v === 'false') return false;
  if (v === 'true') return true;
  throw new BadRequest('overwrite must be true or false');
}

/** X-FileName: the name as is when it is printable ASCII (all a header value carries), else percent-encoded UTF-8. */
function fileNameHeader(name: string): string {
  return /^[\x20-\x7e]*$/.test(name) ? name : encodeURIComponent(name);
}

function uploadReply(result: PackageUploadResult, s: Services): Reply {
  const location = `${s.config.basePath}/packages/${encodeId(result.description.packageId)}`;
  const reply: Reply = result.created ? { status: 201, body: result.description, headers: { Location: location } } : noContent();
  if (result.notes.length > 0) reply.headers = { ...reply.headers, [PACKAGE_WARNINGS_HEADER]: textListHeader(result.notes) };
  return withWarnings(reply, result.report.warnings);
}

export const packageRoutes: Route[] = [
  {
    method: 'GET',
    path: '/packages',
    async handle(req, s) {
      const raw = single(req, 'aasId');
      const filter = raw === undefined ? {} : { aasId: decodeId(raw, 'aasId') };
      return ok(toPagedResult(await s.packages.list(filter, pageOf(req, s))));
    },
  },
  {
    method: 'POST',
    path: '/packages',
    async handle(req, s) {
      const options = { overwrite: overwrite(req) };
      return withUpload(req, async (receive) => uploadReply(await s.packages.create(await receive(), options), s), { maxFields: MAX_UPLOAD_FIELDS });
    },
  },
  {
    method: 'GET',
    path: '/packages/{packageId}',
    async handle(req, s) {
      const download = await s.packages.download(packageId(req));
      const reply = downloadReply(download);
      return { ...reply, headers: { ...reply.headers, 'X-FileName': fileNameHeader(download.fileName) } };
    },
  },
  {
    method: 'PUT',
    path: '/packages/{packageId}',
    async handle(req, s) {
      const id = packageId(req);
      const options = { overwrite: overwrite(req) };
      return withUpload(req, async (receive) => uploadReply(await s.packages.put(id, await receive(), options), s), { maxFields: MAX_UPLOAD_FIELDS });
    },
  },
  {
    method: 'DELETE',
    path: '/packages/{packageId}',
    async handle(req, s) {
      await s.packages.delete(packageId(req));
      return noContent();
    },
  },
];
