/**
 * The server's OpenAPI 3.1 document: `openapi/aas-server.yaml` (the API's own operations and schemas), the
 * fragments in `openapi/parts/*.yaml` (paths and components of one area each, e.g. operations, attachments),
 * plus the metamodel classes from `aas-schemas/metamodel.schema.json`, so the documented bodies are exactly the schemas
 * the server validates writes with. Built once at start-up and served as JSON, YAML and Swagger UI.
 */
import { readdirSync, readFileSync } from 'node:fs';
import express, { type Request, type Response } from 'express';
import YAML from 'yaml';
import { AssetConnectionConfig } from '../connectors/opcua/connection-config.js';
import { swaggerUiRouter } from './swagger-ui.js';

type JsonObject = Record<string, unknown>;

// Relative to this module, so the same URLs work from src/http/ (tsx) and dist/http/ (after tsc).
const DOCUMENT_SOURCE = new URL('../../openapi/aas-server.yaml', import.meta.url);
const PARTS_DIR = new URL('../../openapi/parts/', import.meta.url);
const METAMODEL_SCHEMA = new URL('../../aas-schemas/metamodel.schema.json', import.meta.url);
const PACKAGE_JSON = new URL('../../package.json', import.meta.url);

const DEFS_PREFIX = '#/$defs/';
const SCHEMAS_PREFIX = '#/components/schemas/';

export interface OpenApiDocumentOptions {
  /** The configured API base path ('' or '/a/b'); becomes the document's (relative) server URL. */
  basePath: string;
  /** The metamodel JSON Schema to merge; defaults to `aas-schemas/metamodel.schema.json`. */
  metamodelSchema?: URL | string;
}

/**
 * Reads the YAML, merges the metamodel schemas into `components.schemas` and points `servers` at the running
 * server's base path. Throws when a file is missing or the merge would overwrite or leave a reference dangling,
 * so a broken document stops the server at start rather than misleading clients.
 */
export function loadOpenApiDocument(options: OpenApiDocumentOptions): JsonObject {
  const document = YAML.parse(readFileSync(DOCUMENT_SOURCE, 'utf8')) as JsonObject;
  for (const name of partNames()) mergePart(document, name, YAML.parse(readFileSync(new URL(name, PARTS_DIR), 'utf8')) as JsonObject);
  const metamodelPath = options.metamodelSchema ?? METAMODEL_SCHEMA;
  let metamodelText: string;
  try {
    metamodelText = readFileSync(metamodelPath, 'utf8');
  } catch (e) {
    throw new Error(`OpenAPI document: cannot read the metamodel schema ${String(metamodelPath)}: ${(e as Error).message}`, { cause: e });
  }
  mergeMetamodelSchemas(document, JSON.parse(metamodelText) as JsonObject);
  mergePart(document, 'asset connection schema', { components: { schemas: { AssetConnection: assetConnectionSchema() } } });
  const version = packageVersion();
  if (version !== undefined) (document.info as JsonObject).version = version;
  setServerUrl(document, options.basePath);
  return document;
}

/** The asset connection schema as ajv checks it (connection-config.ts), without its `$id`. */
function assetConnectionSchema(): JsonObject {
  const { $id: _id, ...schema } = JSON.parse(JSON.stringify(AssetConnectionConfig)) as JsonObject;
  return schema;
}

function partNames(): string[] {
  try {
    return readdirSync(PARTS_DIR).filter((n) => n.endsWith('.yaml')).sort();
  } catch {
    return [];
  }
}

/**
 * Adds a fragment's `tags`, `paths` and `components.<section>.<name>` entries to the document. A fragment may add
 * operations to a path the document has, but never redefine a tag, an operation or a component.
 */
