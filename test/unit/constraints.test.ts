/**
 * Focused tests of the AASd/AASc constraint checker: each rule fires on a minimal violating document, at the
 * path of the offending value and with the constraint id first in the message, and stays silent on the
 * corrected document.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkConstraints } from '../../src/validation/constraints/index.js';
import type { ValidationIssue } from '../../src/validation/issues.js';

type Json = Record<string, unknown>;

const globalRef = (value: string): Json => ({ type: 'ExternalReference', keys: [{ type: 'GlobalReference', value }] });
const modelRef = (...keys: [string, string][]): Json => ({
  type: 'ModelReference',
  keys: keys.map(([type, value]) => ({ type, value })),
});
const property = (idShort: string | undefined, valueType = 'xs:string', value?: string): Json => ({
  modelType: 'Property',
  ...(idShort === undefined ? {} : { idShort }),
  valueType,
  ...(value === undefined ? {} : { value }),
});
const submodel = (elements: unknown[], extra: Json = {}): Json => ({ modelType: 'Submodel', id: 'urn:sm', ...extra, submodelElements: elements });

/** The one issue whose message starts with `prefix`; fails if there is none or more than one. */
function only(issues: ValidationIssue[], prefix: string): ValidationIssue {
  const matching = issues.filter((i) => i.message.startsWith(prefix));
  assert.equal(matching.length, 1, `expected one ${prefix} issue, got ${JSON.stringify(issues)}`);
  assert.equal(matching[0].kind, 'constraint');
  return matching[0];
}

function propertyValueIssues(valueType: string, value: string): ValidationIssue[] {
  return checkConstraints('Property', property('p', valueType, value));
}

function isValidValue(valueType: string, value: string): boolean {
  return propertyValueIssues(valueType, value).length === 0;
}

