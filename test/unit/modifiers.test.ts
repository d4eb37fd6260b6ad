import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BadRequest } from '../../src/errors.js';
import {
  applyContentModifiers,
  applyContentModifiersToJson,
  applyElementModifiers,
  checkModifiers,
  parseContentModifiers,
  type Content,
  type ModifierMethod,
} from '../../src/model/modifiers.js';
import { toPagedJson, toPagedResult } from '../../src/model/paging.js';
import type { Submodel, SubmodelElement } from '../../src/model/types.js';
import { submodel } from '../http/fixtures.js';
import { everyElement, everyElementSubmodel } from './element-fixture.js';

const deep = parseContentModifiers(undefined, undefined);
const withBlobs = parseContentModifiers(undefined, 'withBlobValue');
const core = parseContentModifiers('core', 'withBlobValue');

describe('content modifiers', () => {
  it('defaults to level=deep, extent=withoutBlobValue, case-insensitively parsed', () => {
    assert.deepEqual(deep, { level: 'deep', extent: 'withoutBlobValue' });
    assert.deepEqual(parseContentModifiers('Core', 'WithBLOBValue'), { level: 'core', extent: 'withBlobValue' });
    assert.throws(() => parseContentModifiers('all', undefined), BadRequest);
  });

  it('drops Blob values at every depth unless withBlobValue, and grandchildren at level=core', () => {
    const sm = submodel('urn:x') as unknown as Submodel;
    const shaped = applyContentModifiers(sm, deep) as unknown as ReturnType<typeof submodel>;
    assert.equal('value' in shaped.submodelElements[2], false);
    assert.equal('value' in (shaped.submodelElements[1] as { value: object[] }).value[1], false);
    assert.deepEqual(applyContentModifiers(sm, withBlobs), sm);
    const c = applyContentModifiers(sm, core) as unknown as ReturnType<typeof submodel>;
    assert.equal('value' in c.submodelElements[1], false);
    assert.equal((c.submodelElements[2] as { value?: string }).value, 'iVBORw0KGgo');
  });

  it('on JSON text, passes the text through exactly when nothing changes, else equals the object form', () => {
    const withoutBlob = JSON.stringify({ modelType: 'Submodel', id: 'urn:y', submodelElements: [{ modelType: 'Property', idShort: 'B', valueType: 'xs:string', value: '"modelType":"Blob"' }] });
    assert.equal(applyContentModifiersToJson(withoutBlob, deep), withoutBlob, 'a Blob named only inside a string does not count');
    const sm = submodel('urn:x');
    const json = JSON.stringify(sm);
    assert.equal(applyContentModifiersToJson(json, withBlobs), json);
    for (const m of [deep, core]) {
      assert.deepEqual(JSON.parse(applyContentModifiersToJson(json, m)), applyContentModifiers(sm as unknown as Submodel, m));
    }
  });
});

describe('paged JSON text', () => {
  it('is the same body as the object form', () => {
    const items = [{ id: 'a' }, { id: 'b"𝄞' }];
    for (const next of [undefined, 'b"𝄞']) {
      const page = { items: items.map((i) => JSON.stringify(i)), next };
      assert.deepEqual(JSON.parse(toPagedJson(page)), toPagedResult({ items, next }));
    }
    assert.deepEqual(JSON.parse(toPagedJson({ items: [] })), { paging_metadata: {}, result: [] });
  });
});

