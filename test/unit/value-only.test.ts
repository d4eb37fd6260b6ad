import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequest } from '../../src/errors.js';
import type { Submodel, SubmodelElement } from '../../src/model/types.js';
import {
  applyElementValueOnly,
  applySubmodelValueOnly,
  elementToValueOnly,
  submodelToValueOnly,
  type ValueOnlyOptions,
} from '../../src/model/value-only/index.js';

const deep: ValueOnlyOptions = { level: 'deep', extent: 'withoutBlobValue' };
const withBlob: ValueOnlyOptions = { level: 'deep', extent: 'withBlobValue' };
const core: ValueOnlyOptions = { level: 'core', extent: 'withoutBlobValue' };

type Json = Record<string, unknown>;
const el = (e: Json) => e as unknown as SubmodelElement;
const sm = (elements: Json[]) => ({ modelType: 'Submodel', id: 'urn:sm', submodelElements: elements }) as unknown as Submodel;

const prop = (valueType: string, value?: string, idShort = 'P') =>
  el({ modelType: 'Property', idShort, valueType, ...(value === undefined ? {} : { value }) });
const valueOf = (valueType: string, value: string) => elementToValueOnly(prop(valueType, value), deep);

const globalRef = (value: string) => ({ type: 'ExternalReference', keys: [{ type: 'GlobalReference', value }] });
const modelRef = (idShort: string) => ({
  type: 'ModelReference',
  keys: [{ type: 'Submodel', value: 'urn:sm' }, { type: 'Property', value: idShort }],
});

const mlp = el({ modelType: 'MultiLanguageProperty', idShort: 'Label', value: [{ language: 'en', text: 'Label' }, { language: 'de', text: 'Bez.' }] });
const range = el({ modelType: 'Range', idShort: 'Torque', valueType: 'xs:int', min: '3', max: '15' });
const file = el({ modelType: 'File', idShort: 'Doc', contentType: 'application/pdf', value: '/aasx/x.pdf' });
const blob = el({ modelType: 'Blob', idShort: 'Lib', contentType: 'application/octet-stream', value: 'VGhpcyBpcyBteSBibG9i' });
const refElement = el({ modelType: 'ReferenceElement', idShort: 'Ref', value: globalRef('0173-1#02-BAA120#008') });
const relationship = el({ modelType: 'RelationshipElement', idShort: 'Flows', first: modelRef('Plus'), second: modelRef('Minus') });
const annotated = el({
  modelType: 'AnnotatedRelationshipElement',
  idShort: 'FlowsAnnotated',
  first: modelRef('Plus'),
  second: modelRef('Minus'),
  annotations: [{ modelType: 'Property', idShort: 'AppliedRule', valueType: 'xs:string', value: 'TechnicalCurrentFlowDirection' }],
});
const entity = el({
  modelType: 'Entity',
  idShort: 'Part',
  entityType: 'SelfManagedEntity',
  globalAssetId: 'urn:x',
  specificAssetIds: [{ name: 'serial', value: '42', semanticId: globalRef('urn:serial') }],
  statements: [{ modelType: 'Property', idShort: 'MaxRotationSpeed', valueType: 'xs:int', value: '5000' }],
});
const event = el({ modelType: 'BasicEventElement', idShort: 'Ev', observed: modelRef('Speed'), direction: 'output', state: 'on' });
const operation = el({
  modelType: 'Operation',
  idShort: 'Op',
  inputVariables: [{ value: { modelType: 'Property', idShort: 'In', valueType: 'xs:int', value: '1' } }],
});
const capability = el({ modelType: 'Capability', idShort: 'Cap' });