describe('value vs valueType', () => {
  test('xs:byte bounds 127/128 and -128/-129, with path and type in the message', () => {
    assert.ok(isValidValue('xs:byte', '127'));
    assert.ok(isValidValue('xs:byte', '-128'));
    assert.ok(isValidValue('xs:byte', '+0127'));
    const [issue] = propertyValueIssues('xs:byte', '128');
    assert.equal(issue.path, '$.value');
    assert.match(issue.message, /"128" is not a valid xs:byte/);
    assert.ok(!isValidValue('xs:byte', '-129'));
    assert.ok(!isValidValue('xs:byte', '1.0'));
  });

  test('64-bit bounds are exact (BigInt)', () => {
    assert.ok(isValidValue('xs:long', '9223372036854775807'));
    assert.ok(!isValidValue('xs:long', '9223372036854775808'));
    assert.ok(isValidValue('xs:long', '-9223372036854775808'));
    assert.ok(isValidValue('xs:unsignedLong', '18446744073709551615'));
    assert.ok(!isValidValue('xs:unsignedLong', '18446744073709551616'));
    assert.ok(isValidValue('xs:unsignedInt', '-0'));
    assert.ok(!isValidValue('xs:unsignedInt', '-1'));
    assert.ok(isValidValue('xs:integer', '-123456789012345678901234567890'));
  });

  test('signed integer families', () => {
    assert.ok(isValidValue('xs:positiveInteger', '1'));
    assert.ok(!isValidValue('xs:positiveInteger', '0'));
    assert.ok(isValidValue('xs:nonNegativeInteger', '0'));
    assert.ok(!isValidValue('xs:nonNegativeInteger', '-1'));
    assert.ok(isValidValue('xs:negativeInteger', '-1'));
    assert.ok(!isValidValue('xs:negativeInteger', '0'));
    assert.ok(isValidValue('xs:nonPositiveInteger', '-0'));
    assert.ok(!isValidValue('xs:nonPositiveInteger', '1'));
  });

  test('xs:date has real calendar dates: Feb 29 only in leap years, no year 0000 (XSD 1.0 numbering)', () => {
    assert.ok(!isValidValue('xs:date', '2023-02-29'));
    assert.ok(isValidValue('xs:date', '2024-02-29'));
    assert.ok(!isValidValue('xs:date', '1900-02-29'));
    assert.ok(isValidValue('xs:date', '2000-02-29Z'));
    assert.ok(!isValidValue('xs:date', '2024-04-31'));
    assert.ok(!isValidValue('xs:date', '0000-01-01'));
    // -0001 is 1 BCE, a leap year; -0004 is 5 BCE, not one.
    assert.ok(isValidValue('xs:date', '-0001-02-29'));
    assert.ok(!isValidValue('xs:date', '-0004-02-29'));
    assert.ok(isValidValue('xs:date', '12345-01-01+14:00'));
    assert.ok(!isValidValue('xs:date', '2024-01-01+14:01'));
  });

  test('xs:dateTime and xs:time', () => {
    assert.ok(isValidValue('xs:dateTime', '2024-02-29T24:00:00Z'));
    assert.ok(!isValidValue('xs:dateTime', '2023-02-29T12:00:00'));
    assert.ok(!isValidValue('xs:dateTime', '2024-01-01T24:00:01'));
    assert.ok(!isValidValue('xs:dateTime', '2024-01-01'));
    assert.ok(isValidValue('xs:time', '23:59:59.999-05:00'));
    assert.ok(!isValidValue('xs:time', '25:00:00'));
  });

  test('xs:double and xs:float lexical rules: INF/-INF/NaN, no +INF, inf or overflow', () => {
    for (const ok of ['INF', '-INF', 'NaN', '1e308', '-.5E-3', '1.', '+12.34e56']) assert.ok(isValidValue('xs:double', ok), ok);
    for (const bad of ['+INF', 'inf', 'nan', '1e400', '-1e400', '1e', 'e5', '']) assert.ok(!isValidValue('xs:double', bad), bad);
    assert.ok(isValidValue('xs:float', '3.4e38'));
    assert.ok(!isValidValue('xs:float', '3.5e38'));
    assert.ok(isValidValue('xs:float', 'INF'));
  });

  test('the other lexical spaces', () => {
    const cases: [string, string, boolean][] = [
      ['xs:boolean', 'true', true], ['xs:boolean', '1', true], ['xs:boolean', 'True', false],
      ['xs:decimal', '-.5', true], ['xs:decimal', '1e5', false],
      ['xs:duration', 'P1Y2M3DT4H5M6.7S', true], ['xs:duration', '-PT1S', true], ['xs:duration', 'P', false],
      ['xs:duration', 'P1YT', false], ['xs:duration', 'P1S', false],
      ['xs:gDay', '---31', true], ['xs:gDay', '---32', false],
      ['xs:gMonth', '--12', true], ['xs:gMonth', '--13', false],
      ['xs:gMonthDay', '--02-29', true], ['xs:gMonthDay', '--04-31', false],
      ['xs:gYear', '0000', true], ['xs:gYear', '-12345Z', true], ['xs:gYear', '123', false],
      ['xs:gYearMonth', '2024-12', true], ['xs:gYearMonth', '2024-13', false],
      ['xs:hexBinary', '0aFF', true], ['xs:hexBinary', 'abc', false],
      ['xs:base64Binary', 'QUJD', true], ['xs:base64Binary', 'QU I=', true], ['xs:base64Binary', 'QUI', false],
      ['xs:base64Binary', 'QUJ=', false], ['xs:base64Binary', 'QQ==', true], ['xs:base64Binary', 'QR==', false],
      ['xs:anyURI', 'https://example.com/a?b#c', true], ['xs:anyURI', 'urn:x:y', true], ['xs:anyURI', '/p/ä', true],
      ['xs:anyURI', 'http://x#a#b', false], ['xs:anyURI', 'a b', false], ['xs:anyURI', '%zz', false],
      ['xs:string', 'any text', true],
    ];
    for (const [type, value, valid] of cases) assert.equal(isValidValue(type, value), valid, `${type} ${JSON.stringify(value)}`);
  });

  test('AASd-130: characters XML cannot carry are flagged on the value', () => {
    const issue = only(propertyValueIssues('xs:string', 'a\u0000b'), 'AASd-130:');
    assert.equal(issue.path, '$.value');
    assert.ok(!isValidValue('xs:string', '\uD800'));
  });

  test('Range min/max, Qualifier (AASd-020) and Extension (default xs:string) values', () => {
    const range = checkConstraints('Range', { modelType: 'Range', valueType: 'xs:int', min: '1', max: 'x' });
    assert.deepEqual(range.map((i) => i.path), ['$.max']);
    const qualifier = only(checkConstraints('Qualifier', { type: 'q', valueType: 'xs:boolean', value: 'yes' }), 'AASd-020:');
    assert.equal(qualifier.path, '$.value');
    assert.deepEqual(checkConstraints('Extension', { name: 'e', value: 'free text' }), []);
    assert.equal(checkConstraints('Extension', { name: 'e', valueType: 'xs:int', value: 'free text' }).length, 1);
  });
});

