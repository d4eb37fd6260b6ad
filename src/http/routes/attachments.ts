/**
 * Attachment routes (Part 2): `.../submodel-elements/{idShortPath}/attachment` under both submodel doors, and
 * `/shells/{aasIdentifier}/asset-information/thumbnail`. GET streams the bytes; PUT takes multipart/form-data
 * (`file`, `fileName`) and streams it on; DELETE removes the content. Statuses per Part 2 V3.1.2: PUT 204,
 * DELETE 200 (the only success code of DeleteFileByPath, and one of the two of DeleteThumbnail).
 */
import { ServiceError } from '../../errors.js';
import type { Download, Upload } from '../../services/attachments.js';
import type { ValidationIssue } from '../../validation/issues.js';
import type { ApiRequest } from '../api-request.js';
import { attachmentDisposition } from '../content-disposition.js';
import { readMultipartUpload, type MultipartUpload } from '../multipart-upload.js';
import { pathId } from '../query.js';
import { resultReply } from '../respond.js';
import { noContent, withWarnings, type Reply, type Route } from '../route.js';
import type { SubmodelDoor } from './submodel-api.js';

const idShortPath = (req: ApiRequest) => String(req.params.idShortPath);
const aasId = (req: ApiRequest) => pathId(req, 'aasIdentifier');

export function downloadReply(d: Download): Reply {
  return {
    status: 200,
    stream: d.content,
    headers: {
      'Content-Type': d.contentType,
      'Content-Length': String(d.size),
      'Content-Disposition': attachmentDisposition(d.fileName),
      // Uploaded bytes are served as declared, never sniffed into something a browser would run.
      'X-Content-Type-Options': 'nosniff',
    },
  };
}

/**
 * Runs a write that reads the request's multipart body through `receive`. When it fails while the body is
 * still arriving (e.g. 413 half-way through a large upload), the answer says `Connection: close`: node stops
 * reading a request once its response is out, so the connection could not carry another request anyway, and
 * a client that finishes sending before it reads learns to stop instead of waiting on a stalled socket.
 */
export async function withUpload(
  req: ApiRequest,
  write: (receive: () => Promise<Upload>) => Promise<Reply>,
  options: { maxFields?: number } = {},
): Promise<Reply> {
  let upload: MultipartUpload | undefined;
  try {
    return await write(async () => (upload = await readMultipartUpload(req, options)));
  } catch (error) {
    upload?.abandon();
    if (!(error instanceof ServiceError) || req.bodyStream.complete) throw error;
    return { ...resultReply(error.status, error.message, req.id, error.details), headers: { Connection: 'close' } };
  }
}

const deleted = (warnings: ValidationIssue[]): Reply => withWarnings({ status: 200 }, warnings);
const uploaded = (warnings: ValidationIssue[]): Reply => withWarnings(noContent(), warnings);

export function attachmentRoutes(door: SubmodelDoor): Route[] {
  const path = `${door.root}/submodel-elements/{idShortPath}/attachment`;
  return [
    {
      method: 'GET',
      path,
      async handle(req, s) {
        return downloadReply(await s.attachments.readElement(await door.submodelId(req, s), idShortPath(req)));
      },
    },
    {
      method: 'PUT',
      path,
      async handle(req, s) {
        const id = await door.submodelId(req, s);
        return withUpload(req, async (receive) => uploaded(await s.attachments.writeElement(id, idShortPath(req), receive)));
      },
    },
    {
      method: 'DELETE',
      path,
      async handle(req, s) {
        return deleted(await s.attachments.clearElement(await door.submodelId(req, s), idShortPath(req)));
      },
    },
  ];
}

/** The thumbnail of a shell; `shellPath` is the shell's route template (`/shells/{aasIdentifier}`). */
export function thumbnailRoutes(shellPath: string): Route[] {
  const path = `${shellPath}/asset-information/thumbnail`;
  return [
    {
      method: 'GET',
      path,
      async handle(req, s) {
        return downloadReply(await s.attachments.readThumbnail(aasId(req)));
      },
    },
    {
      method: 'PUT',
      path,
      async handle(req, s) {
        const id = aasId(req);
        return withUpload(req, async (receive) => uploaded(await s.attachments.writeThumbnail(id, receive)));
      },
    },
    {
      method: 'DELETE',
      path,
      async handle(req, s) {
        return deleted(await s.attachments.clearThumbnail(aasId(req)));
      },
    },
  ];
}