/** The spec's example: a list of classification collections and a property. */
const classifications = sm([
  {
    modelType: 'SubmodelElementList',
    idShort: 'ProductClassifications',
    typeValueListElement: 'SubmodelElementCollection',
    value: [
      {
        modelType: 'SubmodelElementCollection',
        value: [
          { modelType: 'Property', idShort: 'ProductClassificationSystem', valueType: 'xs:string', value: 'ECLASS' },
          { modelType: 'Property', idShort: 'ProductClassId', valueType: 'xs:string', value: '27-01-88-77' },
          { modelType: 'Property', idShort: 'ProductClassificationVersion', valueType: 'xs:string', value: '9.0' },
        ],
      },
      {
        modelType: 'SubmodelElementCollection',
        value: [
          { modelType: 'Property', idShort: 'ProductClassificationSystem', valueType: 'xs:string', value: 'IEC CDD' },
          { modelType: 'Property', idShort: 'ProductClassId', valueType: 'xs:string', value: '0112/2///61987#ABA827#003' },
        ],
      },
    ],
  },
  { modelType: 'Property', idShort: 'MaxRotationSpeed', valueType: 'xs:int', value: '5000' },
]);

/** Asserts BadRequest naming exactly these paths inside the value (in order). */
function rejects(apply: () => unknown, paths: string[], text?: RegExp): void {
  assert.throws(apply, (error: unknown) => {
    assert.ok(error instanceof BadRequest, `expected BadRequest, got ${String(error)}`);
    assert.deepEqual(error.details.map((d) => d.path), paths);
    if (text) assert.match(error.details.map((d) => d.text).join('\n'), text);
    return true;
  });
}

describe('ValueOnly serialization of Property values', () => {
  it('writes xs:boolean as true/false, both lexical forms', () => {
    assert.equal(valueOf('xs:boolean', 'true'), true);
    assert.equal(valueOf('xs:boolean', '1'), true);
    assert.equal(valueOf('xs:boolean', 'false'), false);
    assert.equal(valueOf('xs:boolean', '0'), false);
  });

  it('writes every numeric type as a JSON number', () => {
    const numbers: [string, string, number][] = [
      ['xs:int', '5000', 5000], ['xs:integer', '-1', -1], ['xs:long', '9007199254740991', 9007199254740991],
      ['xs:short', '-32768', -32768], ['xs:byte', '+127', 127], ['xs:unsignedByte', '255', 255],
      ['xs:unsignedShort', '007', 7], ['xs:unsignedInt', '4294967295', 4294967295], ['xs:unsignedLong', '0', 0],
      ['xs:positiveInteger', '1', 1], ['xs:nonNegativeInteger', '0', 0], ['xs:negativeInteger', '-23', -23],
      ['xs:nonPositiveInteger', '-0', 0], ['xs:decimal', '100000.00', 100000], ['xs:decimal', '-1.23', -1.23],
      ['xs:decimal', '0.1', 0.1], ['xs:decimal', '.5', 0.5], ['xs:double', '234.567e8', 23456700000],
      ['xs:double', '-0.0', 0], ['xs:double', '1.7976931348623157E308', 1.7976931348623157e308],
      ['xs:float', '234.567e-8', 234.567e-8], ['xs:float', '3.4028235E38', 3.4028235e38],
    ];
    for (const [type, literal, expected] of numbers) assert.equal(valueOf(type, literal), expected, `${type} ${literal}`);
    assert.ok(Object.is(valueOf('xs:double', '-0'), 0), 'negative zero is written as 0');
  });

  it('writes values a JSON number cannot carry exactly as their literal string', () => {
    assert.equal(valueOf('xs:long', '9007199254740992'), '9007199254740992', '2^53 is past Number.MAX_SAFE_INTEGER');
    assert.equal(valueOf('xs:unsignedLong', '18446744073709551615'), '18446744073709551615');
    assert.equal(valueOf('xs:integer', '126789675432332938792837429837429837429'), '126789675432332938792837429837429837429');
    assert.equal(valueOf('xs:decimal', '126789672374892739424.543233'), '126789672374892739424.543233');
    assert.equal(valueOf('xs:decimal', '0.10000000000000000001'), '0.10000000000000000001');
    assert.equal(valueOf('xs:decimal', '1000000000000000000000'), 1e21, 'exact in a double: a number');
    for (const special of ['INF', '-INF', 'NaN']) {
      assert.equal(valueOf('xs:double', special), special);
      assert.equal(valueOf('xs:float', special), special);
    }
  });

  it('writes every other type as a string, and an invalid stored literal as it is', () => {
    assert.equal(valueOf('xs:string', 'Hello world'), 'Hello world');
    assert.equal(valueOf('xs:string', '5000'), '5000');
    assert.equal(valueOf('xs:date', '2000-01-01+12:05'), '2000-01-01+12:05');
    assert.equal(valueOf('xs:duration', 'P30D'), 'P30D');
    assert.equal(valueOf('xs:anyURI', 'urn:example:company:1.0.0'), 'urn:example:company:1.0.0');
    assert.equal(valueOf('xs:hexBinary', '6b75'), '6b75');
    assert.equal(valueOf('xs:int', 'many'), 'many');
    assert.equal(valueOf('xs:byte', '300'), '300');
    assert.equal(valueOf('xs:boolean', 'yes'), 'yes');
  });

  it('has no value for a Property without one', () => {
    assert.equal(elementToValueOnly(prop('xs:int'), deep), undefined);
  });
});