describe('DateTimeUtc fields', () => {
  const event = (lastUpdate: string): Json => ({
    modelType: 'BasicEventElement', observed: modelRef(['Submodel', 'urn:sm']), direction: 'output', state: 'on', lastUpdate,
  });

  test('BasicEventElement.lastUpdate must be a real UTC date-time', () => {
    assert.deepEqual(checkConstraints('BasicEventElement', event('2024-02-29T00:00:00Z')), []);
    assert.deepEqual(checkConstraints('BasicEventElement', event('2024-02-29T00:00:00-00:00')), []);
    assert.equal(checkConstraints('BasicEventElement', event('2023-02-29T00:00:00Z'))[0]?.path, '$.lastUpdate');
    assert.equal(checkConstraints('BasicEventElement', event('2024-01-01T00:00:00+01:00')).length, 1);
    assert.equal(checkConstraints('BasicEventElement', event('2024-01-01T00:00:00')).length, 1);
  });

  test('EventPayload.timeStamp and its references', () => {
    const payload = {
      source: modelRef(['Submodel', 'urn:sm'], ['BasicEventElement', 'ev']),
      observableReference: modelRef(['Submodel', 'urn:sm']),
      timeStamp: '2023-02-29T00:00:00Z',
    };
    const issues = checkConstraints('EventPayload', payload);
    assert.deepEqual(issues.map((i) => i.path), ['$.timeStamp']);
    const wrongSource = checkConstraints('EventPayload', { ...payload, timeStamp: '2024-02-29T00:00:00Z', source: modelRef(['Submodel', 'urn:sm']) });
    assert.deepEqual(wrongSource.map((i) => i.path), ['$.source']);
  });

  test('BasicEventElement: no maxInterval for input, observed must be a model reference to a referable', () => {
    const input = checkConstraints('BasicEventElement', { ...event('2024-01-01T00:00:00Z'), direction: 'input', maxInterval: 'PT1S' });
    assert.deepEqual(input.map((i) => i.path), ['$.maxInterval']);
    const external = checkConstraints('BasicEventElement', { ...event('2024-01-01T00:00:00Z'), observed: globalRef('urn:x') });
    assert.deepEqual(external.map((i) => i.path), ['$.observed']);
  });
});

describe('idShort namespaces', () => {
  test('AASd-022 in Submodel.submodelElements, with the duplicate idShort path', () => {
    const issue = only(checkConstraints('Submodel', submodel([property('x'), property('y'), property('x')])), 'AASd-022:');
    assert.equal(issue.path, '$.submodelElements[2].idShort');
    assert.match(issue.message, /^AASd-022: idShort "x" is not unique among submodelElements/);
    // Case-sensitive: X and x differ.
    assert.deepEqual(checkConstraints('Submodel', submodel([property('x'), property('X')])), []);
  });

  test('AASd-022 in nested collections, entity statements and annotations', () => {
    const smc = { modelType: 'SubmodelElementCollection', idShort: 'c', value: [property('a'), property('a')] };
    assert.equal(only(checkConstraints('Submodel', submodel([smc])), 'AASd-022:').path, '$.submodelElements[0].value[1].idShort');
    const entity = { modelType: 'Entity', idShort: 'e', statements: [property('a'), property('a')] };
    assert.equal(only(checkConstraints('Entity', entity), 'AASd-022:').path, '$.statements[1].idShort');
    const are = {
      modelType: 'AnnotatedRelationshipElement', idShort: 'r', first: modelRef(['Submodel', 'urn:a']), second: modelRef(['Submodel', 'urn:b']),
      annotations: [property('a'), property('a')],
    };
    assert.equal(only(checkConstraints('AnnotatedRelationshipElement', are), 'AASd-022:').path, '$.annotations[1].idShort');
  });

  test('AASd-134: operation variables share one namespace across input, output and inoutput', () => {
    const op = {
      modelType: 'Operation', idShort: 'op',
      inputVariables: [{ value: property('a') }],
      outputVariables: [{ value: property('b') }],
      inoutputVariables: [{ value: property('a') }],
    };
    const issue = only(checkConstraints('Operation', op), 'AASd-134:');
    assert.equal(issue.path, '$.inoutputVariables[0].value.idShort');
    assert.match(issue.message, /first at inputVariables\[0\]/);
  });

  test('AASd-117: idShort required except for direct children of a SubmodelElementList (AASd-120 is gone)', () => {
    const missing = only(checkConstraints('Submodel', submodel([property(undefined)])), 'AASd-117:');
    assert.equal(missing.path, '$.submodelElements[0]');
    const list = { modelType: 'SubmodelElementList', idShort: 'l', typeValueListElement: 'Property', valueTypeListElement: 'xs:string', value: [property(undefined), property('named')] };
    assert.deepEqual(checkConstraints('Submodel', submodel([list])), []);
    assert.equal(only(checkConstraints('OperationVariable', { value: property(undefined) }), 'AASd-117:').path, '$.value');
    // A bare element checked on its own has no known parent: no AASd-117.
    assert.deepEqual(checkConstraints('Property', property(undefined)), []);
  });

  test('idShorts given to list children must still be unique', () => {
    const list = { modelType: 'SubmodelElementList', typeValueListElement: 'Property', valueTypeListElement: 'xs:string', value: [property('a'), property('a')] };
    assert.equal(only(checkConstraints('SubmodelElementList', list), 'AASd-022:').path, '$.value[1].idShort');
  });
});

