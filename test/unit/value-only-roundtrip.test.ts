/**
 * Property test: for valid submodels of every element type (nested collections, lists of collections, values
 * at the edges of their types, in every lexical form), applying the ValueOnly form onto the submodel gives the
 * submodel back unchanged, for the whole submodel and for each element, after a trip through JSON text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { childElements } from '../../src/model/element-tree.js';
import type { Submodel, SubmodelElement } from '../../src/model/types.js';
import {
  applyElementValueOnly,
  applySubmodelValueOnly,
  elementToValueOnly,
  submodelToValueOnly,
  type ValueOnlyOptions,
} from '../../src/model/value-only/index.js';
import { checkConstraints, isValidXsdValue } from '../../src/validation/constraints/index.js';
import { checkSchema } from '../../src/validation/schema-check.js';

type Json = Record<string, unknown>;

const idShort = fc.stringMatching(/^[a-zA-Z][a-zA-Z0-9_-]{0,6}[a-zA-Z0-9_]$/);

/* ---- literals of every DataTypeDefXsd, including boundary values and unusual lexical forms ---- */

const INTEGER_BOUNDS: Record<string, [bigint, bigint]> = {
  'xs:integer': [-(10n ** 40n), 10n ** 40n],
  'xs:long': [-(2n ** 63n), 2n ** 63n - 1n],
  'xs:int': [-(2n ** 31n), 2n ** 31n - 1n],
  'xs:short': [-32768n, 32767n],
  'xs:byte': [-128n, 127n],
  'xs:unsignedLong': [0n, 2n ** 64n - 1n],
  'xs:unsignedInt': [0n, 2n ** 32n - 1n],
  'xs:unsignedShort': [0n, 65535n],
  'xs:unsignedByte': [0n, 255n],
  'xs:positiveInteger': [1n, 10n ** 40n],
  'xs:nonNegativeInteger': [0n, 10n ** 40n],
  'xs:negativeInteger': [-(10n ** 40n), -1n],
  'xs:nonPositiveInteger': [-(10n ** 40n), 0n],
};

function integerLiteral([min, max]: [bigint, bigint]): fc.Arbitrary<string> {
  const safe = BigInt(Number.MAX_SAFE_INTEGER);
  const value = fc.oneof(
    fc.constantFrom(min, max, min < 0n && max > 0n ? 0n : min, safe < max ? safe + 1n : max, -safe - 1n > min ? -safe - 1n : min),
    fc.bigInt({ min, max }),
    fc.bigInt({ min: min > -1000n ? min : -1000n, max: max < 1000n ? max : 1000n }),
  );
  return fc
    .tuple(value, fc.constantFrom('', '+', '0', '00'))
    .map(([n, form]) => {
      if (n < 0n || form === '') return String(n);
      return form === '+' ? `+${n}` : `${form}${n}`;
    });
}

const decimalLiteral = fc.oneof(
  fc.constantFrom('0', '-0.0', '.5', '5.', '100000.00', '126789672374892739424.543233', '0.1', '-1.23', '+7', '9007199254740993'),
  fc.tuple(fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }), fc.stringMatching(/^[0-9]{0,20}$/)).map(([i, f]) => (f ? `${i}.${f}` : String(i))),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String).filter((s) => !/e/.test(s)),
);

function floatingLiteral(single: boolean): fc.Arbitrary<string> {
  const number = single ? fc.float() : fc.double();
  return fc.oneof(
    fc.constantFrom('INF', '-INF', 'NaN', '-0', '0.0', '1.5E3', '234.567e-8', '.5', single ? '3.4028235E38' : '1.7976931348623157E308', single ? '1.4E-45' : '4.9E-324'),
    number.map((x) => (Number.isNaN(x) ? 'NaN' : x === Infinity ? 'INF' : x === -Infinity ? '-INF' : String(x))),
  );
}

const bytes = fc.uint8Array({ maxLength: 12 });
const xmlText = fc.string({ unit: 'binary', maxLength: 12 }).filter((s) => isValidXsdValue('xs:string', s));