describe('ValueOnly serialization of each element type', () => {
  it('MultiLanguageProperty → [{language: text}]', () => {
    assert.deepEqual(elementToValueOnly(mlp, deep), [{ en: 'Label' }, { de: 'Bez.' }]);
    assert.equal(elementToValueOnly(el({ modelType: 'MultiLanguageProperty', idShort: 'M' }), deep), undefined);
  });

  it('Range → {min, max} as typed JSON; an absent bound is left out', () => {
    assert.deepEqual(elementToValueOnly(range, deep), { min: 3, max: 15 });
    assert.deepEqual(elementToValueOnly(el({ modelType: 'Range', idShort: 'R', valueType: 'xs:double', max: 'INF' }), deep), { max: 'INF' });
    assert.deepEqual(elementToValueOnly(el({ modelType: 'Range', idShort: 'R', valueType: 'xs:string', min: 'a' }), deep), { min: 'a' });
    assert.equal(elementToValueOnly(el({ modelType: 'Range', idShort: 'R', valueType: 'xs:int' }), deep), undefined);
  });

  it('File → {contentType, value}', () => {
    assert.deepEqual(elementToValueOnly(file, deep), { contentType: 'application/pdf', value: '/aasx/x.pdf' });
    assert.deepEqual(elementToValueOnly(el({ modelType: 'File', idShort: 'F', value: 'a.txt' }), deep), { value: 'a.txt' });
    assert.equal(elementToValueOnly(el({ modelType: 'File', idShort: 'F' }), deep), undefined);
  });

  it('Blob → {contentType}, plus the base64 value only with extent=withBlobValue', () => {
    assert.deepEqual(elementToValueOnly(blob, deep), { contentType: 'application/octet-stream' });
    assert.deepEqual(elementToValueOnly(blob, withBlob), { contentType: 'application/octet-stream', value: 'VGhpcyBpcyBteSBibG9i' });
    assert.equal(elementToValueOnly(el({ modelType: 'Blob', idShort: 'B', value: 'AAAA' }), deep), undefined);
  });

  it('ReferenceElement → its Reference in Normal form; RelationshipElement → {first, second}', () => {
    assert.deepEqual(elementToValueOnly(refElement, deep), globalRef('0173-1#02-BAA120#008'));
    assert.equal(elementToValueOnly(el({ modelType: 'ReferenceElement', idShort: 'R' }), deep), undefined);
    assert.deepEqual(elementToValueOnly(relationship, deep), { first: modelRef('Plus'), second: modelRef('Minus') });
    assert.deepEqual(elementToValueOnly(el({ modelType: 'RelationshipElement', idShort: 'R', second: modelRef('M') }), deep), { second: modelRef('M') });
  });

  it('AnnotatedRelationshipElement → {first, second, annotations: {idShort: value}}', () => {
    assert.deepEqual(elementToValueOnly(annotated, deep), {
      first: modelRef('Plus'),
      second: modelRef('Minus'),
      annotations: { AppliedRule: 'TechnicalCurrentFlowDirection' },
    });
  });

  it('Entity → {statements, entityType, globalAssetId (a string), specificAssetIds (Normal form)}', () => {
    assert.deepEqual(elementToValueOnly(entity, deep), {
      statements: { MaxRotationSpeed: 5000 },
      entityType: 'SelfManagedEntity',
      globalAssetId: 'urn:x',
      specificAssetIds: [{ name: 'serial', value: '42', semanticId: globalRef('urn:serial') }],
    });
    assert.deepEqual(elementToValueOnly(el({ modelType: 'Entity', idShort: 'E', entityType: 'CoManagedEntity' }), deep), { entityType: 'CoManagedEntity' });
  });

  it('BasicEventElement → {observed}', () => {
    assert.deepEqual(elementToValueOnly(event, deep), { observed: modelRef('Speed') });
  });

  it('Operation and Capability have none, and containers leave them out', () => {
    assert.equal(elementToValueOnly(operation, deep), undefined);
    assert.equal(elementToValueOnly(capability, deep), undefined);
    const collection = el({
      modelType: 'SubmodelElementCollection',
      idShort: 'myCollection',
      value: [
        { modelType: 'Property', idShort: 'prop1', valueType: 'xs:string', value: 'value of prop1' },
        operation,
        capability,
        { modelType: 'SubmodelElementList', idShort: 'list', typeValueListElement: 'Operation', value: [{ ...operation, idShort: undefined }] },
        { modelType: 'Property', idShort: 'empty', valueType: 'xs:string' },
        { modelType: 'SubmodelElementCollection', idShort: 'nothing' },
      ],
    });
    assert.deepEqual(elementToValueOnly(collection, deep), { prop1: 'value of prop1' });
    assert.equal(elementToValueOnly(el({ modelType: 'SubmodelElementCollection', idShort: 'C', value: [capability] }), deep), undefined);
  });

  it('Submodel and SubmodelElementCollection → {idShort: value}; SubmodelElementList → array in order without idShorts', () => {
    assert.deepEqual(submodelToValueOnly(classifications, deep), {
      ProductClassifications: [
        { ProductClassificationSystem: 'ECLASS', ProductClassId: '27-01-88-77', ProductClassificationVersion: '9.0' },
        { ProductClassificationSystem: 'IEC CDD', ProductClassId: '0112/2///61987#ABA827#003' },
      ],
      MaxRotationSpeed: 5000,
    });
    const list = classifications.submodelElements![0];
    assert.deepEqual(elementToValueOnly(list, deep), (submodelToValueOnly(classifications, deep) as Json).ProductClassifications);
    assert.deepEqual(submodelToValueOnly(sm([]), deep), {});
    assert.deepEqual(submodelToValueOnly({ modelType: 'Submodel', id: 'urn:e' } as unknown as Submodel, deep), {});
  });

  it('keeps list positions: an item without a value is null', () => {
    const list = el({
      modelType: 'SubmodelElementList',
      idShort: 'L',
      typeValueListElement: 'Property',
      valueTypeListElement: 'xs:int',
      value: [{ modelType: 'Property', valueType: 'xs:int' }, { modelType: 'Property', valueType: 'xs:int', value: '7' }],
    });
    assert.deepEqual(elementToValueOnly(list, deep), [null, 7]);
  });

  it('extent reaches Blobs at any depth', () => {
    const nested = sm([{ modelType: 'SubmodelElementCollection', idShort: 'C', value: [blob] }]);
    assert.deepEqual(submodelToValueOnly(nested, deep), { C: { Lib: { contentType: 'application/octet-stream' } } });
    assert.deepEqual(submodelToValueOnly(nested, withBlob), { C: { Lib: { contentType: 'application/octet-stream', value: 'VGhpcyBpcyBteSBibG9i' } } });
  });
});