describe('SubmodelElementList', () => {
  const list = (extra: Json): Json => ({ modelType: 'SubmodelElementList', typeValueListElement: 'Property', valueTypeListElement: 'xs:int', ...extra });

  test('AASd-108: children of the declared type (abstract types admit their subclasses)', () => {
    const issue = only(checkConstraints('SubmodelElementList', list({ value: [property(undefined, 'xs:int'), { modelType: 'Blob', contentType: 'a/b' }] })), 'AASd-108:');
    assert.equal(issue.path, '$.value[1].modelType');
    assert.deepEqual(checkConstraints('SubmodelElementList', { modelType: 'SubmodelElementList', typeValueListElement: 'DataElement', value: [{ modelType: 'Blob', contentType: 'a/b' }] }), []);
  });

  test('AASd-109: valueTypeListElement required for Property/Range lists and matching every child', () => {
    assert.equal(only(checkConstraints('SubmodelElementList', list({ valueTypeListElement: undefined })), 'AASd-109:').path, '$.typeValueListElement');
    assert.equal(only(checkConstraints('SubmodelElementList', list({ value: [property(undefined, 'xs:string')] })), 'AASd-109:').path, '$.value[0].valueType');
  });

  test('AASd-107 and AASd-114: semantic ids of children', () => {
    const child = (id: string): Json => ({ ...property(undefined, 'xs:int'), semanticId: globalRef(id) });
    const against = checkConstraints('SubmodelElementList', list({ semanticIdListElement: globalRef('urn:a'), value: [child('urn:b')] }));
    assert.equal(only(against, 'AASd-107:').path, '$.value[0].semanticId');
    const mismatch = checkConstraints('SubmodelElementList', list({ value: [child('urn:a'), property(undefined, 'xs:int'), child('urn:b')] }));
    assert.equal(only(mismatch, 'AASd-114:').path, '$.value[2].semanticId');
    // Compared by key values only.
    const sameValues = list({ semanticIdListElement: modelRef(['Submodel', 'urn:a']), value: [child('urn:a')] });
    assert.deepEqual(checkConstraints('SubmodelElementList', sameValues), []);
  });
});

