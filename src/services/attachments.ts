/**
 * Attachments (Part 2 GetFileByPath / PutFileByPath / DeleteFileByPath and the thumbnail operations): the content
 * of File and Blob elements and of a shell's `assetInformation.defaultThumbnail`. No HTTP types in here.
 *
 * - File: the bytes live in the store's attachment store, streamed in and out; File.value records the path they
 *   are named by (model/attachment-paths.ts). Every document change goes through the repositories' locked,
 *   validated edit.
 * - Blob: the bytes are Blob.value itself (base64, Part 1), so they live inside the submodel document; the upload
 *   is held in memory, bounded by `limits.blob`.
 */
import { Readable } from 'node:stream';
import { MethodNotAllowed, NotFound, PayloadTooLarge } from '../errors.js';
import { checkFileName, isExternalPath, newAttachmentPath } from '../model/attachment-paths.js';
import { locateElement } from '../model/element-tree.js';
import type { Submodel } from '../model/types.js';
import type { AasStore, AttachmentKey, AttachmentOwner, StoredAttachment } from '../store/store.js';
import type { ValidationIssue } from '../validation/issues.js';
import type { AttachmentSweep } from './attachment-sweep.js';
import type { ShellRepository } from './shell-repository.js';
import type { SubmodelRepository } from './submodel-repository.js';

/** What a client sent: the bytes as a stream, and the details that may only be known once it has ended. */
export interface Upload {
  content: Readable;
  /** Settles after `content` has ended (multipart fields may follow the file part). */
  details: Promise<UploadDetails>;
}

export interface UploadDetails {
  fileName: string;
  /** The media type the client declared for the bytes, if any. */
  contentType?: string;
  /** The body's other fields by name, repeated ones in order (e.g. a package upload's `aasIds`). */
  fields: ReadonlyMap<string, readonly string[]>;
}

export interface Download {
  content: Readable;
  contentType: string;
  fileName: string;
  size: number;
}

export interface AttachmentLimits {
  /** Largest File or thumbnail upload, in bytes. */
  file: number;
  /** Largest Blob upload, in bytes (it becomes base64 inside the submodel document). */
  blob: number;
}

export interface AttachmentServiceDeps {
  store: AasStore;
  sweep: AttachmentSweep;
  submodels: SubmodelRepository;
  shells: ShellRepository;
  limits: AttachmentLimits;
}

const GENERIC_TYPE = 'application/octet-stream';

/** The element at `path` if it is a File or Blob; 405 for any other kind of element. */
function attachmentElement(submodel: Submodel, path: string): FileOrBlob {
  const element = locateElement(submodel, path).element as unknown as FileOrBlob;
  if (element.modelType !== 'File' && element.modelType !== 'Blob') {
    throw new MethodNotAllowed(`The element at ${path} is a ${String(element.modelType)}; only File and Blob elements have attachments`);
  }
  return element;
}

interface FileOrBlob {
  modelType: string;
  idShort?: string;
  contentType?: string;
  value?: string;
}

/** The type to keep: the client's, unless it is only the generic octet-stream and the element declares one. */
function chosenContentType(declaredByClient: string | undefined, declaredByElement: string | undefined): string {
  if (declaredByClient && declaredByClient !== GENERIC_TYPE) return declaredByClient;
  return declaredByElement ?? declaredByClient ?? GENERIC_TYPE;
}

/** Reads a stream into memory up to `max` bytes (PayloadTooLarge beyond, without reading further). */
async function readBounded(content: Readable, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of content) {
    const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += bytes.length;
    if (size > max) throw new PayloadTooLarge(`A Blob upload exceeds the limit of ${max} bytes`);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, size);
}

function download(stored: StoredAttachment, declaredType: string | undefined): Download {
  // Part 2: the element's content type; the stored one when the element declares none.
  return { content: stored.content, contentType: declaredType ?? stored.contentType, fileName: stored.fileName, size: stored.size };
}

export class AttachmentService {
  constructor(private readonly deps: AttachmentServiceDeps) {}

  // --- File and Blob elements of a submodel ---

  async readElement(submodelId: string, path: string): Promise<Download> {
    const owner: AttachmentOwner = { kind: 'submodels', id: submodelId };
    // A second look when the bytes vanished under us: a concurrent upload may have just replaced them.
    for (let attempt = 0; ; attempt++) {
      const element = attachmentElement(await this.deps.submodels.get(submodelId), path);
      if (element.modelType === 'Blob') return blobDownload(element, path);
      const value = fileValue(element, path);
      const stored = await this.deps.store.attachments.get({ owner, name: value });
      if (stored) return download(stored, element.contentType);
      if (attempt > 0) throw new NotFound(`No content is stored for the File at ${path} (File.value "${value}")`);
    }
  }

  /**
   * Stores an upload as the element's content. `receive` starts reading the request only after the element has
   * been found, so a wrong path fails fast. Returns constraint warnings of the edit (lenient mode).
   */
  async writeElement(submodelId: string, path: string, receive: () => Promise<Upload>): Promise<ValidationIssue[]> {
    const element = attachmentElement(await this.deps.submodels.get(submodelId), path);
    const upload = await receive();
    if (element.modelType === 'Blob') return this.writeBlob(submodelId, path, upload);
    const owner: AttachmentOwner = { kind: 'submodels', id: submodelId };
    return this.storeFile(owner, upload, element.contentType, async (name, contentType) => {
      const result = await this.deps.submodels.edit(submodelId, (submodel) => {
        const file = attachmentElement(submodel, path);
        if (file.modelType !== 'File') throw new MethodNotAllowed(`The element at ${path} is no longer a File`);
        file.value = name;
        file.contentType ??= contentType;
      });
      return result.warnings;
    });
  }

