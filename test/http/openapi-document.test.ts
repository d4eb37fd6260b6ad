/**
 * The server's OpenAPI document is structurally valid OpenAPI 3.1: every $ref resolves inside the document,
 * every operation has a tag and responses, operationIds are unique and the official Part 2 ones, path templates
 * and path parameters agree, schemas compile and examples match them. Also the metamodel merge itself, against a
 * small stand-in schema, so its rules (ref rewriting, no silent overrides) are checked whatever the real one holds.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { loadOpenApiDocument } from '../../src/http/openapi-document.js';

type Json = Record<string, unknown>;

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;
const EXPECTED_TAGS = [
  'Asset Administration Shell Repository API',
  'Submodel Repository API',
  'Concept Description Repository API',
  'Description API',
  'Serialization API',
  'AASX File Server API',
  'Operations',
  'Asset Connections',
];
const REPO_ROOT = new URL('../../', import.meta.url);
const SPEC_DIR = process.env.AAS_SPEC_DIR ?? new URL('../shared/spec/', REPO_ROOT).pathname;
const REQUIRE_ALL = process.env.AAS_TEST_REQUIRE_ALL === '1';
const DOC_ID = 'urn:aas-server:openapi-document';

interface Operation {
  method: string;
  path: string;
  op: Json;
  pathItem: Json;
}

function operationsOf(doc: Json): Operation[] {
  const out: Operation[] = [];
  for (const [path, pathItem] of Object.entries(doc.paths as Record<string, Json>)) {
    for (const method of HTTP_METHODS) {
      const op = pathItem[method] as Json | undefined;
      if (op) out.push({ method, path, op, pathItem });
    }
  }
  return out;
}

const isObjectValue = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Follows a local JSON Pointer (`#/a/b~1c`); undefined when any step is missing. */
function resolvePointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith('#')) return undefined;
  let node: unknown = doc;
  for (const raw of ref.slice(1).split('/').slice(1)) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(key in node)) return undefined;
    node = (node as Json)[key];
  }
  return node;
}

function deref(doc: Json, node: unknown): Json {
  let current = node as Json;
  for (let hops = 0; typeof current?.$ref === 'string'; hops++) {
    assert.ok(hops < 10, `reference cycle at ${String(current.$ref)}`);
    current = resolvePointer(doc, current.$ref) as Json;
  }
  return current;
}

function collectRefs(node: unknown, where: string, out: { ref: string; where: string }[] = []) {
  if (Array.isArray(node)) node.forEach((n, i) => collectRefs(n, `${where}/${i}`, out));
  else if (node !== null && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push({ ref: v, where });
      else collectRefs(v, `${where}/${k}`, out);
    }
  }
  return out;
}

