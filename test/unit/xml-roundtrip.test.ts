/**
 * AAS XML serialization: JSON → XML → JSON is the identity, on generated models of every class and on the
 * aas-core corpus (3.1 Expected shells, submodels, concept descriptions, environments, and each submodel element
 * class inside a submodel; every 3.0 ContainedInEnvironment/Expected environment, as V3.1 and as V3.0 XML), and
 * every document written validates against the official AAS.xsd of its version (xmllint, batched).
 * The writer's element names and order are compared with the XSD's sequences class by class.
 *
 * Data outside the repository: AAS_TESTDATA (default ../shared/spec/testdata) and the XSDs beside it
 * (AAS_XSD_DIR, default <testdata>/../schema). Missing data or a missing xmllint skip with the reason, and fail
 * under AAS_TEST_REQUIRE_ALL=1.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, it, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { BadRequest } from '../../src/errors.js';
import {
  AAS_XML_NAMESPACES,
  environmentToXml,
  identifiableToXml,
  xmlToEnvironment,
  xmlToIdentifiable,
  type AasXmlVersion,
  type Identifiable,
} from '../../src/interchange/xml/index.js';
import { elementNameOf, XML_CLASSES } from '../../src/interchange/xml/xml-classes.js';
import type { Environment } from '../../src/model/types.js';
import { SUBMODEL_ELEMENT_CLASSES } from '../../src/validation/schema/submodel-elements.js';
import { modelArbitraries } from './xml-model-arbitrary.js';
import { validateWithXsd, xmllintAvailable, xsdSequences } from './xml-xsd.js';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
const testdata = resolve(repositoryRoot, process.env.AAS_TESTDATA ?? '../shared/spec/testdata');
const xsdDir = resolve(repositoryRoot, process.env.AAS_XSD_DIR ?? join(testdata, '../schema'));
const XSD: Record<AasXmlVersion, string> = { '3.0': join(xsdDir, 'V3.0/AAS.xsd'), '3.1': join(xsdDir, 'V3.1/AAS.xsd') };
const core31Expected = join(testdata, 'aas-core3.1/Json/Expected');
const core30Environments = [
  join(testdata, 'aas-core3.0/Json/ContainedInEnvironment/Expected'),
  join(testdata, 'aas-core3.0/Json/SelfContained/Expected/Environment'),
];
const requireAll = process.env.AAS_TEST_REQUIRE_ALL === '1';

/** Skips (or fails under AAS_TEST_REQUIRE_ALL=1) when something outside the repository is missing. */
function requirePresent(t: TestContext, present: boolean, reason: string): boolean {
  if (present) return true;
  if (requireAll) assert.fail(`${reason}; AAS_TEST_REQUIRE_ALL=1 requires it`);
  t.skip(reason);
  return false;
}

const requireFiles = (t: TestContext, paths: string[]) =>
  requirePresent(t, paths.every(existsSync), `not found: ${paths.filter((p) => !existsSync(p)).join(', ')} (set AAS_TESTDATA / AAS_XSD_DIR)`);

function jsonFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true })
    .flatMap((entry) => {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) return jsonFiles(path);
      return entry.name.endsWith('.json') ? [path] : [];
    })
    .sort();
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;

/** Every document written, by version, for the xmllint pass at the end. */
const written: Record<AasXmlVersion, { label: string; xml: string }[]> = { '3.0': [], '3.1': [] };

function environmentRoundTrip(env: Environment, version: AasXmlVersion, label: string): Environment {
  const xml = environmentToXml(env, { version });
  written[version].push({ label, xml });
  return xmlToEnvironment(xml);
}

function identifiableRoundTrip(identifiable: Identifiable, version: AasXmlVersion, label: string): Identifiable {
  const xml = identifiableToXml(identifiable, { version });
  written[version].push({ label, xml });
  return xmlToIdentifiable(xml);
}

/** Runs `check` over all cases and reports every case that fails, not only the first. */
function everyCase<T>(cases: T[], label: (c: T) => string, check: (c: T) => void): void {
  const failures: string[] = [];
  for (const c of cases) {
    try {
      check(c);
    } catch (error) {
      failures.push(`${label(c)}: ${error instanceof Error ? error.message.split('\n').slice(0, 6).join(' ') : String(error)}`);
    }
  }
  assert.deepEqual(failures.slice(0, 10), [], `${failures.length} of ${cases.length} cases failed`);
}

const arbitraries = modelArbitraries();

function catchError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

