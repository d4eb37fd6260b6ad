/** Helpers for the attachment tests: a submodel with File/Blob elements, multipart uploads, downloads. */
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { b64 } from './fixtures.js';

export const SHELL_ID = 'https://example.com/ids/aas/attachments';
export const SUBMODEL_ID = 'https://example.com/ids/sm/attachments';

export function attachmentSubmodel(id = SUBMODEL_ID) {
  return {
    modelType: 'Submodel',
    id,
    idShort: 'Documents',
    submodelElements: [
      { modelType: 'File', idShort: 'Manual', contentType: 'application/pdf' },
      { modelType: 'File', idShort: 'Untyped' },
      { modelType: 'File', idShort: 'External', contentType: 'image/png', value: 'https://example.com/media/ce.png' },
      { modelType: 'Blob', idShort: 'Raw', contentType: 'application/octet-stream' },
      { modelType: 'Property', idShort: 'Speed', valueType: 'xs:int', value: '1200' },
      {
        modelType: 'SubmodelElementCollection',
        idShort: 'Group',
        value: [{ modelType: 'File', idShort: 'Inner', contentType: 'text/plain' }],
      },
      {
        modelType: 'SubmodelElementList',
        idShort: 'Sheets',
        typeValueListElement: 'File',
        value: [{ modelType: 'File', contentType: 'text/csv' }],
      },
    ],
  };
}

export function attachmentShell(id = SHELL_ID, submodelId = SUBMODEL_ID) {
  return {
    modelType: 'AssetAdministrationShell',
    id,
    idShort: 'AttachmentShell',
    assetInformation: { assetKind: 'Instance', globalAssetId: `${id}/asset` },
    submodels: [{ type: 'ModelReference', keys: [{ type: 'Submodel', value: submodelId }] }],
  };
}

/** The two roots a submodel is reached by (Part 2): the Submodel repository, and through the shell. */
export function doors(api: string, shellId = SHELL_ID, submodelId = SUBMODEL_ID) {
  return {
    'submodel repository': `${api}/submodels/${b64(submodelId)}`,
    'through the shell': `${api}/shells/${b64(shellId)}/submodels/${b64(submodelId)}`,
  };
}

export interface UploadOptions {
  fileName?: string;
  /** Leave the fileName part out. */
  omitFileName?: boolean;
  /** Content-Type of the file part (fetch sends application/octet-stream when empty). */
  type?: string;
  /** The filename parameter of the file part itself. */
  partFileName?: string;
  /** Send the fileName part before the file part (default: after it). */
  fileNameFirst?: boolean;
}

export function uploadForm(bytes: Buffer | string, options: UploadOptions = {}): FormData {
  const form = new FormData();
  const { fileName = 'report.pdf', type = '', partFileName = 'upload.bin', fileNameFirst = false, omitFileName = false } = options;
  if (!omitFileName && fileNameFirst) form.append('fileName', fileName);
  form.append('file', new Blob([new Uint8Array(typeof bytes === 'string' ? Buffer.from(bytes) : bytes)], { type }), partFileName);
  if (!omitFileName && !fileNameFirst) form.append('fileName', fileName);
  return form;
}

export async function upload(url: string, body: FormData | string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'PUT', body, headers });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text };
}

export async function download(url: string) {
  const res = await fetch(url);
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes };
}

/** The stored attachment files of a data directory (the staging folder left out). */
export async function storedFiles(dataDir: string): Promise<string[]> {
  try {
    return (await readdir(join(dataDir, 'attachments'))).filter((f) => f !== 'staging');
  } catch {
    return [];
  }
}

/** `filename*` of a Content-Disposition, decoded (RFC 8187). */
export function extendedFileName(disposition: string | null): string | undefined {
  const m = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '');
  return m ? decodeURIComponent(m[1]) : undefined;
}