export function mergePart(document: JsonObject, partName: string, part: JsonObject): void {
  const tags = (document.tags ??= []) as JsonObject[];
  for (const tag of (part.tags ?? []) as JsonObject[]) {
    if (tags.some((t) => t.name === tag.name)) throw new Error(`OpenAPI part ${partName}: tag ${String(tag.name)} is defined twice`);
    tags.push(tag);
  }
  const paths = (document.paths ??= {}) as Record<string, JsonObject>;
  for (const [path, item] of Object.entries((part.paths ?? {}) as Record<string, JsonObject>)) {
    const target = (paths[path] ??= {});
    for (const [key, value] of Object.entries(item)) {
      if (key in target) throw new Error(`OpenAPI part ${partName}: ${path} ${key} is defined twice`);
      target[key] = value;
    }
  }
  const components = (document.components ??= {}) as Record<string, JsonObject>;
  for (const [section, entries] of Object.entries((part.components ?? {}) as Record<string, JsonObject>)) {
    const target = (components[section] ??= {});
    for (const [name, value] of Object.entries(entries)) {
      if (name in target) throw new Error(`OpenAPI part ${partName}: components.${section}.${name} is defined twice`);
      target[name] = value;
    }
  }
}

/**
 * Copies every `$defs` entry of a JSON Schema into `components.schemas`, rewriting `#/$defs/X` references to
 * `#/components/schemas/X`. A name the YAML defines already is an error, not a silent override.
 */
export function mergeMetamodelSchemas(document: JsonObject, metamodel: JsonObject): void {
  const defs = metamodel.$defs;
  if (!isObject(defs) || Object.keys(defs).length === 0) {
    throw new Error('OpenAPI document: the metamodel schema has no $defs');
  }
  const components = (document.components ??= {}) as JsonObject;
  const schemas = (components.schemas ??= {}) as JsonObject;
  for (const [name, def] of Object.entries(defs)) {
    if (name in schemas) throw new Error(`OpenAPI document: metamodel class "${name}" clashes with an API schema of the same name`);
    const schema = rewriteRefs(def, `$defs/${name}`);
    if (isObject(schema)) {
      // A nested $id would move the base URI, so '#/components/...' would no longer point into this document.
      delete schema.$id;
      delete schema.$schema;
    }
    schemas[name] = schema;
  }
}

/** Rewrites references (see above) on a copy; the input schema is left as it was. */
function rewriteRefs(node: unknown, where: string): unknown {
  if (Array.isArray(node)) return node.map((item, i) => rewriteRefs(item, `${where}/${i}`));
  if (!isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref' && typeof value === 'string') {
      if (!value.startsWith(DEFS_PREFIX)) {
        throw new Error(`OpenAPI document: metamodel schema ${where} has a $ref outside #/$defs: "${value}"`);
      }
      out.$ref = SCHEMAS_PREFIX + value.slice(DEFS_PREFIX.length);
    } else {
      out[key] = rewriteRefs(value, `${where}/${key}`);
    }
  }
  return out;
}

/**
 * A relative server URL resolves against the page that loaded the document, so Swagger UI's "Try it out" calls
 * whichever host and port the user reached, under the configured base path. Paths that declare their own
 * `servers` (/health, /ready at the root) keep them.
 */
function setServerUrl(document: JsonObject, basePath: string): void {
  const [first] = Array.isArray(document.servers) ? (document.servers as JsonObject[]) : [];
  document.servers = [{ ...first, url: basePath === '' ? '/' : basePath }];
}

function packageVersion(): string | undefined {
  try {
    const version = (JSON.parse(readFileSync(PACKAGE_JSON, 'utf8')) as { version?: unknown }).version;
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined; // e.g. a deployment without package.json: keep the YAML's version
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `/openapi.json`, `/openapi.yaml` and Swagger UI at `/api-docs`, all rendered once from `document`. */
export function openApiRouter(document: object): express.Router {
  const json = JSON.stringify(document);
  // No anchors/aliases (shared sub-objects are written out) and no line folding: plain, diff-friendly YAML.
  const yaml = YAML.stringify(document, { aliasDuplicateObjects: false, lineWidth: 0 });
  const router = express.Router();
  router.get('/openapi.json', (_req: Request, res: Response) => {
    res.type('application/json').send(json);
  });
  router.get('/openapi.yaml', (_req: Request, res: Response) => {
    res.type('application/yaml').send(yaml);
  });
  router.use(swaggerUiRouter(document));
  return router;
}