/** V3.0 requires these, V3.1 made them optional (compare the two AAS.xsd). */
const V30_REQUIRED: Record<string, Record<string, unknown>> = {
  Blob: { contentType: 'application/octet-stream' },
  File: { contentType: 'application/octet-stream' },
  Entity: { entityType: 'CoManagedEntity' },
  RelationshipElement: { first: { type: 'ExternalReference', keys: [{ type: 'GlobalReference', value: 'urn:first' }] }, second: { type: 'ExternalReference', keys: [{ type: 'GlobalReference', value: 'urn:second' }] } },
};
V30_REQUIRED.AnnotatedRelationshipElement = V30_REQUIRED.RelationshipElement;

/** The same model without what only V3.1 has: hyphens in idShorts, assetKind Role, elements V3.0 requires absent. */
function fitV30(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((item) => fitV30(item, key === 'valueReferencePairs' ? 'valueReferencePair' : ''));
  if (typeof value !== 'object' || value === null) return value;
  const object = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fitV30(v, k)])) as Record<string, unknown>;
  if (typeof object.idShort === 'string') object.idShort = object.idShort.replace(/-/g, '_');
  if (object.assetKind === 'Role') object.assetKind = 'Instance';
  const defaults = key === 'valueReferencePair' ? { valueId: V30_REQUIRED.RelationshipElement.first } : V30_REQUIRED[object.modelType as string] ?? {};
  return { ...defaults, ...object };
}

