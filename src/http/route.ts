/**
 * A route is (method, path template, handler). Paths use the OpenAPI template syntax relative to the API base
 * path, so the same table drives express, the OpenAPI coverage test and the 405 answers. Handlers return a
 * reply instead of writing to the response, which keeps status codes, Location and warning headers uniform.
 */
import type { Readable } from 'node:stream';
import type { Config } from '../config.js';
import type { ApiRequest } from './api-request.js';
import type { AasxFileServer } from '../services/aasx-file-server.js';
import type { AttachmentService } from '../services/attachments.js';
import type { ConceptDescriptionRepository } from '../services/concept-description-repository.js';
import type { AssetConnectionService } from '../connectors/opcua/asset-connections.js';
import type { OperationService } from '../services/operations/index.js';
import type { WriteResult } from '../services/identifiable-repository.js';
import type { ShellRepository } from '../services/shell-repository.js';
import type { SubmodelElementService } from '../services/submodel-elements.js';
import type { SubmodelRepository } from '../services/submodel-repository.js';
import type { AasStore } from '../store/store.js';
import type { ValidationIssue } from '../validation/issues.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Services {
  config: Config;
  store: AasStore;
  shells: ShellRepository;
  submodels: SubmodelRepository;
  elements: SubmodelElementService;
  conceptDescriptions: ConceptDescriptionRepository;
  /** File/Blob content and thumbnails (Part 2 attachment operations). */
  attachments: AttachmentService;
  /** The AASX File Server (`/packages`). */
  packages: AasxFileServer;
  /** Operation invocation (Part 2 Invoke); register operation handlers on `operations.handlers`. */
  operations: OperationService;
  /** OPC UA asset connections: the `/asset-connections` resource and the device reads before API reads. */
  assetConnections: AssetConnectionService;
  /** Resolves when the server can serve requests (store reachable, start-up loads done); rejects with the reason. */
  ready(): Promise<void>;
}

export interface Reply {
  status: number;
  /** A JSON body, serialised on sending. */
  body?: unknown;
  /** A JSON body already serialised (e.g. a document passed through from the store as stored). */
  json?: string;
  /** A body streamed as is (attachment downloads); `headers` carry its Content-Type. */
  stream?: Readable;
  headers?: Record<string, string>;
  /** Constraint violations stored anyway (lenient mode): sent in a header and logged. */
  warnings?: readonly ValidationIssue[];
}

export interface Route {
  method: HttpMethod;
  path: string;
  /** The route takes a JSON request body (then a non-JSON Content-Type is a 415). */
  jsonBody?: boolean;
  handle(req: ApiRequest, services: Services): Promise<Reply>;
}

export const ok = (body: unknown): Reply => ({ status: 200, body });
export const okJson = (json: string): Reply => ({ status: 200, json });
export const noContent = (): Reply => ({ status: 204 });

/** Header carrying constraint violations accepted in lenient mode. */
export const WARNINGS_HEADER = 'X-AAS-Validation-Warnings';
/** Header carrying what a package export or upload met besides validation: missing files, kept concept descriptions. */
export const PACKAGE_WARNINGS_HEADER = 'X-AAS-Package-Warnings';
const MAX_WARNINGS_HEADER = 8 * 1024;

/** 201 with Location (POST, PUT-create), or 204 for a PUT that replaced; warnings go in a header. */
export function written(result: WriteResult<unknown>, location: string, options: { alwaysCreated?: boolean } = {}): Reply {
  const created = options.alwaysCreated || result.created;
  const reply: Reply = created ? { status: 201, body: result.doc, headers: { Location: location } } : { status: 204 };
  return withWarnings(reply, result.warnings);
}

export function withWarnings(reply: Reply, warnings: readonly ValidationIssue[]): Reply {
  return warnings.length === 0 ? reply : { ...reply, warnings };
}

/** A JSON array of "path: message" strings, ASCII only (non-ASCII escaped as \uXXXX), cut to a sane size. */
export function warningsHeader(warnings: readonly ValidationIssue[]): string {
  return textListHeader(warnings.map((w) => `${w.path}: ${w.message}`));
}

/** Texts as a header value: a JSON array, ASCII only (non-ASCII escaped as \uXXXX), cut to a size every proxy passes. */
export function textListHeader(texts: readonly string[]): string {
  const items: string[] = [];
  let size = 2;
  for (const item of texts) {
    size += JSON.stringify(item).length + 1;
    if (size > MAX_WARNINGS_HEADER) {
      items.push(`... ${texts.length - items.length} more`);
      break;
    }
    items.push(item);
  }
  return JSON.stringify(items).replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
