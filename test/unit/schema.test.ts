/** checkSchema: where issues are reported and what they say. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkSchema, MAX_SCHEMA_ISSUES } from '../../src/validation/schema-check.js';

const globalReference = { type: 'ExternalReference', keys: [{ type: 'GlobalReference', value: 'urn:example:1' }] };

function submodelWith(elements: unknown[]) {
  return { modelType: 'Submodel', id: 'urn:example:submodel:1', submodelElements: elements };
}

const property = (idShort: string, extra: Record<string, unknown> = {}) => ({
  modelType: 'Property',
  idShort,
  valueType: 'xs:string',
  ...extra,
});

test('a conforming submodel has no issues', () => {
  const submodel = submodelWith([
    property('Temperature', { valueType: 'xs:double', value: '21.5', semanticId: globalReference }),
    { modelType: 'SubmodelElementCollection', idShort: 'Nested', value: [property('Inner')] },
  ]);
  assert.deepEqual(checkSchema('Submodel', submodel), []);
});

test('an issue names the JSON path of the offending value and the allowed values', () => {
  const issues = checkSchema('Submodel', submodelWith([property('Good'), property('Bad', { valueType: 'string' })]));
  assert.equal(issues.length, 1);
  assert.equal(issues[0].kind, 'schema');
  assert.equal(issues[0].path, '$.submodelElements[1].valueType');
  assert.match(issues[0].message, /^must be one of xs:anyURI, .*xs:string, .*\(got "string"\)$/);
});

test('an error inside a Property in a list is reported at that property, not as a failed oneOf', () => {
  const list = {
    modelType: 'SubmodelElementList',
    idShort: 'Readings',
    typeValueListElement: 'Property',
    value: [{ modelType: 'Property', valueType: 'xs:int' }, { modelType: 'Property' }],
  };
  const issues = checkSchema('Submodel', submodelWith([list]));
  assert.deepEqual(issues, [
    {
      kind: 'schema',
      path: '$.submodelElements[0].value[1]',
      message: 'required property "valueType" is missing',
    },
  ]);
});

test('an unknown or missing modelType in a list of elements is reported at the element', () => {
  const issues = checkSchema('Submodel', submodelWith([{ modelType: 'Submodel', id: 'x' }, { idShort: 'NoType' }]));
  assert.equal(issues.length, 2);
  assert.equal(issues[0].path, '$.submodelElements[0]');
  assert.match(issues[0].message, /^"modelType" must be one of RelationshipElement, .*Property, .*\(got "Submodel"\)$/);
  assert.deepEqual(issues[1], {
    kind: 'schema',
    path: '$.submodelElements[1]',
    message: 'required property "modelType" is missing',
  });
});

test('the abstract SubmodelElement dispatches on modelType', () => {
  assert.deepEqual(checkSchema('SubmodelElement', { modelType: 'Capability', idShort: 'Drill' }), []);
  const issues = checkSchema('SubmodelElement', { modelType: 'Range', valueType: 'xs:int', min: 1 });
  assert.deepEqual(issues, [{ kind: 'schema', path: '$.min', message: 'must be a string, not an integer' }]);
});

test('a class with a fixed modelType says which one it expects', () => {
  const issues = checkSchema('Property', { modelType: 'Blob', valueType: 'xs:string' });
  assert.deepEqual(issues, [{ kind: 'schema', path: '$.modelType', message: 'must be "Property" (got "Blob")' }]);
});

test('unknown properties, missing required ones and null values are named', () => {
  const shell = {
    modelType: 'AssetAdministrationShell',
    id: 'urn:example:aas:1',
    assetInformation: { assetKind: 'Instance', globalAssetId: null },
    foo: 1,
    'odd key': true,
  };
  const issues = checkSchema('AssetAdministrationShell', shell);
  assert.deepEqual(
    issues.map((issue) => `${issue.path} ${issue.message}`).sort(),
    [
      '$.assetInformation.globalAssetId must be a string, not null',
      '$.foo unexpected property "foo"',
      '$["odd key"] unexpected property "odd key"',
    ],
  );
  const missing = checkSchema('Reference', { keys: [{ type: 'GlobalReference', value: 'x' }] });
  assert.deepEqual(missing, [{ kind: 'schema', path: '$', message: 'required property "type" is missing' }]);
});

test('empty lists and empty strings are reported in plain words', () => {
  const issues = checkSchema('Submodel', { modelType: 'Submodel', id: '', submodelElements: [] });
  assert.deepEqual(
    issues.map((issue) => `${issue.path} ${issue.message}`),
    [
      '$.id must not be empty',
      '$.submodelElements must not be an empty array (leave the property out instead)',
    ],
  );
});

test('characters beyond U+FFFF are accepted; lone surrogates and control characters are not (AASd-130)', () => {
  const astral = '\u{1F600} \u{10FFFF} \u{20000}';
  const element = {
    modelType: 'MultiLanguageProperty',
    idShort: 'Greeting',
    value: [{ language: 'en', text: `Hello ${astral}` }],
    extensions: [{ name: astral, value: astral }],
  };
  assert.deepEqual(checkSchema('MultiLanguageProperty', element), []);

  const loneSurrogate = checkSchema('Key', { type: 'GlobalReference', value: 'urn:\uD800x' });
  assert.deepEqual(loneSurrogate, [
    { kind: 'schema', path: '$.value', message: 'must contain only characters allowed in XML 1.0 (AASd-130)' },
  ]);
  assert.equal(checkSchema('Key', { type: 'GlobalReference', value: 'a\u0001b' }).length, 1);
});

test('a string of 2048 astral characters is within Identifier\'s length limit (counted in characters)', () => {
  const id = '\u{1F600}'.repeat(2048);
  assert.deepEqual(checkSchema('Key', { type: 'GlobalReference', value: id }), []);
  const tooLong = checkSchema('Key', { type: 'GlobalReference', value: `${id}a` });
  assert.deepEqual(tooLong, [
    { kind: 'schema', path: '$.value', message: 'must be at most 2048 characters long (got 2049)' },
  ]);
});

test('patterns are explained in words, not as regular expressions', () => {
  const event = {
    modelType: 'BasicEventElement',
    observed: globalReference,
    direction: 'output',
    state: 'on',
    lastUpdate: '2023-02-29T10:00:00Z',
    minInterval: 'PT',
  };
  const issues = checkSchema('BasicEventElement', event);
  assert.deepEqual(
    issues.map((issue) => `${issue.path} ${issue.message}`),
    [
      '$.lastUpdate must be an existing date and time as xs:dateTime in UTC, e.g. 2024-05-01T12:30:00Z',
      '$.minInterval must be an xs:duration, e.g. PT5S or P1DT2H',
    ],
  );
  assert.deepEqual(checkSchema('BasicEventElement', { ...event, lastUpdate: '2024-02-29T10:00:00Z', minInterval: 'PT1S' }), []);
});

test('File values are URI references and content types are MIME types', () => {
  const file = (value: string, contentType: string) => ({ modelType: 'File', idShort: 'Manual', value, contentType });
  for (const value of ['file:/aasx/manual.pdf', '/aasx/manual.pdf', 'manual.pdf', 'https://example.com/a?b=c#d']) {
    assert.deepEqual(checkSchema('File', file(value, 'application/pdf')), [], value);
  }
  assert.deepEqual(checkSchema('File', file('a b.pdf', 'text/plain; charset="utf-8"')).map((i) => i.path), ['$.value']);
  assert.deepEqual(checkSchema('File', file('a.pdf', 'pdf')).map((i) => i.path), ['$.contentType']);
});

test('at most MAX_SCHEMA_ISSUES issues are returned; the last says how many more there are', () => {
  const elements = Array.from({ length: 30 }, (_, i) => property(`P${i}`, { valueType: 'nope' }));
  const issues = checkSchema('Submodel', submodelWith(elements));
  assert.equal(issues.length, MAX_SCHEMA_ISSUES);
  assert.equal(issues[MAX_SCHEMA_ISSUES - 2].path, `$.submodelElements[${MAX_SCHEMA_ISSUES - 2}].valueType`);
  assert.deepEqual(issues[MAX_SCHEMA_ISSUES - 1], {
    kind: 'schema',
    path: '$',
    message: `${30 - (MAX_SCHEMA_ISSUES - 1)} further schema issues not listed`,
  });
});

test('a value of the wrong JSON type at the root is one issue', () => {
  assert.deepEqual(checkSchema('Environment', []), [
    { kind: 'schema', path: '$', message: 'must be an object, not an array' },
  ]);
  assert.deepEqual(checkSchema('SubmodelElement', 'Property'), [
    { kind: 'schema', path: '$', message: 'must be an object, not a string' },
  ]);
});

test('a pathologically deep document is an issue, not a crash', () => {
  let element: Record<string, unknown> = { modelType: 'Property', valueType: 'xs:string' };
  for (let i = 0; i < 50_000; i++) element = { modelType: 'SubmodelElementCollection', value: [element] };
  assert.deepEqual(checkSchema('SubmodelElement', element), [
    { kind: 'schema', path: '$', message: 'the document is nested too deeply to be checked' },
  ]);
});