describe('level and extent on one element', () => {
  const all = everyElement();
  const el = (modelType: string) => all[modelType] as unknown as SubmodelElement;
  const json = (x: unknown) => JSON.stringify(x);
  const coreWithoutBlobs = parseContentModifiers('core', undefined);

  it('level=core keeps the direct children and drops theirs (SMC, SML, Entity)', () => {
    const coll = applyElementModifiers(el('SubmodelElementCollection'), core) as unknown as { value: Record<string, unknown>[] };
    assert.deepEqual(coll.value.map((c) => c.idShort), ['inner', 'lists', 'raw']);
    assert.equal('value' in coll.value[1], false, 'the list child has no value');
    assert.equal(coll.value[0].value, '1', 'a Property child keeps its value');
    const rows = applyElementModifiers(el('SubmodelElementList'), core) as unknown as { value: object[] };
    assert.deepEqual(rows.value, [{ modelType: 'SubmodelElementCollection' }, { modelType: 'SubmodelElementCollection' }]);
    const ent = applyElementModifiers(el('Entity'), core) as unknown as { statements: Record<string, unknown>[]; globalAssetId: string };
    assert.deepEqual(ent.statements.map((s) => 'value' in s), [true, false]);
    assert.equal(ent.globalAssetId, 'urn:asset:1');
  });

  it('level=core keeps annotations (direct children) and Operation variables (not children at all)', () => {
    assert.deepEqual(applyElementModifiers(el('AnnotatedRelationshipElement'), core), el('AnnotatedRelationshipElement'));
    assert.deepEqual(applyElementModifiers(el('Operation'), core), el('Operation'));
  });

  it('level on an element without children changes nothing', () => {
    for (const t of ['Property', 'MultiLanguageProperty', 'Range', 'ReferenceElement', 'RelationshipElement', 'File', 'Capability', 'BasicEventElement']) {
      for (const m of [deep, core, withBlobs]) assert.deepEqual(applyElementModifiers(el(t), m), el(t), t);
    }
  });

  it('without withBlobValue no Blob keeps its value: own, nested, in lists, annotations and Operation variables', () => {
    const blobValues = (x: unknown): number => {
      if (Array.isArray(x)) return x.reduce((n: number, v) => n + blobValues(v), 0);
      if (typeof x !== 'object' || x === null) return 0;
      const own = (x as { modelType?: string }).modelType === 'Blob' && 'value' in x ? 1 : 0;
      return Object.values(x).reduce((n: number, v) => n + blobValues(v), own);
    };
    for (const [t, e] of Object.entries(all)) {
      const before = json(e);
      for (const m of [deep, coreWithoutBlobs]) assert.equal(blobValues(applyElementModifiers(e as unknown as SubmodelElement, m)), 0, `${t} ${json(m)}`);
      assert.equal(json(e), before, `${t} is not changed in place`);
    }
    assert.equal(blobValues(all.Operation), 1);
    assert.equal((applyElementModifiers(el('Blob'), deep) as { contentType?: string }).contentType, 'image/png');
    for (const t of ['Blob', 'Operation', 'AnnotatedRelationshipElement', 'SubmodelElementList', 'SubmodelElementCollection']) {
      assert.deepEqual(applyElementModifiers(el(t), withBlobs), el(t), `${t} with Blob values`);
    }
    for (const m of [deep, coreWithoutBlobs]) {
      assert.equal(blobValues(applyContentModifiers(everyElementSubmodel(), m)), 0, 'the submodel form too, Operation variables included');
    }
    assert.equal(blobValues(applyContentModifiers(everyElementSubmodel(), withBlobs)), 5);
  });
});

type Level = string | undefined;
interface Case {
  modelType: string;
  method: ModifierMethod;
  content: Content;
  level: Level;
  extent: Level;
}

/**
 * The oracle for checkModifiers, written from the spec as data: Part 2 §"Applicability of SerializationModifiers"
 * (contents per resource; `$path` only where there are children to list, as aas-test-engines expects) and
 * §"Modifier Constraints", plus the `level` enums of the V3.1.2 OpenAPI (PUT: deep; PATCH: core).
 */
const OFFERS: Record<string, string> = {
  AssetAdministrationShell: 'normal $reference',
  Submodel: 'normal $metadata $value $reference $path',
  SubmodelElementCollection: 'normal $metadata $value $reference $path',
  SubmodelElementList: 'normal $metadata $value $reference $path',
  Entity: 'normal $metadata $value $reference $path',
  BasicEventElement: 'normal $metadata $value $reference',
  Capability: 'normal $reference',
  Operation: 'normal $reference',
  Property: 'normal $metadata $value $reference',
  MultiLanguageProperty: 'normal $metadata $value $reference',
  Range: 'normal $metadata $value $reference',
  ReferenceElement: 'normal $metadata $value $reference',
  RelationshipElement: 'normal $metadata $value $reference',
  AnnotatedRelationshipElement: 'normal $metadata $value $reference',
  Blob: 'normal $metadata $value $reference',
  File: 'normal $metadata $value $reference',
};
const ROUTES: Record<ModifierMethod, string> = { GET: 'normal $metadata $value $reference $path', PATCH: 'normal $metadata $value', PUT: 'normal', POST: 'normal' };
const lower = (v: Level) => v?.toLowerCase();
const FORBIDDEN: [string, (c: Case) => boolean][] = [
  ['unknown level', (c) => c.level !== undefined && !['deep', 'core'].includes(lower(c.level)!)],
  ['unknown extent', (c) => c.extent !== undefined && !['withblobvalue', 'withoutblobvalue'].includes(lower(c.extent)!)],
  ['no route for this content and method', (c) => !ROUTES[c.method].split(' ').includes(c.content)],
  ['content not offered by the resource', (c) => !OFFERS[c.modelType].split(' ').includes(c.content)],
  ['POST with a modifier', (c) => c.method === 'POST' && (c.level !== undefined || c.extent !== undefined)],
  ['PUT with level=core', (c) => c.method === 'PUT' && lower(c.level) === 'core'],
  ['PATCH with level=deep', (c) => c.method === 'PATCH' && lower(c.level) === 'deep'],
  ['GET $metadata with a level', (c) => c.method === 'GET' && c.content === '$metadata' && c.level !== undefined],
  ['$metadata with withBlobValue', (c) => c.content === '$metadata' && lower(c.extent) === 'withblobvalue'],
  ['$reference with level=deep', (c) => c.content === '$reference' && lower(c.level) === 'deep'],
];