describe('references', () => {
  const ids = (ref: Json): string[] => checkConstraints('Reference', ref).map((i) => `${i.message.slice(0, 8)} ${i.path}`);

  test('AASd-121/122/124 on external references', () => {
    assert.deepEqual(ids(globalRef('urn:x')), []);
    assert.deepEqual(ids({ type: 'ExternalReference', keys: [{ type: 'Property', value: 'p' }] }), [
      'AASd-121 $.keys[0].type', 'AASd-122 $.keys[0].type', 'AASd-124 $.keys[0].type',
    ]);
    assert.deepEqual(ids({ type: 'ExternalReference', keys: [{ type: 'GlobalReference', value: 'x' }, { type: 'Submodel', value: 's' }] }), ['AASd-124 $.keys[1].type']);
    assert.deepEqual(ids({ type: 'ExternalReference', keys: [{ type: 'GlobalReference', value: 'x' }, { type: 'FragmentReference', value: 'f' }] }), []);
  });

  test('AASd-123/125/126/127/128 on model references', () => {
    assert.deepEqual(ids(modelRef(['Submodel', 's'], ['SubmodelElementList', 'l'], ['Property', '3'])), []);
    assert.deepEqual(ids(modelRef(['GlobalReference', 'x'])), ['AASd-123 $.keys[0].type']);
    assert.deepEqual(ids(modelRef(['Submodel', 's'], ['Submodel', 't'])), ['AASd-125 $.keys[1].type']);
    assert.deepEqual(ids(modelRef(['Submodel', 's'], ['FragmentReference', 'f'], ['Property', 'p'])), ['AASd-126 $.keys[1].type']);
    assert.deepEqual(ids(modelRef(['Submodel', 's'], ['Property', 'p'], ['FragmentReference', 'f'])), ['AASd-127 $.keys[2].type']);
    assert.deepEqual(ids(modelRef(['Submodel', 's'], ['File', 'p'], ['FragmentReference', 'f'])), []);
    assert.deepEqual(ids(modelRef(['Submodel', 's'], ['SubmodelElementList', 'l'], ['Property', 'p'])), ['AASd-128 $.keys[2].value']);
  });

  test('references are checked wherever they occur, with full paths', () => {
    const bad = { type: 'ModelReference', keys: [{ type: 'GlobalReference', value: 'x' }] };
    const doc = submodel([{ ...property('p'), qualifiers: [{ type: 'q', valueType: 'xs:string', valueId: bad }] }]);
    assert.equal(only(checkConstraints('Submodel', doc), 'AASd-123:').path, '$.submodelElements[0].qualifiers[0].valueId.keys[0].type');
  });

  test('AssetAdministrationShell.submodels must be model references to submodels', () => {
    const shell = { modelType: 'AssetAdministrationShell', id: 'urn:aas', assetInformation: { assetKind: 'Instance', globalAssetId: 'urn:asset' }, submodels: [modelRef(['Submodel', 'urn:sm']), globalRef('urn:sm')] };
    assert.deepEqual(checkConstraints('AssetAdministrationShell', shell).map((i) => i.path), ['$.submodels[1]']);
  });
});

describe('qualifiers, extensions, kinds', () => {
  test('AASd-021: one qualifier per type', () => {
    const doc = { ...property('p'), qualifiers: [{ type: 'a', valueType: 'xs:string' }, { type: 'a', valueType: 'xs:int' }] };
    assert.equal(only(checkConstraints('Property', doc), 'AASd-021:').path, '$.qualifiers[1].type');
  });

  test('AASd-119 and AASd-129: TemplateQualifiers only in templates', () => {
    const templateQualifier = { type: 't', valueType: 'xs:string', kind: 'TemplateQualifier' };
    assert.equal(only(checkConstraints('Submodel', submodel([], { qualifiers: [templateQualifier] })), 'AASd-119:').path, '$.qualifiers');
    assert.deepEqual(checkConstraints('Submodel', submodel([], { kind: 'Template', qualifiers: [templateQualifier] })), []);
    const nested = { modelType: 'SubmodelElementCollection', idShort: 'c', value: [{ ...property('p'), qualifiers: [templateQualifier] }] };
    assert.equal(only(checkConstraints('Submodel', submodel([nested])), 'AASd-129:').path, '$.submodelElements[0].value[0].qualifiers');
    assert.deepEqual(checkConstraints('Submodel', submodel([nested], { kind: 'Template' })), []);
  });

  test('AASd-077: unique extension names', () => {
    const issue = only(checkConstraints('Submodel', submodel([], { extensions: [{ name: 'n' }, { name: 'n' }] })), 'AASd-077:');
    assert.equal(issue.path, '$.extensions[1].name');
  });

  test('AASd-118: supplementalSemanticIds need a semanticId', () => {
    const issue = only(checkConstraints('Property', { ...property('p'), supplementalSemanticIds: [globalRef('urn:x')] }), 'AASd-118:');
    assert.equal(issue.path, '$.supplementalSemanticIds');
  });

  test('AASd-005: a revision needs a version', () => {
    assert.equal(only(checkConstraints('AdministrativeInformation', { revision: '1' }), 'AASd-005:').path, '$.revision');
    assert.deepEqual(checkConstraints('AdministrativeInformation', { version: '1', revision: '1' }), []);
  });
});