const pointerTo = (...segments: string[]) => '#/' + segments.map((s) => s.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/** Every (schema, example) pair the document declares: parameters, headers and media types. */
function examplesOf(doc: Json): { where: string; schemaPointer: string; example: unknown }[] {
  const out: { where: string; schemaPointer: string; example: unknown }[] = [];
  const visit = (node: unknown, segments: string[]) => {
    if (Array.isArray(node)) node.forEach((n, i) => visit(n, [...segments, String(i)]));
    else if (node !== null && typeof node === 'object') {
      const o = node as Json;
      if ('schema' in o && 'example' in o && typeof o.schema === 'object') {
        out.push({ where: pointerTo(...segments), schemaPointer: pointerTo(...segments, 'schema'), example: o.example });
      }
      const isSchemaWithExample = segments.at(-2) === 'schemas' && segments.at(-3) === 'components' && 'example' in o;
      if (isSchemaWithExample) out.push({ where: pointerTo(...segments), schemaPointer: pointerTo(...segments), example: o.example });
      for (const [k, v] of Object.entries(o)) visit(v, [...segments, k]);
    }
  };
  visit(doc, []);
  return out;
}

function newAjv(doc: Json) {
  // unicodeRegExp off: the metamodel's patterns spell astral characters as surrogate pairs (see aas-schemas).
  const ajv = new Ajv2020({ strict: false, unicodeRegExp: false, validateFormats: false, discriminator: true, allErrors: true });
  ajv.addSchema(doc, DOC_ID);
  return ajv;
}

/** The structural checks, applied to the real document and to one merged with a stand-in metamodel. */
function checkDocument(doc: Json) {
  test('is OpenAPI 3.1.0 with info, servers and paths', () => {
    assert.equal(doc.openapi, '3.1.0');
    const info = doc.info as Json;
    assert.equal(typeof info.title, 'string');
    assert.equal(typeof info.version, 'string');
    assert.ok(Array.isArray(doc.servers) && doc.servers.length === 1);
    assert.ok(Object.keys(doc.paths as Json).length > 0);
    for (const path of Object.keys(doc.paths as Json)) assert.match(path, /^\//, `path ${path} starts with /`);
  });

  test('every $ref resolves inside the document', () => {
    const refs = collectRefs(doc, '#');
    assert.ok(refs.length > 50, `expected many $refs, found ${refs.length}`);
    const dangling = refs.filter(({ ref }) => resolvePointer(doc, ref) === undefined).map(({ ref, where }) => `${where}: ${ref}`);
    assert.deepEqual(dangling, []);
    assert.ok(!JSON.stringify(doc).includes('#/$defs/'), 'no JSON Schema $defs reference is left after the merge');
  });

  test('every operation has a declared tag, responses and a unique operationId', () => {
    const declared = (doc.tags as Json[]).map((t) => t.name);
    assert.deepEqual([...declared].sort(), [...EXPECTED_TAGS].sort());
    const ids = new Map<string, string>();
    const used = new Set<string>();
    for (const { method, path, op } of operationsOf(doc)) {
      const where = `${method.toUpperCase()} ${path}`;
      assert.ok(Array.isArray(op.tags) && op.tags.length > 0, `${where} has a tag`);
      for (const tag of op.tags as string[]) {
        assert.ok(declared.includes(tag), `${where}: tag "${tag}" is declared`);
        used.add(tag);
      }
      const responses = op.responses as Json | undefined;
      assert.ok(responses && Object.keys(responses).length > 0, `${where} has responses`);
      for (const code of Object.keys(responses)) assert.match(code, /^([1-5]\d\d|[1-5]XX|default)$/, `${where}: response key ${code}`);
      assert.equal(typeof op.operationId, 'string', `${where} has an operationId`);
      const previous = ids.get(op.operationId as string);
      assert.equal(previous, undefined, `operationId ${String(op.operationId)} of ${where} is also used by ${previous}`);
      ids.set(op.operationId as string, where);
    }
    assert.deepEqual([...used].sort(), [...EXPECTED_TAGS].sort(), 'every declared tag is used');
  });

  test('path templates and path parameters agree', () => {
    for (const { method, path, op, pathItem } of operationsOf(doc)) {
      const where = `${method.toUpperCase()} ${path}`;
      const params = [...((pathItem.parameters as Json[]) ?? []), ...((op.parameters as Json[]) ?? [])].map((p) => deref(doc, p));
      for (const p of params) {
        assert.ok(typeof p.name === 'string' && ['path', 'query', 'header', 'cookie'].includes(p.in as string), `${where}: parameter ${JSON.stringify(p)}`);
        assert.ok(p.schema || p.content, `${where}: parameter ${String(p.name)} has a schema`);
      }
      const keys = params.map((p) => `${String(p.in)}:${String(p.name)}`);
      assert.equal(new Set(keys).size, keys.length, `${where}: parameters are unique`);
      const placeholders = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      const pathParams = params.filter((p) => p.in === 'path');
      assert.deepEqual(pathParams.map((p) => p.name).sort(), placeholders, `${where}: path parameters match the template`);
      for (const p of pathParams) assert.equal(p.required, true, `${where}: path parameter ${String(p.name)} is required`);
    }
  });

  test('every 4xx/5xx response carries a Result body', () => {
    for (const { method, path, op } of operationsOf(doc)) {
      for (const [code, response] of Object.entries(op.responses as Json)) {
        if (!/^[45]/.test(code)) continue;
        const content = deref(doc, response).content as Record<string, Json> | undefined;
        assert.deepEqual(Object.keys(content ?? {}), ['application/json'], `${method.toUpperCase()} ${path} ${code}`);
        assert.equal(content!['application/json'].schema && (content!['application/json'].schema as Json).$ref, '#/components/schemas/Result');
      }
    }
  });

  test('a discriminator only stands beside oneOf, anyOf or allOf (OpenAPI 3.1 §4.8.25)', () => {
    const misplaced: string[] = [];
    const visit = (node: unknown, where: string) => {
      if (Array.isArray(node)) node.forEach((n, i) => visit(n, `${where}/${i}`));
      else if (node !== null && typeof node === 'object') {
        const o = node as Json;
        if (isObjectValue(o.discriminator) && !('oneOf' in o || 'anyOf' in o || 'allOf' in o)) misplaced.push(where);
        for (const [k, v] of Object.entries(o)) visit(v, `${where}/${k}`);
      }
    };
    visit(doc.components, '#/components');
    assert.deepEqual(misplaced, []);
  });

  test('/health and /ready are served from the root, everything else under the base path', () => {
    for (const [path, item] of Object.entries(doc.paths as Record<string, Json>)) {
      const servers = item.servers as Json[] | undefined;
      if (path === '/health' || path === '/ready') assert.deepEqual(servers?.map((s) => s.url), ['/'], path);
      else assert.equal(servers, undefined, `${path} uses the document's servers`);
    }
  });

  test('every schema compiles and every example matches its schema', () => {
    const ajv = newAjv(doc);
    for (const name of Object.keys((doc.components as Json).schemas as Json)) {
      assert.doesNotThrow(() => ajv.getSchema(`${DOC_ID}${pointerTo('components', 'schemas', name)}`), name);
    }
    const examples = examplesOf(doc);
    assert.ok(examples.length >= 5, `expected examples, found ${examples.length}`);
    for (const { where, schemaPointer, example } of examples) {
      const validate = ajv.getSchema(`${DOC_ID}${schemaPointer}`);
      assert.ok(validate, `schema at ${schemaPointer}`);
      const ok = validate(example);
      assert.ok(ok, `example at ${where}: ${ajv.errorsText(validate.errors)}`);
    }
  });
}

/**
 * A stand-in for aas-schemas/metamodel.schema.json: the classes the YAML references, with cross references
 * written the way the generated schema writes them (`#/$defs/<Name>`), and a nested `$id` the merge must drop.
 */
const STAND_IN = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'urn:test:stand-in-metamodel',
  $ref: '#/$defs/Environment',
  $defs: {
    Key: { type: 'object', required: ['type', 'value'], properties: { type: { type: 'string' }, value: { type: 'string', minLength: 1 } } },
    Reference: {
      $id: 'urn:test:nested-id',
      type: 'object',
      required: ['type', 'keys'],
      properties: { type: { enum: ['ModelReference', 'ExternalReference'] }, keys: { type: 'array', minItems: 1, items: { $ref: '#/$defs/Key' } } },
    },
    SpecificAssetId: { type: 'object', required: ['name', 'value'], properties: { name: { type: 'string' }, value: { type: 'string' } } },
    AssetInformation: {
      type: 'object',
      required: ['assetKind'],
      properties: {
        assetKind: { enum: ['Instance', 'Type', 'Role', 'NotApplicable'] },
        globalAssetId: { type: 'string' },
        specificAssetIds: { type: 'array', items: { $ref: '#/$defs/SpecificAssetId' } },
      },
    },
    AssetAdministrationShell: {
      type: 'object',
      required: ['id', 'assetInformation', 'modelType'],
      properties: {
        modelType: { const: 'AssetAdministrationShell' },
        id: { type: 'string' },
        idShort: { type: 'string' },
        assetInformation: { $ref: '#/$defs/AssetInformation' },
        submodels: { type: 'array', items: { $ref: '#/$defs/Reference' } },
      },
    },
    Submodel: {
      type: 'object',
      required: ['id', 'modelType'],
      properties: { modelType: { const: 'Submodel' }, id: { type: 'string' }, idShort: { type: 'string' }, submodelElements: { type: 'array' } },
    },
    SubmodelElement: { type: 'object', required: ['modelType'], properties: { modelType: { type: 'string' }, idShort: { type: 'string' } } },
    ConceptDescription: {
      type: 'object',
      required: ['id', 'modelType'],
      properties: { modelType: { const: 'ConceptDescription' }, id: { type: 'string' }, idShort: { type: 'string' } },
    },
    Environment: {
      type: 'object',
      properties: {
        assetAdministrationShells: { type: 'array', items: { $ref: '#/$defs/AssetAdministrationShell' } },
        submodels: { type: 'array', items: { $ref: '#/$defs/Submodel' } },
        conceptDescriptions: { type: 'array', items: { $ref: '#/$defs/ConceptDescription' } },
      },
    },
  },
};

const tmp = mkdtempSync(join(tmpdir(), 'aas-openapi-'));
after(() => rmSync(tmp, { recursive: true, force: true }));
let counter = 0;
function writeSchema(schema: unknown): string {
  const file = join(tmp, `metamodel-${++counter}.json`);
  writeFileSync(file, JSON.stringify(schema));
  return file;
}
let standIn: string | undefined;
function standInFile(): string {
  return (standIn ??= writeSchema(STAND_IN));
}

describe('the served OpenAPI document (real metamodel schema)', () => {
  const metamodel = new URL('aas-schemas/metamodel.schema.json', REPO_ROOT);
  if (!existsSync(metamodel)) {
    test('aas-schemas/metamodel.schema.json exists', (t) => {
      if (REQUIRE_ALL) assert.fail('aas-schemas/metamodel.schema.json is missing');
      t.skip('aas-schemas/metamodel.schema.json is not there yet; the stand-in suite below covers the merge');
    });
    return;
  }
  const doc = loadOpenApiDocument({ basePath: '/api/v3.0' });
  checkDocument(doc);

  test('documents the metamodel classes the API bodies use', () => {
    const schemas = (doc.components as Json).schemas as Json;
    for (const cls of ['AssetAdministrationShell', 'Submodel', 'ConceptDescription', 'Reference', 'AssetInformation', 'Environment']) {
      assert.ok(schemas[cls], cls);
    }
  });

  test('info.version is the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('package.json', REPO_ROOT), 'utf8')) as { version: string };
    assert.equal((doc.info as Json).version, pkg.version);
  });

  test('a Submodel with elements is not valid $metadata; without them it is', () => {
    const ajv = newAjv(doc);
    const validate = ajv.getSchema(`${DOC_ID}#/components/schemas/SubmodelMetadata`)!;
    const bare = { modelType: 'Submodel', id: 'https://example.com/ids/sm/1', idShort: 'Nameplate' };
    assert.ok(validate(bare), ajv.errorsText(validate.errors));
    assert.equal(validate({ ...bare, submodelElements: [] }), false);
  });

  test('operationIds are the official Part 2 V3.1.2 ones for the same method and path', (t) => {
    const tsv = join(SPEC_DIR, 'operations.tsv');
    if (!existsSync(tsv)) {
      if (REQUIRE_ALL) assert.fail(`${tsv} is missing (set AAS_SPEC_DIR)`);
      t.skip(`${tsv} not found (set AAS_SPEC_DIR to the shared spec folder)`);
      return;
    }
    const official = new Map<string, Set<string>>();
    const [header, ...rows] = readFileSync(tsv, 'utf8').trim().split('\n').map((l) => l.split('\t'));
    const col = (name: string) => header.indexOf(name);
    for (const r of rows) {
      if (r[col('version')] !== 'V3.1.2') continue;
      const key = `${r[col('method')]} ${r[col('path')]}`;
      official.set(key, (official.get(key) ?? new Set()).add(r[col('operationId')]));
    }
    let checked = 0;
    for (const { method, path, op } of operationsOf(doc)) {
      // Probes and the asset connection extension are this server's own, not Part 2 operations.
      if ((op.tags as string[]).some((t) => t === 'Operations' || t === 'Asset Connections')) continue;
      const key = `${method.toUpperCase()} ${path}`;
      const ids = official.get(key);
      assert.ok(ids, `${key} is a Part 2 V3.1.2 operation`);
      assert.ok(ids.has(op.operationId as string), `${key}: operationId ${String(op.operationId)} is one of ${[...ids].join(', ')}`);
      checked++;
    }
    assert.ok(checked > 30, `checked ${checked} operations`);
  });
});