function outcome(c: Case): 'ok' | 'rejected' {
  try {
    checkModifiers({ modelType: c.modelType }, c);
    return 'ok';
  } catch (e) {
    if (e instanceof BadRequest) return 'rejected';
    throw e;
  }
}

describe('checkModifiers: every resource type × content × method × level × extent', () => {
  const methods: ModifierMethod[] = ['GET', 'PUT', 'PATCH', 'POST'];
  const contents: Content[] = ['normal', '$metadata', '$value', '$reference', '$path'];
  const levels: Level[] = [undefined, 'deep', 'core', 'Core', 'DEEP', 'shallow', ''];
  const extents: Level[] = [undefined, 'withoutBlobValue', 'withBlobValue', 'WithBLOBValue', 'WITHOUTBLOBVALUE', 'all'];

  it('allows exactly what the spec allows and answers 400 for the rest', () => {
    const mismatches: string[] = [];
    const counts = { ok: 0, rejected: 0 };
    for (const modelType of Object.keys(OFFERS))
      for (const method of methods)
        for (const content of contents)
          for (const level of levels)
            for (const extent of extents) {
              const c: Case = { modelType, method, content, level, extent };
              const reasons = FORBIDDEN.filter(([, applies]) => applies(c)).map(([why]) => why);
              const expected = reasons.length > 0 ? 'rejected' : 'ok';
              const actual = outcome(c);
              counts[actual]++;
              if (actual !== expected) mismatches.push(`${method} ${content} on ${modelType} level=${String(level)} extent=${String(extent)}: ${actual}, expected ${expected} (${reasons.join('; ') || 'allowed'})`);
            }
    assert.deepEqual(mismatches.slice(0, 20), []);
    assert.equal(counts.ok + counts.rejected, 16 * 4 * 5 * 7 * 6);
    assert.ok(counts.ok > 500 && counts.rejected > 5000, JSON.stringify(counts));
  });

  it('returns the parsed values, defaults deep and withoutBlobValue', () => {
    const get = (modelType: string, content: Content, level?: string, extent?: string) => checkModifiers({ modelType }, { method: 'GET', content, level, extent });
    assert.deepEqual(get('SubmodelElementCollection', 'normal'), { level: 'deep', extent: 'withoutBlobValue' });
    assert.deepEqual(get('Submodel', '$value', 'Core', 'WithBLOBValue'), { level: 'core', extent: 'withBlobValue' });
    assert.deepEqual(get('Entity', '$path', 'core'), { level: 'core', extent: 'withoutBlobValue' });
    assert.deepEqual(get('Property', 'normal', 'core', 'withBlobValue'), { level: 'core', extent: 'withBlobValue' }, 'accepted, changes nothing on a leaf');
  });

  it('spot checks from Part 2 and aas-test-engines', () => {
    const get = (modelType: string, content: Content, level?: string, extent?: string) => outcome({ modelType, method: 'GET', content, level, extent });
    assert.equal(get('Capability', '$value'), 'rejected', 'Part 2: …/capabilityIdShort/$value → 400');
    assert.equal(get('Operation', '$metadata'), 'rejected');
    assert.equal(get('Operation', '$reference'), 'ok');
    assert.equal(get('Property', '$path'), 'rejected');
    assert.equal(get('AnnotatedRelationshipElement', '$path'), 'rejected');
    assert.equal(get('SubmodelElementList', '$path', 'core'), 'ok');
    assert.equal(get('Property', 'normal', 'core'), 'ok', 'aas-test-engines GetSubmodelElementByPath level=core on every type');
    assert.equal(get('Blob', '$value', 'deep', 'withBlobValue'), 'ok');
    assert.equal(get('Submodel', '$metadata', 'core'), 'rejected');
    assert.equal(get('Submodel', '$metadata', undefined, 'withoutBlobValue'), 'ok');
    assert.equal(get('Submodel', '$reference', 'core'), 'ok');
    assert.equal(get('AssetAdministrationShell', '$reference', 'deep'), 'rejected');
    assert.equal(get('AssetAdministrationShell', '$value'), 'rejected');
    assert.equal(outcome({ modelType: 'Submodel', method: 'POST', content: 'normal', level: 'deep', extent: undefined }), 'rejected');
    assert.equal(outcome({ modelType: 'Submodel', method: 'PUT', content: 'normal', level: undefined, extent: 'withBlobValue' }), 'ok');
    assert.equal(outcome({ modelType: 'Submodel', method: 'PATCH', content: '$value', level: 'core', extent: undefined }), 'ok');
  });

});