describe('language strings and IEC 61360', () => {
  const iec = (extra: Json): Json => ({ modelType: 'DataSpecificationIec61360', preferredName: [{ language: 'en', text: 'n' }], ...extra });

  test('one entry per language (case-insensitive) in displayName, description and MLP values', () => {
    const doc = { ...property('p'), description: [{ language: 'en', text: 'a' }, { language: 'de', text: 'b' }, { language: 'EN', text: 'c' }] };
    const [issue] = checkConstraints('Property', doc);
    assert.equal(issue.path, '$.description[2].language');
    const mlp = { modelType: 'MultiLanguageProperty', idShort: 'm', value: [{ language: 'de', text: 'a' }, { language: 'de', text: 'b' }] };
    assert.deepEqual(checkConstraints('MultiLanguageProperty', mlp).map((i) => i.path), ['$.value[1].language']);
  });

  test('AASc-3a-002, 009, 010 on the content', () => {
    assert.deepEqual(checkConstraints('DataSpecificationIec61360', iec({})), []);
    assert.equal(only(checkConstraints('DataSpecificationIec61360', iec({ preferredName: [{ language: 'de', text: 'n' }] })), 'AASc-3a-002:').path, '$.preferredName');
    assert.equal(only(checkConstraints('DataSpecificationIec61360', iec({ dataType: 'REAL_MEASURE' })), 'AASc-3a-009:').path, '$.dataType');
    assert.deepEqual(checkConstraints('DataSpecificationIec61360', iec({ dataType: 'REAL_MEASURE', unit: 'm' })), []);
    const both = iec({ value: 'v', valueList: { valueReferencePairs: [{ value: 'a', valueId: globalRef('urn:a') }] } });
    assert.equal(only(checkConstraints('DataSpecificationIec61360', both), 'AASc-3a-010:').path, '$.valueList');
    const duplicate = iec({ shortName: [{ language: 'en', text: 'a' }, { language: 'en', text: 'b' }] });
    assert.deepEqual(checkConstraints('DataSpecificationIec61360', duplicate).map((i) => i.path), ['$.shortName[1].language']);
  });

  test('AASc-3a-004 … 008 on concept descriptions', () => {
    const cd = (category: string | undefined, content: Json): Json => ({
      modelType: 'ConceptDescription', id: 'urn:cd', ...(category === undefined ? {} : { category }),
      embeddedDataSpecifications: [{ dataSpecification: globalRef('urn:ds'), dataSpecificationContent: iec(content) }],
    });
    const definition = { definition: [{ language: 'en-US', text: 'd' }] };
    const at = '$.embeddedDataSpecifications[0].dataSpecificationContent';
    assert.deepEqual(checkConstraints('ConceptDescription', cd(undefined, definition)), []);
    assert.equal(only(checkConstraints('ConceptDescription', cd(undefined, {})), 'AASc-3a-008:').path, `${at}.definition`);
    assert.deepEqual(checkConstraints('ConceptDescription', cd(undefined, { value: 'v' })), []);
    assert.equal(only(checkConstraints('ConceptDescription', cd('PROPERTY', { ...definition, dataType: 'IRI' })), 'AASc-3a-004:').path, `${at}.dataType`);
    assert.equal(only(checkConstraints('ConceptDescription', cd('REFERENCE', { ...definition, dataType: 'DATE' })), 'AASc-3a-005:').path, `${at}.dataType`);
    assert.equal(only(checkConstraints('ConceptDescription', cd('DOCUMENT', { ...definition, dataType: 'STRING' })), 'AASc-3a-006:').path, `${at}.dataType`);
    assert.equal(only(checkConstraints('ConceptDescription', cd('QUALIFIER_TYPE', definition)), 'AASc-3a-007:').path, `${at}.dataType`);
  });
});

