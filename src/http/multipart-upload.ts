/**
 * Reading an upload (Part 2 PutFileByPath / PutThumbnail, PostAASXPackage / PutAASXByPackageId): a
 * multipart/form-data body with a `file` part (the bytes), a `fileName` part and, for packages, `aasIds` parts.
 * The bytes are handed on as a stream the moment the file part begins, so nothing holds the whole upload; the
 * parts may come in either order, so the file name and the other fields are known only once the body has ended
 * (`details`).
 */
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { BadRequest, UnsupportedMediaType } from '../errors.js';
import type { Upload, UploadDetails } from '../services/attachments.js';
import type { ApiRequest } from './api-request.js';

export interface MultipartUpload extends Upload {
  /** Stops parsing and discards the rest of the request body, e.g. after a 413, so the answer can be sent. */
  abandon(): void;
}

const MULTIPART = /^multipart\/form-data\s*;/i;
const ABANDON_LINGER_MS = 2000;

/**
 * Resolves when the `file` part starts; rejects (400/415) when the body is not such a multipart body. `maxFields`:
 * how many small fields the body may carry besides the file (a package upload lists its shells' ids).
 */
export function readMultipartUpload(req: ApiRequest, options: { maxFields?: number } = {}): Promise<MultipartUpload> {
  const maxFields = options.maxFields ?? 16;
  const contentType = req.headers['content-type'];
  if (contentType === undefined || !MULTIPART.test(contentType)) {
    throw new UnsupportedMediaType(`Expected a multipart/form-data body with parts file and fileName, got ${contentType ?? 'no Content-Type'}`);
  }
  let parser: busboy.Busboy;
  try {
    // Small fields only (the file name, shell ids); one file part; names in filename*= are UTF-8 (RFC 7578 §4.2).
    parser = busboy({ headers: req.headers, limits: { files: 1, fields: maxFields, fieldSize: 16 * 1024, parts: maxFields + 16 }, defParamCharset: 'utf8' });
  } catch (e) {
    throw new BadRequest(`Malformed multipart/form-data request: ${(e as Error).message}`);
  }
  const body: IncomingMessage = req.bodyStream;

  return new Promise<MultipartUpload>((resolve, reject) => {
    const fields = new Map<string, string[]>();
    let partFileName: string | undefined;
    let partType: string | undefined;
    let file: Readable | undefined;
    let settleDetails: { resolve(d: UploadDetails): void; reject(e: Error): void } | undefined;
    const details = new Promise<UploadDetails>((res, rej) => (settleDetails = { resolve: res, reject: rej }));
    details.catch(() => {}); // observed by the consumer when it gets that far; never an unhandled rejection

    const abandon = () => {
      body.unpipe(parser);
      parser.removeAllListeners('file');
      body.resume(); // drain what the client still sends, so it reads our answer instead of a reset
      // ...for a moment: a client still sending after that loses the connection rather than holding it.
      const linger = setTimeout(() => body.complete || body.socket?.destroy(), ABANDON_LINGER_MS);
      linger.unref();
      body.once('end', () => clearTimeout(linger));
    };
    const fail = (error: Error) => {
      if (file === undefined) {
        abandon();
        reject(error);
      } else {
        settleDetails!.reject(error);
        file.destroy(error);
      }
    };

    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) return fail(new BadRequest(`The multipart part ${name} is too long`));
      fields.set(name, [...(fields.get(name) ?? []), value]);
    });
    parser.on('file', (name, stream, info) => {
      if (name !== 'file' || file !== undefined) {
        stream.resume(); // not ours: skip its bytes
        return;
      }
      file = stream;
      partFileName = info.filename;
      partType = info.mimeType;
      resolve({ content: stream, details, abandon });
    });
    // Never drop fields silently: a package upload's aasIds would go missing.
    parser.on('fieldsLimit', () => fail(new BadRequest(`The multipart body has more than ${maxFields} fields`)));
    parser.on('partsLimit', () => fail(new BadRequest(`The multipart body has more than ${maxFields + 16} parts`)));
    parser.on('error', (e: Error) => fail(new BadRequest(`Malformed multipart/form-data body: ${e.message}`)));
    parser.on('close', () => {
      if (file === undefined) return fail(new BadRequest('The multipart body has no file part named "file"'));
      const name = fields.get('fileName')?.at(-1) || partFileName;
      if (!name) return settleDetails!.reject(new BadRequest('The multipart body has no fileName part'));
      settleDetails!.resolve({ fileName: name, contentType: partType, fields });
    });
    body.on('close', () => {
      if (!body.complete) fail(new BadRequest('The request body ended before it was complete'));
    });
    body.pipe(parser);
  });
}