describe('ValueOnly with level=core', () => {
  const inner = { modelType: 'SubmodelElementCollection', idShort: 'Inner', value: [prop('xs:int', '1', 'Deep')] };
  const container = el({
    modelType: 'SubmodelElementCollection',
    idShort: 'Outer',
    value: [
      prop('xs:int', '2', 'Leaf'),
      inner,
      { modelType: 'SubmodelElementList', idShort: 'List', typeValueListElement: 'SubmodelElementCollection', value: [{ ...inner, idShort: undefined }] },
      entity,
      annotated,
      { modelType: 'SubmodelElementCollection', idShort: 'Empty' },
    ],
  });

  it('shows the element asked for with its direct children, whose own children are {} / []', () => {
    assert.deepEqual(elementToValueOnly(container, core), {
      Leaf: 2,
      Inner: {},
      List: [],
      Part: { statements: {}, entityType: 'SelfManagedEntity', globalAssetId: 'urn:x', specificAssetIds: (entity as unknown as Json).specificAssetIds },
      FlowsAnnotated: { first: modelRef('Plus'), second: modelRef('Minus'), annotations: {} },
    });
    assert.deepEqual(elementToValueOnly(entity, core), elementToValueOnly(entity, deep), 'the statements of the Entity asked for are its children');
    assert.deepEqual(elementToValueOnly(prop('xs:int', '9'), core), 9);
  });

  it('for a submodel, shows the top-level elements without their children', () => {
    assert.deepEqual(submodelToValueOnly(classifications, core), { ProductClassifications: [], MaxRotationSpeed: 5000 });
    assert.deepEqual(submodelToValueOnly(sm([container as unknown as Json]), core), { Outer: {} });
  });
});