describe('asset identification', () => {
  test('AASd-131: globalAssetId or a specificAssetId', () => {
    assert.equal(only(checkConstraints('AssetInformation', { assetKind: 'Instance' }), 'AASd-131:').path, '$');
    assert.deepEqual(checkConstraints('AssetInformation', { assetKind: 'Instance', specificAssetIds: [{ name: 'serial', value: '1' }] }), []);
  });

  test('AASd-116: the reserved name globalAssetId must repeat the globalAssetId', () => {
    const info = (value: string): Json => ({ assetKind: 'Instance', globalAssetId: 'urn:a', specificAssetIds: [{ name: 'globalAssetId', value }] });
    assert.deepEqual(checkConstraints('AssetInformation', info('urn:a')), []);
    assert.equal(only(checkConstraints('AssetInformation', info('urn:b')), 'AASd-116:').path, '$.specificAssetIds[0].value');
  });

  test('AASd-133: externalSubjectId is an external reference', () => {
    const id = { name: 'n', value: 'v', externalSubjectId: modelRef(['Submodel', 'urn:sm']) };
    assert.equal(only(checkConstraints('SpecificAssetId', id), 'AASd-133:').path, '$.externalSubjectId.type');
  });

  test('AASd-014: a self-managed entity needs an asset id; co-managed ones may have one in V3.1', () => {
    const entity = (extra: Json): Json => ({ modelType: 'Entity', idShort: 'e', ...extra });
    assert.equal(only(checkConstraints('Entity', entity({ entityType: 'SelfManagedEntity' })), 'AASd-014:').path, '$.entityType');
    assert.deepEqual(checkConstraints('Entity', entity({ entityType: 'SelfManagedEntity', globalAssetId: 'urn:a' })), []);
    assert.deepEqual(checkConstraints('Entity', entity({ entityType: 'CoManagedEntity', globalAssetId: 'urn:a' })), []);
  });
});

describe('robustness and speed', () => {
  test('odd input gives issues or nothing, never an exception', () => {
    const odd: [string, unknown][] = [
      ['Submodel', null], ['Submodel', 'x'], ['Submodel', { submodelElements: 5 }], ['Submodel', { submodelElements: [null, 1, []] }],
      ['Property', { modelType: 'Property', valueType: 7, value: {} }], ['Reference', { keys: [null, { type: 1 }] }],
      ['Environment', { submodels: [{ qualifiers: [{ kind: 'TemplateQualifier' }] }] }], ['Unknown', {}], ['EventPayload', []],
      ['AssetInformation', { specificAssetIds: 'x' }], ['Operation', { modelType: 'Operation', inputVariables: [{ value: 3 }] }],
    ];
    for (const [cls, value] of odd) assert.ok(Array.isArray(checkConstraints(cls, value)), cls);
  });

  test('nesting deep enough to exhaust the stack becomes an issue, not an exception', () => {
    let element: Json = property('leaf');
    for (let i = 0; i < 20000; i++) element = { modelType: 'SubmodelElementCollection', idShort: `c${i}`, value: [element] };
    const issues = checkConstraints('SubmodelElementCollection', element);
    assert.equal(issues.length, 1);
    assert.match(issues[0].message, /^constraint check could not finish/);
  });

  test('a 10,000-element submodel checks in well under 100 ms', (t) => {
    const elements = [];
    for (let c = 0; c < 100; c++) {
      const value = [];
      for (let p = 0; p < 99; p++) {
        value.push({
          ...property(`p${p}`, p % 2 === 0 ? 'xs:dateTime' : 'xs:int', p % 2 === 0 ? '2024-02-29T12:00:00Z' : String(p * 1000)),
          semanticId: globalRef(`urn:x:${p}`),
          qualifiers: [{ type: 'q', valueType: 'xs:boolean', value: 'true' }],
        });
      }
      elements.push({ modelType: 'SubmodelElementCollection', idShort: `c${c}`, value });
    }
    const doc = submodel(elements);
    checkConstraints('Submodel', doc); // warm-up
    const times: number[] = [];
    for (let run = 0; run < 5; run++) {
      const start = performance.now();
      assert.deepEqual(checkConstraints('Submodel', doc), []);
      times.push(performance.now() - start);
    }
    const median = times.sort((a, b) => a - b)[2];
    t.diagnostic(`10,000 elements: median ${median.toFixed(1)} ms over 5 runs`);
    assert.ok(median < 100, `median ${median.toFixed(1)} ms`);
  });
});