const LITERALS: Record<string, fc.Arbitrary<string>> = {
  'xs:boolean': fc.constantFrom('true', 'false', '1', '0'),
  'xs:decimal': decimalLiteral,
  'xs:double': floatingLiteral(false),
  'xs:float': floatingLiteral(true),
  'xs:string': fc.oneof(xmlText, fc.constantFrom('', '5000', 'true', 'INF', 'Καλημέρα κόσμε', '😀')),
  'xs:anyURI': fc.constantFrom('http://customer.com/demo/aas/1/1/1234859590', 'urn:example:company:1.0.0', 'a/b', ''),
  'xs:base64Binary': bytes.map((b) => Buffer.from(b).toString('base64')),
  'xs:hexBinary': bytes.map((b) => Buffer.from(b).toString('hex')),
  'xs:date': fc.constantFrom('2000-01-01', '2000-01-01Z', '2000-01-01+12:05', '-0044-03-15', '2024-02-29'),
  'xs:time': fc.constantFrom('14:23:00', '14:23:00.527634Z', '14:23:00+03:00', '24:00:00'),
  'xs:dateTime': fc.constantFrom('2000-01-01T14:23:00', '2000-01-01T14:23:00.66372+14:00', '2024-12-31T23:59:59Z'),
  'xs:duration': fc.constantFrom('P30D', '-P1Y2M3DT1H', 'PT1H5M0S', 'PT0.5S'),
  'xs:gYear': fc.constantFrom('2000', '2000+03:00', '-0001'),
  'xs:gMonth': fc.constantFrom('--04', '--04+03:00'),
  'xs:gDay': fc.constantFrom('---04', '---31Z'),
  'xs:gYearMonth': fc.constantFrom('2000-01', '2000-01+03:00'),
  'xs:gMonthDay': fc.constantFrom('--01-01', '--02-29+03:00'),
};
for (const [type, bounds] of Object.entries(INTEGER_BOUNDS)) LITERALS[type] = integerLiteral(bounds);
const VALUE_TYPES = Object.keys(LITERALS);

/** A literal of `valueType`; the filter only guards the generator itself (the schema check below does too). */
const literal = (valueType: string) => LITERALS[valueType].filter((s) => isValidXsdValue(valueType, s));

/* ---- references, asset ids, lang strings ---- */

const iri = fc.constantFrom('urn:x', 'https://example.com/ids/1', '0173-1#02-BAA120#008', 'urn:ä:1');
const externalRef = iri.map((value) => ({ type: 'ExternalReference', keys: [{ type: 'GlobalReference', value }] }));
const modelRef = fc
  .array(fc.tuple(fc.constantFrom('SubmodelElementCollection', 'Property', 'Entity'), idShort), { maxLength: 2 })
  .map((path) => ({
    type: 'ModelReference',
    keys: [{ type: 'Submodel', value: 'urn:sm' }, ...path.map(([type, value]) => ({ type, value }))],
  }));
const reference = fc.oneof(externalRef, modelRef, modelRef.map((r) => ({ ...r, referredSemanticId: { type: 'ExternalReference', keys: [{ type: 'GlobalReference', value: 'urn:s' }] } })));

const langStrings = fc.uniqueArray(fc.record({ language: fc.constantFrom('en', 'de', 'fr', 'en-US', 'zh-Hant-TW'), text: xmlText.filter((s) => s.length > 0) }), {
  selector: (l) => l.language,
  minLength: 1,
  maxLength: 3,
});

const specificAssetIds = fc.uniqueArray(
  fc.record(
    { name: fc.constantFrom('serial', 'batch', 'part'), value: fc.constantFrom('42', 'A-7'), semanticId: externalRef, externalSubjectId: externalRef },
    { requiredKeys: ['name', 'value'] },
  ),
  { selector: (s) => s.name, minLength: 1, maxLength: 2 },
);

/** Fields ValueOnly does not carry, so that a round trip that touched them would show. */
const decorations = fc.record({ semanticId: externalRef, description: langStrings, category: fc.constant('PARAMETER') }, { requiredKeys: [] });

/* ---- submodel elements (without idShort: the container gives it, a list does not) ---- */

const optional = <T>(key: string, arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined }).map((v) => (v === undefined ? {} : { [key]: v }));
const merge = (...parts: Json[]) => Object.assign({}, ...parts) as Json;

const property = (valueType?: string) =>
  (valueType ? fc.constant(valueType) : fc.constantFrom(...VALUE_TYPES)).chain((t) =>
    fc.tuple(decorations, optional('value', literal(t))).map(([d, v]) => merge({ modelType: 'Property', valueType: t }, d, v)),
  );