describe('applying a ValueOnly value to a Property', () => {
  const apply = (valueType: string, current: string | undefined, value: unknown) =>
    (applyElementValueOnly(prop(valueType, current), value) as unknown as Json).value;

  it('converts JSON numbers and booleans back to the literal strings of the Normal form', () => {
    assert.equal(apply('xs:int', '1', 5000), '5000');
    assert.equal(apply('xs:boolean', 'false', true), 'true');
    assert.equal(apply('xs:double', '1', 1e21), '1e+21');
    assert.equal(apply('xs:double', '1', -2.5e-7), '-2.5e-7');
    assert.equal(apply('xs:decimal', '1', 1e21), '1000000000000000000000', 'xs:decimal has no exponent notation');
    assert.equal(apply('xs:decimal', '1', 1.5e-7), '0.00000015');
    assert.equal(apply('xs:long', '1', -9007199254740991), '-9007199254740991');
    assert.equal(apply('xs:string', 'a', 'b'), 'b');
    assert.equal(apply('xs:int', undefined, 3), '3', 'a Property without a value gets one');
  });

  it('accepts a string in the lexical space of a numeric or boolean type', () => {
    assert.equal(apply('xs:int', '1', '6000'), '6000');
    assert.equal(apply('xs:unsignedLong', '1', '18446744073709551615'), '18446744073709551615');
    assert.equal(apply('xs:double', '1', 'INF'), 'INF');
    assert.equal(apply('xs:float', '1', 'NaN'), 'NaN');
    assert.equal(apply('xs:decimal', '1', '126789672374892739424.543233'), '126789672374892739424.543233');
    assert.equal(apply('xs:boolean', 'true', '0'), '0');
  });

  it('keeps the stored literal when the value equals what $value shows for it', () => {
    assert.equal(apply('xs:boolean', '1', true), '1');
    assert.equal(apply('xs:double', '5.0E0', 5), '5.0E0');
    assert.equal(apply('xs:int', '+0042', 42), '+0042');
    assert.equal(apply('xs:int', '42', 43), '43');
  });

  it('rejects values outside the type with 400 naming the path', () => {
    rejects(() => apply('xs:int', '1', 1.5), ['$'], /not an integer/);
    rejects(() => apply('xs:byte', '1', 300), ['$'], /out of the range of xs:byte/);
    rejects(() => apply('xs:float', '1', 1e39), ['$'], /out of the range of xs:float/);
    rejects(() => apply('xs:long', '1', 2 ** 60), ['$'], /as a string/);
    rejects(() => apply('xs:int', '1', 'abc'), ['$'], /not a valid xs:int/);
    rejects(() => apply('xs:int', '1', true), ['$'], /expected a number/);
    rejects(() => apply('xs:boolean', 'true', 1), ['$'], /true or false/);
    rejects(() => apply('xs:boolean', 'true', 'yes'), ['$']);
    rejects(() => apply('xs:string', 'a', 5), ['$'], /expected a string/);
    rejects(() => apply('xs:date', '2000-01-01', '2000-13-01'), ['$']);
    rejects(() => apply('xs:string', 'a', {}), ['$']);
    rejects(() => apply('xs:string', 'a', undefined), ['$']);
  });

  it('changes nothing but the value, and leaves its input alone', () => {
    const before = el({ modelType: 'Property', idShort: 'P', semanticId: globalRef('urn:s'), qualifiers: [{ type: 'q', valueType: 'xs:int', value: '1' }], valueType: 'xs:int', value: '1' });
    const snapshot = structuredClone(before);
    const after = applyElementValueOnly(before, 2);
    assert.deepEqual(after, { ...snapshot, value: '2' });
    assert.deepEqual(before, snapshot);
    assert.deepEqual(applyElementValueOnly(before, null), snapshot, 'null leaves the element unchanged');
  });
});