describe('servers follow the configured base path', () => {
  for (const [basePath, url] of [['/api/v3.0', '/api/v3.0'], ['/aas', '/aas'], ['', '/']] as const) {
    test(`base path "${basePath}" → server url "${url}"`, () => {
      const doc = loadOpenApiDocument({ basePath, metamodelSchema: standInFile() });
      assert.deepEqual((doc.servers as Json[]).map((s) => s.url), [url]);
      assert.deepEqual(((doc.paths as Record<string, Json>)['/health'].servers as Json[]).map((s) => s.url), ['/']);
    });
  }
});

describe('merging a metamodel schema (stand-in)', () => {
  const doc = loadOpenApiDocument({ basePath: '/api/v3.0', metamodelSchema: standInFile() });
  checkDocument(doc);

  test('copies every $defs entry and rewrites #/$defs/ references to #/components/schemas/', () => {
    const schemas = (doc.components as Json).schemas as Record<string, Json>;
    for (const name of Object.keys(STAND_IN.$defs)) assert.ok(schemas[name], name);
    const shell = schemas.AssetAdministrationShell.properties as Record<string, Json>;
    assert.equal(shell.assetInformation.$ref, '#/components/schemas/AssetInformation');
    assert.equal((shell.submodels.items as Json).$ref, '#/components/schemas/Reference');
    assert.equal(schemas.Reference.$id, undefined, 'a nested $id would re-base the references inside it');
    assert.ok(schemas.Result && schemas.PagingMetadata, 'the API schemas of the YAML stay');
  });

  test('does not change the stand-in input (the merge works on a copy)', () => {
    assert.equal(STAND_IN.$defs.AssetInformation.properties.specificAssetIds.items.$ref, '#/$defs/SpecificAssetId');
  });

  test('refuses a metamodel class named like an API schema', () => {
    const clash = { $defs: { ...STAND_IN.$defs, Result: { type: 'object' } } };
    assert.throws(() => loadOpenApiDocument({ basePath: '', metamodelSchema: writeSchema(clash) }), /"Result" clashes/);
  });

  test('refuses references that would not resolve inside the document', () => {
    const external = { $defs: { ...STAND_IN.$defs, Key: { $ref: 'https://example.com/other.json#/Key' } } };
    assert.throws(() => loadOpenApiDocument({ basePath: '', metamodelSchema: writeSchema(external) }), /\$ref outside #\/\$defs/);
  });

  test('refuses a schema without $defs, and a missing file', () => {
    assert.throws(() => loadOpenApiDocument({ basePath: '', metamodelSchema: writeSchema({ type: 'object' }) }), /no \$defs/);
    assert.throws(() => loadOpenApiDocument({ basePath: '', metamodelSchema: join(tmp, 'absent.json') }), /cannot read the metamodel schema/);
  });

  test('a stand-in missing a class the YAML uses leaves a dangling reference the checks above would catch', () => {
    const { Environment: _omitted, ...rest } = STAND_IN.$defs;
    const partial = loadOpenApiDocument({ basePath: '', metamodelSchema: writeSchema({ $defs: rest }) });
    const dangling = collectRefs(partial, '#').filter(({ ref }) => resolvePointer(partial, ref) === undefined);
    assert.deepEqual(dangling.map((d) => d.ref), ['#/components/schemas/Environment']);
  });
});
