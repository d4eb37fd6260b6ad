/**
 * The paths uploaded files are recorded under, and which paths a document references.
 *
 * An upload is recorded as `/aasx/files/<uuid>/<fileName>` in File.value (or Resource.path of a thumbnail): the
 * package-internal layout of AASX (Part 5), so an AASX export can put the bytes at exactly that path and the
 * value stays true inside the package; relative to no host or base path, so it survives both changing; and
 * independent of the element's idShortPath, so renaming or moving the element keeps its content. The UUID keeps
 * two uploads of one file name apart; the name at the end keeps the extension (Part 1: "path and name of the
 * file (with file extension)"). The stored attachment is named by that exact path, per owning document.
 */
import { randomUUID } from 'node:crypto';
import { BadRequest } from '../errors.js';
import { childElements } from './element-tree.js';
import type { AssetAdministrationShell, Submodel, SubmodelElement } from './types.js';

const PREFIX = '/aasx/files/';
/** PathType's length limit (Part 1 v3.1). */
const MAX_PATH = 2048;
const MAX_FILE_NAME = 255;
/** C0 controls and DEL: they have no business in a file name and break headers. */
const hasControlCharacter = (name: string) => [...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);

/**
 * The file name to keep: the last segment of what the client sent (browsers and curl may send a path), at most
 * 255 characters (the common file-system limit), without control characters. 400 otherwise.
 */
export function checkFileName(raw: string): string {
  const name = raw.split(/[\\/]/).pop() ?? '';
  if (name === '' || name === '.' || name === '..') throw new BadRequest(`fileName "${raw}" names no file`);
  if (hasControlCharacter(name)) throw new BadRequest('fileName must not contain control characters');
  if ([...name].length > MAX_FILE_NAME) throw new BadRequest(`fileName is longer than ${MAX_FILE_NAME} characters`);
  return name;
}

/** A fresh path for an upload of `fileName` (already checked), percent-encoded so it is a valid PathType. */
export function newAttachmentPath(fileName: string): string {
  // encodeURIComponent leaves only RFC 2396 unreserved characters, which PathType allows in a segment.
  const path = `${PREFIX}${randomUUID()}/${encodeURIComponent(fileName)}`;
  if (path.length > MAX_PATH) throw new BadRequest(`fileName is too long: the recorded path would exceed ${MAX_PATH} characters`);
  return path;
}

/** True for a value with a URI scheme (`https:`, `file:`, `urn:`…): content elsewhere, never stored here. */
export function isExternalPath(value: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:/.test(value);
}

function collectFileValues(elements: readonly SubmodelElement[], into: Set<string>): void {
  for (const element of elements) {
    const node = element as { modelType?: string; value?: unknown };
    if (node.modelType === 'File' && typeof node.value === 'string') into.add(node.value);
    collectFileValues(childElements(element), into);
  }
}

/** Every File.value in the submodel, at any depth: the names of the attachments it may keep. */
export function submodelAttachmentPaths(submodel: Submodel): Set<string> {
  const paths = new Set<string>();
  collectFileValues((submodel.submodelElements ?? []) as SubmodelElement[], paths);
  return paths;
}

/** The shell's thumbnail path, the one attachment a shell may keep. */
export function shellAttachmentPaths(shell: AssetAdministrationShell): Set<string> {
  const path = shell.assetInformation?.defaultThumbnail?.path;
  return new Set(typeof path === 'string' ? [path] : []);
}