  /** Removes the content: Blob.value, or File.value (the bytes go with it, see attachment-sweep.ts). */
  async clearElement(submodelId: string, path: string): Promise<ValidationIssue[]> {
    const result = await this.deps.submodels.edit(submodelId, (submodel) => {
      const element = attachmentElement(submodel, path);
      if (element.value === undefined || element.value === '') throw new NotFound(`The ${element.modelType} at ${path} has no content`);
      delete element.value;
    });
    return result.warnings;
  }

  // --- The shell's thumbnail (assetInformation.defaultThumbnail, a Resource) ---

  async readThumbnail(aasId: string): Promise<Download> {
    const owner: AttachmentOwner = { kind: 'shells', id: aasId };
    for (let attempt = 0; ; attempt++) {
      const thumbnail = (await this.deps.shells.getAssetInformation(aasId)).defaultThumbnail;
      if (!thumbnail) throw new NotFound(`Asset Administration Shell "${aasId}" has no thumbnail`);
      if (isExternalPath(thumbnail.path)) throw externalContent('thumbnail', thumbnail.path);
      const stored = await this.deps.store.attachments.get({ owner, name: thumbnail.path });
      if (stored) return download(stored, thumbnail.contentType);
      if (attempt > 0) throw new NotFound(`No content is stored for the thumbnail "${thumbnail.path}"`);
    }
  }

  async writeThumbnail(aasId: string, receive: () => Promise<Upload>): Promise<ValidationIssue[]> {
    const previous = (await this.deps.shells.getAssetInformation(aasId)).defaultThumbnail;
    const upload = await receive();
    const owner: AttachmentOwner = { kind: 'shells', id: aasId };
    return this.storeFile(owner, upload, previous?.contentType, async (path, contentType) => {
      const result = await this.deps.shells.editAssetInformation(aasId, (info) => {
        info.defaultThumbnail = { path, contentType };
      });
      return result.warnings;
    });
  }

  async clearThumbnail(aasId: string): Promise<ValidationIssue[]> {
    const result = await this.deps.shells.editAssetInformation(aasId, (info) => {
      if (!info.defaultThumbnail) throw new NotFound(`Asset Administration Shell "${aasId}" has no thumbnail`);
      delete info.defaultThumbnail;
    });
    return result.warnings;
  }

  // --- shared ---

  /**
   * Stages the bytes, commits them under a fresh path, then lets `reference` record that path in the owner's
   * document. The bytes are pinned until the reference is written, so no sweep takes them; when `reference`
   * fails they are deleted again. A crash at any point leaves at most unreferenced bytes (see attachment-sweep.ts).
   */
  private async storeFile(
    owner: AttachmentOwner,
    upload: Upload,
    declaredType: string | undefined,
    reference: (path: string, contentType: string) => Promise<ValidationIssue[]>,
  ): Promise<ValidationIssue[]> {
    const { store, sweep, limits } = this.deps;
    const staged = await store.attachments.stage(upload.content, limits.file);
    try {
      const details = await upload.details;
      const fileName = checkFileName(details.fileName);
      const key: AttachmentKey = { owner, name: newAttachmentPath(fileName) };
      const contentType = chosenContentType(details.contentType, declaredType);
      const unpin = sweep.pin(key);
      try {
        await staged.commit(key, { contentType, fileName });
        try {
          return await reference(key.name, contentType);
        } catch (error) {
          await store.attachments.delete(key);
          throw error;
        }
      } finally {
        unpin();
      }
    } finally {
      await staged.discard();
    }
  }

  private async writeBlob(submodelId: string, path: string, upload: Upload): Promise<ValidationIssue[]> {
    const bytes = await readBounded(upload.content, this.deps.limits.blob);
    // Blob has nowhere to keep a file name (Part 1); the details still settle, so a broken body is a 400.
    const details = await upload.details;
    const result = await this.deps.submodels.edit(submodelId, (submodel) => {
      const blob = attachmentElement(submodel, path);
      if (blob.modelType !== 'Blob') throw new MethodNotAllowed(`The element at ${path} is no longer a Blob`);
      blob.value = bytes.toString('base64');
      blob.contentType ??= chosenContentType(details.contentType, undefined);
    });
    return result.warnings;
  }
}

function externalContent(what: string, value: string): NotFound {
  // Not a redirect: the server would vouch for, and send clients to, whatever host a document names.
  return new NotFound(`The ${what} refers to external content (${value}); this server holds no bytes for it`);
}

/** File.value when it names content this server may hold; 404 when there is none or it lies elsewhere. */
function fileValue(file: FileOrBlob, path: string): string {
  if (file.value === undefined || file.value === '') throw new NotFound(`The File at ${path} has no content`);
  if (isExternalPath(file.value)) throw externalContent(`File at ${path}`, file.value);
  return file.value;
}

function blobDownload(blob: FileOrBlob, path: string): Download {
  if (blob.value === undefined || blob.value === '') throw new NotFound(`The Blob at ${path} has no content`);
  const bytes = Buffer.from(blob.value, 'base64');
  return {
    content: Readable.from([bytes]),
    contentType: blob.contentType ?? GENERIC_TYPE,
    fileName: blob.idShort ?? 'blob',
    size: bytes.length,
  };
}