const range = (valueType?: string) =>
  (valueType ? fc.constant(valueType) : fc.constantFrom(...VALUE_TYPES)).chain((t) =>
    fc.tuple(optional('min', literal(t)), optional('max', literal(t))).map(([a, b]) => merge({ modelType: 'Range', valueType: t }, a, b)),
  );
const mlp = fc.tuple(decorations, optional('value', langStrings)).map(([d, v]) => merge({ modelType: 'MultiLanguageProperty' }, d, v));
const contentType = fc.constantFrom('application/pdf', 'text/plain; charset=utf-8', 'image/png');
const file = fc
  .tuple(optional('contentType', contentType), optional('value', fc.constantFrom('/aasx/x.pdf', 'https://example.com/a.txt', 'file:///c/d')))
  .map((parts) => merge({ modelType: 'File' }, ...parts));
const blob = fc
  .tuple(optional('contentType', contentType), optional('value', bytes.filter((b) => b.length > 0).map((b) => Buffer.from(b).toString('base64'))))
  .map((parts) => merge({ modelType: 'Blob' }, ...parts));
const referenceElement = optional('value', reference).map((v) => merge({ modelType: 'ReferenceElement' }, v));
const relationship = fc.tuple(optional('first', reference), optional('second', reference)).map((parts) => merge({ modelType: 'RelationshipElement' }, ...parts));
const dataElement = fc.oneof(property(), range(), mlp, file, blob, referenceElement);
const event = fc
  .tuple(modelRef, fc.constantFrom('input', 'output'), fc.constantFrom('on', 'off'), optional('messageTopic', fc.constant('a/b')))
  .map(([observed, direction, state, topic]) => merge({ modelType: 'BasicEventElement', observed, direction, state }, topic));
const operation = fc.constant({
  modelType: 'Operation',
  inputVariables: [{ value: { modelType: 'Property', idShort: 'In', valueType: 'xs:int', value: '1' } }],
  outputVariables: [{ value: { modelType: 'Range', idShort: 'Out', valueType: 'xs:double', max: 'INF' } }],
});
const capability = fc.constant({ modelType: 'Capability' });

/** Children of a namespace: unique idShorts (AASd-022). */
const named = (element: fc.Arbitrary<Json>, maxLength: number) =>
  fc.uniqueArray(fc.tuple(idShort, element), { selector: ([id]) => id, maxLength }).map((pairs) => pairs.map(([id, e]) => ({ ...e, idShort: id })));

const nonEmpty = (key: string, list: Json[]) => (list.length > 0 ? { [key]: list } : {});

const annotated = fc
  .tuple(optional('first', reference), optional('second', reference), named(dataElement, 3))
  .map(([a, b, annotations]) => merge({ modelType: 'AnnotatedRelationshipElement' }, a, b, nonEmpty('annotations', annotations)));

/** Which items a list holds (AASd-108/109: all of typeValueListElement, Property/Range with one valueType). */
const LIST_ITEM_TYPES = ['Property', 'Range', 'MultiLanguageProperty', 'File', 'Blob', 'ReferenceElement', 'SubmodelElementCollection', 'SubmodelElementList', 'Operation'];

const { element } = fc.letrec<{ element: Json; collection: Json; list: Json; entity: Json }>((tie) => ({
  element: fc.oneof(
    { depthSize: 'small', maxDepth: 3 },
    dataElement,
    relationship,
    annotated,
    event,
    operation,
    capability,
    tie('collection'),
    tie('list'),
    tie('entity'),
  ),
  collection: fc.tuple(decorations, named(tie('element'), 4)).map(([d, value]) => merge({ modelType: 'SubmodelElementCollection' }, d, nonEmpty('value', value))),
  entity: fc
    .tuple(
      optional('entityType', fc.constantFrom('SelfManagedEntity', 'CoManagedEntity')),
      optional('globalAssetId', iri),
      optional('specificAssetIds', specificAssetIds),
      named(tie('element'), 3),
    )
    .map(([type, g, s, statements]) => {
      const assetId = type.entityType === 'SelfManagedEntity' && !g.globalAssetId && !s.specificAssetIds ? { globalAssetId: 'urn:asset' } : {};
      return merge({ modelType: 'Entity' }, type, g, s, assetId, nonEmpty('statements', statements));
    }),
  list: fc.constantFrom(...LIST_ITEM_TYPES).chain((itemType) => {
    const valueType = fc.constantFrom(...VALUE_TYPES);
    return valueType.chain((vt) => {
      const items: Record<string, fc.Arbitrary<Json>> = {
        Property: property(vt), Range: range(vt), MultiLanguageProperty: mlp, File: file, Blob: blob,
        ReferenceElement: referenceElement, SubmodelElementCollection: tie('collection'), SubmodelElementList: tie('list'), Operation: operation,
      };
      const withValueType = itemType === 'Property' || itemType === 'Range' ? { valueTypeListElement: vt } : {};
      return fc
        .array(items[itemType], { maxLength: 4 })
        // List items omit idShort (allowed since AASd-120 is gone) and semanticId (AASd-114: all would have to agree).
        .map((items) => items.map(({ semanticId: _differs, ...item }) => item))
        .map((value) => merge({ modelType: 'SubmodelElementList', typeValueListElement: itemType }, withValueType, nonEmpty('value', value)));
    });
  }),
}));