describe('applying a ValueOnly value to the other element types', () => {
  const apply = (e: SubmodelElement, value: unknown) => applyElementValueOnly(e, value) as unknown as Json;

  it('Range: sets the bounds given, keeps the others', () => {
    assert.deepEqual(apply(range, { min: 1, max: 20 }), { ...range, min: '1', max: '20' });
    assert.deepEqual(apply(range, { min: '0' }), { ...range, min: '0' });
    assert.deepEqual(apply(range, {}), range);
    rejects(() => apply(range, { min: 'x', max: 1.5 }), ['$.min', '$.max']);
    rejects(() => apply(range, { mid: 1 }), ['$.mid']);
    rejects(() => apply(range, 5), ['$']);
  });

  it('MultiLanguageProperty: replaces the texts; languages and texts are checked', () => {
    assert.deepEqual(apply(mlp, [{ fr: 'Libellé' }]).value, [{ language: 'fr', text: 'Libellé' }]);
    assert.deepEqual(apply(mlp, [{ en: 'A', 'de-DE': 'B' }]).value, [{ language: 'en', text: 'A' }, { language: 'de-DE', text: 'B' }]);
    rejects(() => apply(mlp, []), ['$']);
    rejects(() => apply(mlp, [{ en: 5 }, { 'not a tag': 'x' }, 'en']), ['$[0].en', '$[1]["not a tag"]', '$[2]']);
    rejects(() => apply(mlp, { en: 'x' }), ['$']);
  });

  it('File and Blob: contentType and value; a Blob value must be base64', () => {
    assert.deepEqual(apply(file, { value: '/aasx/y.pdf' }), { ...file, value: '/aasx/y.pdf' });
    assert.deepEqual(apply(file, { contentType: 'text/plain', value: 'https://example.com/a.txt' }), { ...file, contentType: 'text/plain', value: 'https://example.com/a.txt' });
    rejects(() => apply(file, { contentType: 'no type', value: 5 }), ['$.value', '$.contentType']);
    assert.deepEqual(apply(blob, { contentType: 'image/png' }), { ...blob, contentType: 'image/png' }, 'without value (withoutBlobValue output) the bytes stay');
    assert.deepEqual(apply(blob, { value: 'AAEC' }), { ...blob, value: 'AAEC' });
    rejects(() => apply(blob, { value: 'not base64!' }), ['$.value'], /base64/);
    rejects(() => apply(blob, { contentType: 'x', size: 3 }), ['$.size']);
  });

  it('ReferenceElement, RelationshipElement, BasicEventElement: References in Normal form', () => {
    const ref = globalRef('urn:other');
    assert.deepEqual(apply(refElement, ref), { ...refElement, value: ref });
    rejects(() => apply(refElement, { type: 'Nonsense', keys: [] }), ['$.type', '$.keys']);
    assert.deepEqual(apply(relationship, { second: modelRef('Ground') }), { ...relationship, second: modelRef('Ground') });
    rejects(() => apply(relationship, { first: 'urn:x' }), ['$.first']);
    assert.deepEqual(apply(event, { observed: modelRef('Torque') }), { ...event, observed: modelRef('Torque') });
    rejects(() => apply(event, { observed: modelRef('Torque'), state: 'off' }), ['$.state']);
  });

  it('AnnotatedRelationshipElement: annotations as an object, or as an array of one-key objects', () => {
    const updated = (rule: string) => ({ ...annotated, annotations: [{ ...(annotated as unknown as { annotations: Json[] }).annotations[0], value: rule }] });
    assert.deepEqual(apply(annotated, { annotations: { AppliedRule: 'A' } }), updated('A'));
    assert.deepEqual(apply(annotated, { annotations: [{ AppliedRule: 'B' }] }), updated('B'));
    assert.deepEqual(apply(annotated, { first: modelRef('X') }), { ...annotated, first: modelRef('X') });
    rejects(() => apply(annotated, { annotations: { Nope: 1 } }), ['$.annotations.Nope']);
    rejects(() => apply(annotated, { annotations: [{ AppliedRule: 'a' }, { AppliedRule: 'b' }] }), ['$.annotations[1].AppliedRule'], /twice/);
  });

  it('Entity: statements by idShort, entityType, globalAssetId, specificAssetIds', () => {
    const e = entity as unknown as Json;
    assert.deepEqual(apply(entity, { statements: { MaxRotationSpeed: 6000 } }), { ...e, statements: [{ ...(e.statements as Json[])[0], value: '6000' }] });
    assert.deepEqual(apply(entity, { entityType: 'CoManagedEntity', globalAssetId: 'urn:y' }), { ...e, entityType: 'CoManagedEntity', globalAssetId: 'urn:y' });
    const ids = [{ name: 'batch', value: '7' }];
    assert.deepEqual(apply(entity, { specificAssetIds: ids }), { ...e, specificAssetIds: ids });
    assert.deepEqual(
      apply(entity, { specificAssetIds: [{ serial: '43' }] }).specificAssetIds,
      [{ name: 'serial', value: '43', semanticId: globalRef('urn:serial') }],
      'the {name: value} form keeps the other fields of the entry with that name',
    );
    rejects(() => apply(entity, { entityType: 'Managed', globalAssetId: '' }), ['$.entityType', '$.globalAssetId']);
    rejects(() => apply(entity, { specificAssetIds: [] }), ['$.specificAssetIds']);
    rejects(() => apply(entity, { specificAssetIds: [{ name: 'n' }] }), ['$.specificAssetIds[0]'], /value/);
    rejects(() => apply(entity, { statements: { Missing: 1 } }), ['$.statements.Missing']);
  });

  it('SubmodelElementCollection: updates the children named, leaves the others; unknown idShorts are rejected', () => {
    const collection = el({ modelType: 'SubmodelElementCollection', idShort: 'C', value: [prop('xs:int', '1', 'A'), prop('xs:string', 'x', 'B'), operation] });
    const c = collection as unknown as { value: Json[] };
    assert.deepEqual(apply(collection, { A: 2 }), { ...c, value: [{ ...c.value[0], value: '2' }, c.value[1], c.value[2]] });
    assert.deepEqual(apply(collection, {}), collection);
    assert.deepEqual(apply(collection, { A: null }), collection);
    rejects(() => apply(collection, { Z: 1, Op: {} }), ['$.Z', '$.Op'], /only updates existing elements[\s\S]*Operation has no value/);
    rejects(() => apply(collection, [1]), ['$']);
  });

  it('SubmodelElementList: position by position; shorter is fine, longer is rejected', () => {
    const list = el({
      modelType: 'SubmodelElementList',
      idShort: 'L',
      typeValueListElement: 'Property',
      valueTypeListElement: 'xs:int',
      value: [1, 2, 3].map((n) => ({ modelType: 'Property', valueType: 'xs:int', value: String(n) })),
    });
    const values = (v: unknown) => (apply(list, v).value as Json[]).map((p) => p.value);
    assert.deepEqual(values([7, 8, 9]), ['7', '8', '9']);
    assert.deepEqual(values([7]), ['7', '2', '3']);
    assert.deepEqual(values([null, 8]), ['1', '8', '3']);
    assert.deepEqual(values([]), ['1', '2', '3']);
    rejects(() => apply(list, [1, 2, 3, 4]), ['$'], /cannot add elements/);
    rejects(() => apply(list, { 0: 1 }), ['$']);
    rejects(() => apply(list, [1, 'x']), ['$[1]']);
  });

  it('Operation and Capability cannot take a value', () => {
    rejects(() => apply(operation, {}), ['$'], /Operation has no value/);
    rejects(() => apply(capability, 1), ['$'], /Capability has no value/);
  });
});

