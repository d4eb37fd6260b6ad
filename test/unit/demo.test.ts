/**
 * The demo environment (src/demo/environment.json) is what a user sees first, so it must be valid under both
 * metamodel versions the server speaks and internally consistent. The 3.1 checks through the project's own
 * validators live in demo-v31.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { jsonization, verification } from '@aas-core-works/aas-core3.0-typescript';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const DEMO_CD_PREFIX = 'https://example.com/ids/cd/';

/** A fresh parse per test, so no test sees another's mutations. */
function readDemoEnvironment(): JsonObject {
  return JSON.parse(readFileSync(new URL('../../src/demo/environment.json', import.meta.url), 'utf8')) as JsonObject;
}

/** aas-core's JSON type has no null; the demo holds none, and a null would fail deserialization anyway. */
function forAasCore(value: JsonObject): jsonization.JsonValue {
  return value as unknown as jsonization.JsonValue;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function arrayOf(value: Json | undefined): Json[] {
  return Array.isArray(value) ? value : [];
}

function objectsOf(value: Json | undefined): JsonObject[] {
  return arrayOf(value).filter(isObject);
}

/** Every object in the document with its JSON path, depth first. */
function* objectsWithPath(value: Json, path = '$'): Generator<[JsonObject, string]> {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) yield* objectsWithPath(value[i], `${path}[${i}]`);
  } else if (isObject(value)) {
    yield [value, path];
    for (const [key, child] of Object.entries(value)) yield* objectsWithPath(child, `${path}.${key}`);
  }
}

/** Every array in the document with its JSON path. */
function* arraysWithPath(value: Json, path = '$'): Generator<[Json[], string]> {
  if (Array.isArray(value)) {
    yield [value, path];
    for (let i = 0; i < value.length; i++) yield* arraysWithPath(value[i], `${path}[${i}]`);
  } else if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) yield* arraysWithPath(child, `${path}.${key}`);
  }
}

interface WalkedElement {
  element: JsonObject;
  path: string;
  /** Direct child of a SubmodelElementList (AASd-120: no idShort there). */
  inList: boolean;
}

/** All submodel elements of all submodels, recursively, including operation variables' values. */
function* allSubmodelElements(env: JsonObject): Generator<WalkedElement> {
  const submodels = arrayOf(env.submodels);
  for (let s = 0; s < submodels.length; s++) {
    const submodel = submodels[s];
    if (isObject(submodel)) yield* walk(arrayOf(submodel.submodelElements), `$.submodels[${s}].submodelElements`, false);
  }
}

function* walk(list: Json[], path: string, inList: boolean): Generator<WalkedElement> {
  for (let i = 0; i < list.length; i++) {
    const element = list[i];
    if (!isObject(element)) continue;
    const at = `${path}[${i}]`;
    yield { element, path: at, inList };
    if (element.modelType === 'SubmodelElementCollection') yield* walk(arrayOf(element.value), `${at}.value`, false);
    if (element.modelType === 'SubmodelElementList') yield* walk(arrayOf(element.value), `${at}.value`, true);
    if (element.modelType === 'Entity') yield* walk(arrayOf(element.statements), `${at}.statements`, false);
    if (element.modelType === 'AnnotatedRelationshipElement') {
      yield* walk(arrayOf(element.annotations), `${at}.annotations`, false);
    }
    if (element.modelType === 'Operation') {
      for (const kind of ['inputVariables', 'outputVariables', 'inoutputVariables']) {
        const values = objectsOf(element[kind]).map((v) => v.value ?? null);
        yield* walk(values, `${at}.${kind}[*].value`, false);
      }
    }
  }
}

function findByIdShort(elements: Json | undefined, idShort: string): JsonObject | undefined {
  return objectsOf(elements).find((e) => e.idShort === idShort);
}