/** As the store gives it: parsed JSON (fast-check's records have no prototype, JSON.parse's objects do). */
const asParsedJson = <T>(value: T) => JSON.parse(JSON.stringify(value)) as T;

const submodel = named(element, 6).map((elements) =>
  asParsedJson({ modelType: 'Submodel', id: 'urn:sm', idShort: 'Generated', kind: 'Instance', ...nonEmpty('submodelElements', elements) }) as unknown as Submodel,
);

/* ---- the properties ---- */

const withBlob: ValueOnlyOptions = { level: 'deep', extent: 'withBlobValue' };
/** What a client receives and sends back: JSON text. */
const overTheWire = (value: unknown) => asParsedJson(value);

function* allElements(elements: readonly SubmodelElement[] | undefined): Generator<SubmodelElement> {
  for (const e of elements ?? []) {
    yield e;
    yield* allElements(childElements(e));
  }
}

describe('ValueOnly round trip (property test)', () => {
  it('the generator makes valid submodels', () => {
    fc.assert(
      fc.property(submodel, (sm) => {
        assert.deepEqual(checkSchema('Submodel', sm), []);
        assert.deepEqual(checkConstraints('Submodel', sm), []);
      }),
      { numRuns: 200 },
    );
  });

  it('applying submodelToValueOnly(sm) onto sm gives sm back, for every level and extent', () => {
    fc.assert(
      fc.property(submodel, (sm) => {
        const before = structuredClone(sm);
        for (const level of ['deep', 'core'] as const) {
          for (const extent of ['withBlobValue', 'withoutBlobValue'] as const) {
            assert.deepEqual(applySubmodelValueOnly(sm, overTheWire(submodelToValueOnly(sm, { level, extent }))), sm, `${level}/${extent}`);
          }
        }
        assert.deepEqual(sm, before, 'the functions leave their input alone');
      }),
      { numRuns: 200 },
    );
  });

  it('applying elementToValueOnly(e) onto each element e gives e back', () => {
    fc.assert(
      fc.property(submodel, (sm) => {
        for (const e of allElements(sm.submodelElements)) {
          const value = elementToValueOnly(e, withBlob);
          if (value === undefined) continue;
          assert.deepEqual(applyElementValueOnly(e, overTheWire(value)), e);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a value read from one valid element and applied to another of the same shape yields a valid element', () => {
    // Writes really happen (this is not only the "unchanged" shortcut): values move between two generated
    // properties of the same valueType, and the result passes schema and constraints.
    fc.assert(
      fc.property(
        fc.constantFrom(...VALUE_TYPES).chain((t) => fc.tuple(property(t), property(t)).map(asParsedJson)),
        ([from, to]) => {
          const value = elementToValueOnly(from as unknown as SubmodelElement, withBlob);
          if (value === undefined) return;
          const result = applyElementValueOnly(to as unknown as SubmodelElement, overTheWire(value)) as unknown as Json;
          assert.deepEqual(elementToValueOnly(result as unknown as SubmodelElement, withBlob), value);
          assert.deepEqual({ ...result, value: undefined }, { ...to, value: undefined });
          assert.deepEqual(checkSchema('Property', result), []);
          assert.deepEqual(checkConstraints('Property', result), []);
        },
      ),
      { numRuns: 300 },
    );
  });
});