describe('applying a ValueOnly value to a Submodel', () => {
  const motor = sm([
    {
      modelType: 'SubmodelElementCollection',
      idShort: 'Motor',
      value: [prop('xs:int', '1200', 'Speed'), prop('xs:string', 'on', 'Mode')],
    },
    prop('xs:boolean', 'false', 'Enabled'),
  ]);

  it('updates nested values and nothing else', () => {
    const after = applySubmodelValueOnly(motor, { Motor: { Speed: 5000 }, Enabled: true });
    assert.deepEqual(submodelToValueOnly(after, deep), { Motor: { Speed: 5000, Mode: 'on' }, Enabled: true });
    const expected = structuredClone(motor) as unknown as { submodelElements: [{ value: Json[] }, Json] };
    expected.submodelElements[0].value[0].value = '5000';
    expected.submodelElements[1].value = 'true';
    assert.deepEqual(after, expected);
  });

  it('applies all or nothing, and names every misfit by its path inside the value', () => {
    const snapshot = structuredClone(motor);
    rejects(
      () => applySubmodelValueOnly(motor, { Motor: { Speed: 'fast', Mode: 'off', Gear: 2 }, Enabled: 'maybe', Extra: 1 }),
      ['$.Motor.Speed', '$.Motor.Gear', '$.Enabled', '$.Extra'],
    );
    assert.deepEqual(motor, snapshot);
  });

  it('writes paths of idShorts with hyphens in bracket notation', () => {
    rejects(() => applySubmodelValueOnly(sm([prop('xs:int', '1', 'max-speed')]), { 'max-speed': 'x' }), ['$["max-speed"]']);
  });

  it('rejects a value that is not an object', () => {
    rejects(() => applySubmodelValueOnly(motor, [1]), ['$']);
    rejects(() => applySubmodelValueOnly(motor, 5), ['$']);
  });

  it('round-trips the spec example, also from level=core output', () => {
    assert.deepEqual(applySubmodelValueOnly(classifications, submodelToValueOnly(classifications, deep)), classifications);
    assert.deepEqual(applySubmodelValueOnly(classifications, submodelToValueOnly(classifications, core)), classifications);
    const changed = applySubmodelValueOnly(classifications, { ProductClassifications: [null, { ProductClassId: 'X' }] });
    assert.deepEqual((submodelToValueOnly(changed, deep).ProductClassifications as Json[])[1], { ProductClassificationSystem: 'IEC CDD', ProductClassId: 'X' });
  });
});