describe('AAS XML serialization: round trips', () => {
  it('writes every class with the element names and order of AAS.xsd (V3.1 and V3.0)', (t) => {
    if (!requireFiles(t, Object.values(XSD))) return;
    for (const version of ['3.1', '3.0'] as const) {
      const sequences = xsdSequences(readFileSync(XSD[version], 'utf8'));
      for (const cls of XML_CLASSES.values()) {
        const sequence = sequences.get(cls.element);
        assert.ok(sequence, `V${version}: AAS.xsd has no group ${cls.element}`);
        assert.deepEqual(cls.fields.map((f) => f.name), sequence.map((e) => e.name), `V${version} ${cls.name}: element order`);
        cls.fields.forEach((field, i) => {
          const xsd = sequence[i];
          const where = `V${version} ${cls.name}.${field.name}`;
          if (field.kind === 'object') assert.equal(xsd.type, `${elementNameOf(field.className)}_t`, where);
          if (field.kind === 'list') assert.deepEqual(xsd.wraps, [field.itemElement], where);
          if (field.kind === 'choice' || field.kind === 'choiceList') assert.deepEqual([...xsd.wraps].sort(), field.members.map(elementNameOf).sort(), where);
          if (field.kind === 'text' || field.kind === 'boolean' || field.kind === 'base64') assert.deepEqual(xsd.wraps, [], where);
        });
      }
    }
  });

  it('JSON → XML → JSON is the identity on generated environments and identifiables (V3.1)', () => {
    fc.assert(
      fc.property(arbitraries.of('Environment'), (env) => {
        assert.deepStrictEqual(environmentRoundTrip(env as Environment, '3.1', 'generated environment'), env);
        for (const identifiable of [...(env.assetAdministrationShells as Identifiable[] ?? []), ...(env.submodels as Identifiable[] ?? []), ...(env.conceptDescriptions as Identifiable[] ?? [])]) {
          assert.deepStrictEqual(identifiableRoundTrip(identifiable, '3.1', `generated ${identifiable.modelType}`), identifiable);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('writes V3.0 when the model fits it, and otherwise refuses with the JSON path of each problem', (t) => {
    let refused = 0;
    fc.assert(
      fc.property(arbitraries.of('Environment'), (env) => {
        const fitted = fitV30(env) as Environment;
        const xml = environmentToXml(fitted, { version: '3.0' });
        assert.ok(xml.includes(`xmlns="${AAS_XML_NAMESPACES['3.0']}"`));
        written['3.0'].push({ label: 'generated environment made to fit V3.0', xml });
        assert.deepStrictEqual(xmlToEnvironment(xml), fitted, 'a V3.0 document reads back as the same JSON');
        if (isDeepStrictEqual(fitted, env)) return;
        // The model as generated used something only V3.1 has.
        const error = catchError(() => environmentToXml(env as Environment, { version: '3.0' }));
        assert.ok(error instanceof BadRequest, `V3.0 refuses ${JSON.stringify(env).slice(0, 200)}`);
        assert.ok(error.details.length > 0 && error.details.every((d) => d.path?.startsWith('$.')), JSON.stringify(error.details));
        refused++;
      }),
      { numRuns: 150 },
    );
    t.diagnostic(`generated environments: 150 written as V3.0 after fitting, ${refused} refused as generated`);
    assert.ok(refused > 0, 'some generated environments use what only V3.1 has');
  });

  it('JSON → XML → JSON is the identity on every aas-core 3.1 Expected Identifiable and Environment', (t) => {
    if (!requireFiles(t, [core31Expected])) return;
    const identifiables = ['AssetAdministrationShell', 'Submodel', 'ConceptDescription'].flatMap((cls) => jsonFiles(join(core31Expected, cls)));
    const environments = jsonFiles(join(core31Expected, 'Environment'));
    everyCase(identifiables, (f) => relative(testdata, f), (file) => {
      const json = readJson(file) as Identifiable;
      assert.deepStrictEqual(identifiableRoundTrip(json, '3.1', relative(testdata, file)), json);
      // The same document read as an Environment holds just it.
      const env = xmlToEnvironment(identifiableToXml(json));
      assert.deepStrictEqual(Object.values(env), [[json]]);
    });
    everyCase(environments, (f) => relative(testdata, f), (file) => {
      const json = readJson(file) as Environment;
      assert.deepStrictEqual(environmentRoundTrip(json, '3.1', relative(testdata, file)), json);
    });
    // Each submodel element class of the corpus, inside a submodel (3.1-only shapes: no entityType, no first).
    const elements = SUBMODEL_ELEMENT_CLASSES.flatMap((cls) => jsonFiles(join(core31Expected, cls)));
    everyCase(elements, (f) => relative(testdata, f), (file) => {
      const submodel = { id: 'urn:xml-test', submodelElements: [readJson(file)], modelType: 'Submodel' } as Identifiable;
      assert.deepStrictEqual(identifiableRoundTrip(submodel, '3.1', relative(testdata, file)), submodel);
    });
    t.diagnostic(`aas-core 3.1: ${identifiables.length} identifiables, ${environments.length} environments, ${elements.length} submodel elements`);
    assert.equal(identifiables.length + environments.length, 8);
    assert.ok(elements.length >= 30, `${elements.length} submodel element cases`);
  });

  it('JSON → XML → JSON is the identity on every aas-core 3.0 Expected environment, as V3.1 and as V3.0 XML', (t) => {
    if (!requireFiles(t, core30Environments)) return;
    const files = core30Environments.flatMap(jsonFiles);
    everyCase(files, (f) => relative(testdata, f), (file) => {
      const json = readJson(file) as Environment;
      const label = relative(testdata, file);
      assert.deepStrictEqual(environmentRoundTrip(json, '3.1', label), json, 'as V3.1');
      assert.deepStrictEqual(environmentRoundTrip(json, '3.0', label), json, 'as V3.0');
    });
    t.diagnostic(`aas-core 3.0: ${files.length} environments, each as V3.1 and as V3.0`);
    assert.ok(files.length >= 2500, `${files.length} environments`);
  });

  it('every document written above validates against AAS.xsd of its version (xmllint)', async (t) => {
    if (!requirePresent(t, xmllintAvailable(), 'xmllint not found (Debian/Ubuntu: apt-get install libxml2-utils)')) return;
    if (!requireFiles(t, Object.values(XSD))) return;
    assert.ok(written['3.1'].length > 100 && written['3.0'].length > 100, 'the round trips above ran');
    // The harness itself must see a bad document: <id> before <idShort> breaks the XSD's order.
    const misordered = `<submodel xmlns="${AAS_XML_NAMESPACES['3.1']}"><id>urn:x</id><idShort>a1</idShort></submodel>`;
    for (const version of ['3.1', '3.0'] as const) {
      const documents = [...written[version], { label: 'misordered control', xml: misordered.replace(AAS_XML_NAMESPACES['3.1'], AAS_XML_NAMESPACES[version]) }];
      const verdicts = await validateWithXsd(XSD[version], AAS_XML_NAMESPACES[version], documents);
      assert.ok(verdicts.failures.has('misordered control'), 'xmllint rejects an element out of order');
      verdicts.failures.delete('misordered control');
      t.diagnostic(`V${version}: ${verdicts.validated} of ${written[version].length} documents valid against AAS.xsd`);
      assert.deepEqual([...verdicts.failures].slice(0, 5), [], `V${version}: ${verdicts.failures.size} documents invalid`);
    }
  });
});