test('the demo environment deserializes and verifies under aas-core 3.0 with zero errors', () => {
  const parsed = jsonization.environmentFromJsonable(forAasCore(readDemoEnvironment()));
  assert.equal(parsed.error, null, `deserialization failed: ${parsed.error?.path.toString()}: ${parsed.error?.message}`);
  const errors = [...verification.verify(parsed.mustValue())].map((e) => `${e.path.toString()}: ${e.message}`);
  assert.deepEqual(errors, []);
});

test('the demo environment round-trips through aas-core 3.0 jsonization unchanged', () => {
  const original = readDemoEnvironment();
  const environment = jsonization.environmentFromJsonable(forAasCore(readDemoEnvironment())).mustValue();
  assert.deepEqual(jsonization.toJsonable(environment), original);
});

test('holds a robot arm and a CNC machining centre, each with nameplate, technical and operational data', () => {
  const env = readDemoEnvironment();
  const shells = objectsOf(env.assetAdministrationShells);
  assert.equal(shells.length, 2);
  const submodelsById = new Map(objectsOf(env.submodels).map((sm) => [sm.id, sm]));
  for (const shell of shells) {
    const info = shell.assetInformation as JsonObject;
    assert.equal(info.assetKind, 'Instance', `${shell.idShort}: assetKind`);
    assert.ok(typeof info.globalAssetId === 'string' && info.globalAssetId.startsWith('https://example.com/'));
    const idShorts = objectsOf(shell.submodels)
      .map((ref) => submodelsById.get(objectsOf(ref.keys)[0]?.value as string)?.idShort)
      .sort();
    assert.deepEqual(idShorts, ['Nameplate', 'OperationalData', 'TechnicalData'], `${shell.idShort}: submodels`);
  }
  const cnc = objectsOf(env.submodels).find(
    (sm) => sm.idShort === 'OperationalData' && findByIdShort(sm.submodelElements, 'StartJob'),
  );
  const startJob = findByIdShort(cnc?.submodelElements, 'StartJob');
  assert.equal(startJob?.modelType, 'Operation');
  assert.deepEqual(
    objectsOf(startJob?.inputVariables).map((v) => (v.value as JsonObject).idShort),
    ['JobId'],
  );
  assert.deepEqual(
    objectsOf(startJob?.outputVariables).map((v) => [(v.value as JsonObject).idShort, (v.value as JsonObject).valueType]),
    [['Accepted', 'xs:boolean']],
  );
});

test('every submodel is referenced by exactly one shell and every submodel reference resolves', () => {
  const env = readDemoEnvironment();
  const referencedBy = new Map<string, string[]>();
  for (const shell of objectsOf(env.assetAdministrationShells)) {
    for (const ref of objectsOf(shell.submodels)) {
      assert.equal(ref.type, 'ModelReference');
      const keys = objectsOf(ref.keys);
      assert.equal(keys.length, 1);
      assert.equal(keys[0].type, 'Submodel');
      const id = keys[0].value as string;
      referencedBy.set(id, [...(referencedBy.get(id) ?? []), shell.id as string]);
    }
  }
  const submodelIds = objectsOf(env.submodels).map((sm) => sm.id as string);
  assert.equal(new Set(submodelIds).size, submodelIds.length, 'submodel ids are unique');
  for (const id of submodelIds) assert.equal(referencedBy.get(id)?.length, 1, `${id} referenced by ${referencedBy.get(id)}`);
  for (const id of referencedBy.keys()) assert.ok(submodelIds.includes(id), `dangling submodel reference ${id}`);
});

test('every semanticId under https://example.com/ids/cd/ resolves to a concept description, and every one is used', () => {
  const env = readDemoEnvironment();
  const cdIds = new Set(objectsOf(env.conceptDescriptions).map((cd) => cd.id as string));
  const used = new Set<string>();
  for (const [obj, path] of objectsWithPath(env)) {
    // Any Reference: semanticId, semanticIdListElement, valueId, supplementalSemanticIds ...
    if (!Array.isArray(obj.keys)) continue;
    for (const key of objectsOf(obj.keys)) {
      const value = key.value as string;
      if (!value.startsWith(DEMO_CD_PREFIX)) continue;
      assert.ok(cdIds.has(value), `${path} points at ${value}, which has no concept description`);
      used.add(value);
    }
  }
  assert.deepEqual([...cdIds].filter((id) => !used.has(id)), [], 'concept descriptions nothing refers to');
});