const SPEC_DIR = process.env.AAS_SPEC_DIR ?? fileURLToPath(new URL('../../../shared/spec/', import.meta.url));
const REQUIRE_ALL = process.env.AAS_TEST_REQUIRE_ALL === '1';

/** The resource and content an operations.tsv path addresses, for the Submodel API and the /submodels lists. */
function routeOf(path: string): { modelType: string; content: Content } | undefined {
  const rest = path
    .replace(/^\/shells\/\{aasIdentifier\}\/submodels\/\{submodelIdentifier\}/, '')
    .replace(/^\/aas\/submodels\/\{submodelIdentifier\}/, '')
    .replace(/^\/submodels\/\{submodelIdentifier\}/, '')
    .replace(/^\/submodels(?=\/\$|$)/, '')
    .replace(/^\/submodel(?=\/|$)/, '');
  if (rest === path && !/^\/submodels?(\/|$)/.test(path)) return undefined;
  const m = /^(\/submodel-elements(\/\{idShortPath\})?)?(\/(\$\w+))?$/.exec(rest);
  if (!m) return undefined;
  return { modelType: m[2] ? 'SubmodelElementCollection' : 'Submodel', content: (m[4] as Content | undefined) ?? 'normal' };
}

describe('checkModifiers agrees with the parameters operations.tsv lists (Part 2 V3.1.2)', () => {
  it('accepts every listed level/extent value, rejects level where the text forbids it', (t) => {
    const tsv = join(SPEC_DIR, 'operations.tsv');
    if (!existsSync(tsv)) {
      if (REQUIRE_ALL) assert.fail(`${tsv} is missing (set AAS_SPEC_DIR)`);
      t.skip(`${tsv} not found (set AAS_SPEC_DIR to the shared spec folder)`);
      return;
    }
    const [header, ...rows] = readFileSync(tsv, 'utf8').trim().split('\n').map((l) => l.split('\t'));
    const col = (name: string) => header.indexOf(name);
    const problems: string[] = [];
    let checked = 0;
    const expect = (what: string, c: Case, wanted: 'ok' | 'rejected') => {
      checked++;
      if (outcome(c) !== wanted) problems.push(`${what}: ${c.method} ${c.content} level=${String(c.level)} extent=${String(c.extent)} is ${outcome(c)}`);
    };
    for (const r of rows) {
      if (r[col('version')] !== 'V3.1.2') continue;
      const method = r[col('method')] as ModifierMethod;
      const route = routeOf(r[col('path')]);
      if (!route || !['GET', 'PUT', 'PATCH', 'POST'].includes(method)) continue;
      const params = r[col('parameters')].split(',');
      const what = `${r[col('service')]} ${method} ${r[col('path')]}`;
      const base = { ...route, method, level: undefined, extent: undefined };
      expect(what, base, 'ok');
      // `Level` is the shared deep|core parameter. Deliberate exception: the AAS-repository PATCH element routes
      // list it where every other PATCH lists the core-only `level`, so deep stays a 400 on PATCH.
      if (params.includes('Level')) for (const level of method === 'PATCH' ? ['core'] : ['deep', 'core']) expect(what, { ...base, level }, 'ok');
      // `level` is declared inline with a one-value enum: core on GET ($reference) and PATCH, deep on PUT.
      if (params.includes('level')) expect(what, { ...base, level: method === 'PUT' ? 'deep' : 'core' }, 'ok');
      if (params.includes('Extent')) for (const extent of ['withoutBlobValue', 'withBlobValue']) expect(what, { ...base, extent }, 'ok');
      if (method === 'GET' && route.content === '$metadata') {
        assert.ok(!params.some((p) => p.toLowerCase() === 'level'), `${what} lists no level`);
        expect(what, { ...base, level: 'core' }, 'rejected');
      }
      if (method === 'POST') expect(what, { ...base, extent: 'withoutBlobValue' }, 'rejected');
    }
    assert.deepEqual(problems, []);
    assert.ok(checked > 150, `checked ${checked}`);
  });
});