test('every demo concept description carries IEC 61360 content with English and German names', () => {
  const env = readDemoEnvironment();
  const cds = objectsOf(env.conceptDescriptions);
  assert.ok(cds.length > 0);
  for (const cd of cds) {
    assert.ok((cd.id as string).startsWith(DEMO_CD_PREFIX), `${cd.id} is the demo's own`);
    const [spec] = objectsOf(cd.embeddedDataSpecifications);
    const content = spec?.dataSpecificationContent as JsonObject | undefined;
    assert.equal(content?.modelType, 'DataSpecificationIec61360', `${cd.id}`);
    const names = objectsOf(content.preferredName).map((l) => l.language).sort();
    assert.deepEqual(names, ['de', 'en'], `${cd.id} preferredName languages`);
  }
});

test('the demo avoids constructs that only one of metamodel 3.0 and 3.1 accepts', () => {
  const env = readDemoEnvironment();
  const problems: string[] = [];
  // The intersection of the 3.0 and 3.1 idShort grammars: no hyphen (3.0), at least two characters (3.1).
  const idShortBoth = /^[a-zA-Z][a-zA-Z0-9_]*[a-zA-Z0-9_]$/;
  for (const [obj, path] of objectsWithPath(env)) {
    if (typeof obj.idShort === 'string' && (!idShortBoth.test(obj.idShort) || obj.idShort.length > 128)) {
      problems.push(`${path}.idShort ${JSON.stringify(obj.idShort)}`);
    }
    if (typeof obj.id === 'string' && obj.id.length > 2000) problems.push(`${path}.id longer than 2000`);
  }
  for (const { element, path, inList } of allSubmodelElements(env)) {
    if (inList && 'idShort' in element) problems.push(`${path}: idShort on a list child (AASd-120)`);
    if (!inList && typeof element.idShort !== 'string') problems.push(`${path}: idShort missing (AASd-117)`);
    if (element.modelType === 'Property' && typeof element.valueType !== 'string') problems.push(`${path}: valueType`);
    if ((element.modelType === 'File' || element.modelType === 'Blob') && typeof element.contentType !== 'string') {
      problems.push(`${path}: contentType missing (required in 3.1)`);
    }
  }
  for (const [array, path] of arraysWithPath(env)) {
    const langStrings = array.filter((x): x is JsonObject => isObject(x) && 'language' in x && 'text' in x);
    if (langStrings.length === 0) continue;
    const languages = langStrings.map((l) => l.language);
    if (new Set(languages).size !== languages.length) problems.push(`${path}: duplicate language in ${languages}`);
  }
  assert.deepEqual(problems, []);
});

test('asset information and nameplate tell the same serial number and part id', () => {
  const env = readDemoEnvironment();
  const submodelsById = new Map(objectsOf(env.submodels).map((sm) => [sm.id, sm]));
  for (const shell of objectsOf(env.assetAdministrationShells)) {
    const specific = new Map(
      objectsOf((shell.assetInformation as JsonObject).specificAssetIds).map((s) => [s.name, s.value]),
    );
    const nameplate = objectsOf(shell.submodels)
      .map((ref) => submodelsById.get(objectsOf(ref.keys)[0]?.value as string))
      .find((sm) => sm?.idShort === 'Nameplate');
    assert.ok(nameplate, `${shell.idShort} has a nameplate`);
    assert.equal(findByIdShort(nameplate.submodelElements, 'SerialNumber')?.value, specific.get('serialNumber'));
    const articleNumber = findByIdShort(nameplate.submodelElements, 'ProductArticleNumberOfManufacturer');
    assert.equal(objectsOf(articleNumber?.value)[0]?.text, specific.get('manufacturerPartId'));
  }
});
