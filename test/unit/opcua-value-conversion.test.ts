/**
 * OPC UA value ↔ AAS xs value conversion, table-driven: each read row is (DataType, Variant value, xs valueType,
 * expected Normal-form string), each write row (string, valueType, DataType, expected Variant value), plus the
 * rows that must throw ConversionError.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DataType, LocalizedText, NodeId, Variant, VariantArrayType } from 'node-opcua';
import {
  ConversionError,
  DEFAULT_LANGUAGE,
  langStringsToLocalizedText,
  localizedTextToLangStrings,
  variantToXsdValue,
  xsdValueToVariant,
} from '../../src/connectors/opcua/value-conversion.js';
import { isValidXsdValue } from '../../src/validation/constraints/index.js';
import type { DataTypeDefXsd } from '../../src/validation/schema/metamodel.js';

const { Scalar, Array: ArrayOf } = VariantArrayType;
const at = (iso: string) => new Date(iso);
const bytes = (...b: number[]) => Buffer.from(b);
const GUID = '72962B91-FA75-4AE6-8D28-B404DC7DAF63';

type ReadRow = [DataType, unknown, DataTypeDefXsd, string, VariantArrayType?];
const READ_ROWS: ReadRow[] = [
  [DataType.Boolean, true, 'xs:boolean', 'true'],
  [DataType.Boolean, false, 'xs:boolean', 'false'],
  [DataType.Boolean, false, 'xs:string', 'false'],
  [DataType.SByte, -128, 'xs:byte', '-128'],
  [DataType.SByte, 127, 'xs:byte', '127'],
  [DataType.SByte, -128, 'xs:int', '-128'],
  [DataType.Byte, 255, 'xs:unsignedByte', '255'],
  [DataType.Byte, 0, 'xs:unsignedByte', '0'],
  [DataType.Byte, 200, 'xs:integer', '200'],
  [DataType.Int16, -32768, 'xs:short', '-32768'],
  [DataType.UInt16, 65535, 'xs:unsignedShort', '65535'],
  [DataType.Int32, -2147483648, 'xs:int', '-2147483648'],
  [DataType.Int32, 2147483647, 'xs:long', '2147483647'],
  [DataType.Int32, 42, 'xs:decimal', '42'],
  [DataType.Int32, 16777216, 'xs:float', '16777216'],
  [DataType.Int32, 7, 'xs:positiveInteger', '7'],
  [DataType.UInt32, 4294967295, 'xs:unsignedInt', '4294967295'],
  [DataType.Int64, [0x80000000, 0], 'xs:long', '-9223372036854775808'],
  [DataType.Int64, [0x7fffffff, 0xffffffff], 'xs:long', '9223372036854775807'],
  [DataType.Int64, [0xffffffff, 0xffffffff], 'xs:long', '-1'],
  [DataType.Int64, [0, 5], 'xs:integer', '5'],
  [DataType.Int64, [0x001fffff, 0xffffffff], 'xs:double', '9007199254740991'],
  [DataType.UInt64, [0xffffffff, 0xffffffff], 'xs:unsignedLong', '18446744073709551615'],
  [DataType.UInt64, [0x80000000, 0], 'xs:string', '9223372036854775808'],
  [DataType.UInt64, [0, 0], 'xs:nonNegativeInteger', '0'],
  [DataType.Float, Math.fround(0.1), 'xs:float', '0.1'],
  [DataType.Float, Math.fround(0.1), 'xs:double', '0.1'],
  [DataType.Float, Math.fround(3.4028234663852886e38), 'xs:float', '3.4028235e+38'],
  [DataType.Float, Math.fround(16777217), 'xs:float', '16777216'],
  [DataType.Float, Infinity, 'xs:float', 'INF'],
  [DataType.Float, -Infinity, 'xs:double', '-INF'],
  [DataType.Float, NaN, 'xs:float', 'NaN'],
  [DataType.Float, Math.fround(2.5), 'xs:decimal', '2.5'],
  [DataType.Float, 3, 'xs:int', '3'],
  [DataType.Double, 0.1, 'xs:double', '0.1'],
  [DataType.Double, 0.1, 'xs:float', '0.1'],
  [DataType.Double, 1.7976931348623157e308, 'xs:double', '1.7976931348623157e+308'],
  [DataType.Double, 5e-324, 'xs:double', '5e-324'],
  [DataType.Double, -0, 'xs:double', '-0'],
  [DataType.Double, NaN, 'xs:double', 'NaN'],
  [DataType.Double, Infinity, 'xs:string', 'INF'],
  [DataType.Double, 1e21, 'xs:decimal', '1000000000000000000000'],
  [DataType.Double, 1.5e-7, 'xs:decimal', '0.00000015'],
  [DataType.Double, -12.25, 'xs:decimal', '-12.25'],
  [DataType.Double, 9007199254740992, 'xs:unsignedLong', '9007199254740992'],
  [DataType.String, 'hello', 'xs:string', 'hello'],
  [DataType.String, '', 'xs:string', ''],
  [DataType.String, '17', 'xs:int', '17'],
  [DataType.String, 'P1DT2H', 'xs:duration', 'P1DT2H'],
  [DataType.String, 'https://example.com/a', 'xs:anyURI', 'https://example.com/a'],
  [DataType.DateTime, at('2024-02-29T12:34:56.789Z'), 'xs:dateTime', '2024-02-29T12:34:56.789Z'],
  [DataType.DateTime, at('2024-02-29T23:59:59.999Z'), 'xs:date', '2024-02-29Z'],
  [DataType.DateTime, at('1601-01-01T00:00:00.000Z'), 'xs:dateTime', '1601-01-01T00:00:00.000Z'],
  [DataType.DateTime, at('2024-02-29T08:15:00.5Z'), 'xs:time', '08:15:00.500Z'],
  [DataType.DateTime, at('2000-01-01T00:00:00Z'), 'xs:string', '2000-01-01T00:00:00.000Z'],
  [DataType.ByteString, bytes(0x01, 0x02, 0xff), 'xs:base64Binary', 'AQL/'],
  [DataType.ByteString, bytes(0x01, 0x02, 0xff), 'xs:hexBinary', '0102FF'],
  [DataType.ByteString, bytes(), 'xs:hexBinary', ''],
  [DataType.ByteString, bytes(0x01, 0x02, 0xff), 'xs:string', 'AQL/'],
  [DataType.Guid, GUID, 'xs:string', GUID],
  [DataType.NodeId, new NodeId(NodeId.NodeIdType.STRING, 'Motor.Speed', 2), 'xs:string', 'ns=2;s=Motor.Speed'],
  [DataType.LocalizedText, new LocalizedText({ locale: 'de', text: 'Hallo' }), 'xs:string', 'Hallo'],
  [DataType.Int32, [1, -2, 3], 'xs:string', '["1","-2","3"]', ArrayOf],
  [DataType.Int64, [[0, 1], [0xffffffff, 0xffffffff]], 'xs:string', '["1","-1"]', ArrayOf],
  [DataType.Boolean, [true, false], 'xs:string', '["true","false"]', ArrayOf],
  [DataType.String, ['a', 'b"c'], 'xs:string', '["a","b\\"c"]', ArrayOf],
  [DataType.Double, [], 'xs:string', '[]', ArrayOf],
];

type ReadThrowRow = [DataType, unknown, DataTypeDefXsd, VariantArrayType?];
const READ_THROW_ROWS: ReadThrowRow[] = [
  [DataType.Int16, -129, 'xs:byte'],
  [DataType.Byte, 255, 'xs:byte'],
  [DataType.Int32, -1, 'xs:unsignedInt'],
  [DataType.Int32, 0, 'xs:positiveInteger'],
  [DataType.Int64, [0xffffffff, 0xffffffff], 'xs:unsignedLong'],
  [DataType.UInt64, [0xffffffff, 0xffffffff], 'xs:long'],
  [DataType.Int64, [0x00200000, 1], 'xs:double'],
  [DataType.Int32, 16777217, 'xs:float'],
  [DataType.Double, NaN, 'xs:int'],
  [DataType.Double, Infinity, 'xs:long'],
  [DataType.Double, 2.5, 'xs:int'],
  [DataType.Double, NaN, 'xs:decimal'],
  [DataType.Double, 1e39, 'xs:float'],
  [DataType.Boolean, true, 'xs:int'],
  [DataType.Int32, 1, 'xs:boolean'],
  [DataType.String, 'yes', 'xs:boolean'],
  [DataType.String, '300', 'xs:unsignedByte'],
  [DataType.String, 'bad\u0001', 'xs:string'],
  [DataType.Int32, 5, 'xs:dateTime'],
  [DataType.DateTime, at('+010000-01-01T00:00:00Z'), 'xs:dateTime'],
  [DataType.Int32, 5, 'xs:gYear'],
  [DataType.Int32, [1, 2], 'xs:int', ArrayOf],
  [DataType.Int32, [1, 2], 'xs:string', VariantArrayType.Matrix],
];

type WriteRow = [string, DataTypeDefXsd, DataType, unknown, VariantArrayType?];
const WRITE_ROWS: WriteRow[] = [
  ['true', 'xs:boolean', DataType.Boolean, true],
  ['0', 'xs:boolean', DataType.Boolean, false],
  ['false', 'xs:string', DataType.Boolean, false],
  ['-128', 'xs:byte', DataType.SByte, -128],
  ['127', 'xs:int', DataType.SByte, 127],
  ['255', 'xs:unsignedByte', DataType.Byte, 255],
  ['+7', 'xs:integer', DataType.Byte, 7],
  ['-32768', 'xs:short', DataType.Int16, -32768],
  ['65535', 'xs:int', DataType.UInt16, 65535],
  ['-2147483648', 'xs:long', DataType.Int32, -2147483648],
  ['3.000', 'xs:decimal', DataType.Int32, 3],
  ['42', 'xs:double', DataType.Int32, 42],
  ['4294967295', 'xs:unsignedInt', DataType.UInt32, 4294967295],
  ['-9223372036854775808', 'xs:long', DataType.Int64, [0x80000000, 0]],
  ['9223372036854775807', 'xs:integer', DataType.Int64, [0x7fffffff, 0xffffffff]],
  ['-1', 'xs:long', DataType.Int64, [0xffffffff, 0xffffffff]],
  ['18446744073709551615', 'xs:unsignedLong', DataType.UInt64, [0xffffffff, 0xffffffff]],
  ['4294967296', 'xs:string', DataType.UInt64, [1, 0]],
  ['0.1', 'xs:float', DataType.Float, Math.fround(0.1)],
  ['0.1', 'xs:double', DataType.Float, Math.fround(0.1)],
  ['16777216', 'xs:int', DataType.Float, 16777216],
  ['INF', 'xs:float', DataType.Float, Infinity],
  ['NaN', 'xs:double', DataType.Float, NaN],
  ['0.1', 'xs:double', DataType.Double, 0.1],
  ['-INF', 'xs:double', DataType.Double, -Infinity],
  ['1.7976931348623157e308', 'xs:double', DataType.Double, 1.7976931348623157e308],
  ['-12.25', 'xs:decimal', DataType.Double, -12.25],
  ['9007199254740992', 'xs:long', DataType.Double, 9007199254740992],
  ['hello', 'xs:string', DataType.String, 'hello'],
  ['42', 'xs:int', DataType.String, '42'],
  ['2024-02-29T12:34:56.789Z', 'xs:dateTime', DataType.DateTime, at('2024-02-29T12:34:56.789Z')],
  ['2024-02-29T12:00:00+02:00', 'xs:dateTime', DataType.DateTime, at('2024-02-29T10:00:00Z')],
  ['2024-02-29T12:00:00', 'xs:dateTime', DataType.DateTime, at('2024-02-29T12:00:00Z')],
  ['2024-02-29', 'xs:date', DataType.DateTime, at('2024-02-29T00:00:00Z')],
  ['2024-02-29-05:00', 'xs:date', DataType.DateTime, at('2024-02-29T05:00:00Z')],
  ['1601-01-01T00:00:00Z', 'xs:dateTime', DataType.DateTime, at('1601-01-01T00:00:00Z')],
  ['AQL/', 'xs:base64Binary', DataType.ByteString, bytes(1, 2, 255)],
  ['0102ff', 'xs:hexBinary', DataType.ByteString, bytes(1, 2, 255)],
  ['AQL/', 'xs:string', DataType.ByteString, bytes(1, 2, 255)],
  [GUID.toLowerCase(), 'xs:string', DataType.Guid, GUID],
  ['["1","-2","3"]', 'xs:string', DataType.Int32, Int32Array.from([1, -2, 3]), ArrayOf],
  ['["-1","18"]', 'xs:string', DataType.Int64, [[0xffffffff, 0xffffffff], [0, 18]], ArrayOf],
  ['[true,"0"]', 'xs:string', DataType.Boolean, [true, false], ArrayOf],
  ['[1.5, "INF"]', 'xs:string', DataType.Double, Float64Array.from([1.5, Infinity]), ArrayOf],
];

type WriteThrowRow = [string, DataTypeDefXsd, DataType, VariantArrayType?];
const WRITE_THROW_ROWS: WriteThrowRow[] = [
  ['300', 'xs:int', DataType.Byte],
  ['256', 'xs:unsignedShort', DataType.Byte],
  ['-1', 'xs:int', DataType.Byte],
  ['-129', 'xs:short', DataType.SByte],
  ['128', 'xs:int', DataType.SByte],
  ['2147483648', 'xs:long', DataType.Int32],
  ['3.5', 'xs:decimal', DataType.Int32],
  ['3.5', 'xs:double', DataType.Int32],
  ['NaN', 'xs:double', DataType.Int32],
  ['INF', 'xs:float', DataType.Int64],
  ['9223372036854775808', 'xs:integer', DataType.Int64],
  ['-9223372036854775809', 'xs:integer', DataType.Int64],
  ['18446744073709551616', 'xs:integer', DataType.UInt64],
  ['-1', 'xs:long', DataType.UInt64],
  ['yes', 'xs:string', DataType.Boolean],
  ['1', 'xs:int', DataType.Boolean],
  ['1.0', 'xs:double', DataType.Boolean],
  ['abc', 'xs:string', DataType.Int32],
  ['1e39', 'xs:double', DataType.Float],
  ['16777217', 'xs:int', DataType.Float],
  ['9007199254740993', 'xs:long', DataType.Double],
  ['12', 'xs:byte', DataType.DateTime],
  ['1600-12-31T23:59:59Z', 'xs:dateTime', DataType.DateTime],
  ['10000-01-01T00:00:00Z', 'xs:dateTime', DataType.DateTime],
  ['2023-02-29', 'xs:date', DataType.DateTime],
  ['AQL', 'xs:string', DataType.ByteString],
  ['0102FF', 'xs:anyURI', DataType.ByteString],
  ['not-a-guid', 'xs:string', DataType.Guid],
  ['ns=2;x=??', 'xs:string', DataType.NodeId],
  ['256', 'xs:unsignedByte', DataType.Int32],
  ['1', 'xs:int', DataType.Int32, ArrayOf],
  ['{"a":1}', 'xs:string', DataType.Int32, ArrayOf],
  ['not json', 'xs:string', DataType.Int32, ArrayOf],
  ['["1",null]', 'xs:string', DataType.Int32, ArrayOf],
  ['["1","300"]', 'xs:string', DataType.Byte, ArrayOf],
  ['[1]', 'xs:string', DataType.Int32, VariantArrayType.Matrix],
];

function variantOf(dataType: DataType, value: unknown, arrayType: VariantArrayType = Scalar): Variant {
  if (arrayType === VariantArrayType.Matrix) {
    return new Variant({ dataType, arrayType, value, dimensions: [1, (value as unknown[]).length] });
  }
  return new Variant({ dataType, arrayType, value });
}

/** Variant values as comparable plain data (typed arrays and nested arrays alike). */
function plain(value: unknown): unknown {
  if (ArrayBuffer.isView(value) && !Buffer.isBuffer(value)) return Array.from(value as unknown as ArrayLike<unknown>);
  if (Array.isArray(value)) return value.map(plain);
  return value;
}

describe('variantToXsdValue', () => {
  for (const [dataType, value, valueType, expected, arrayType] of READ_ROWS) {
    it(`${DataType[dataType]} ${String(value)} → ${valueType} "${expected}"`, () => {
      const text = variantToXsdValue(variantOf(dataType, value, arrayType), valueType);
      assert.equal(text, expected);
      assert.ok(isValidXsdValue(valueType, text), `"${text}" must be a valid ${valueType}`);
    });
  }
  for (const [dataType, value, valueType, arrayType] of READ_THROW_ROWS) {
    it(`${DataType[dataType]} ${String(value)} → ${valueType} throws`, () => {
      const variant = variantOf(dataType, value, arrayType);
      assert.throws(() => variantToXsdValue(variant, valueType), (e: unknown) => {
        assert.ok(e instanceof ConversionError);
        assert.match(e.message, new RegExp(`${DataType[dataType]}.*${valueType}`));
        return true;
      });
    });
  }
  it('a Null variant throws', () => {
    assert.throws(() => variantToXsdValue(new Variant(), 'xs:string'), ConversionError);
  });
});

describe('xsdValueToVariant', () => {
  for (const [text, valueType, dataType, expected, arrayType] of WRITE_ROWS) {
    it(`${valueType} "${text}" → ${DataType[dataType]}`, () => {
      const variant = xsdValueToVariant(text, valueType, dataType, arrayType);
      assert.equal(variant.dataType, dataType);
      assert.equal(variant.arrayType, arrayType ?? Scalar);
      assert.deepEqual(plain(variant.value), plain(expected));
    });
  }
  for (const [text, valueType, dataType, arrayType] of WRITE_THROW_ROWS) {
    it(`${valueType} "${text}" → ${DataType[dataType]} throws`, () => {
      assert.throws(() => xsdValueToVariant(text, valueType, dataType, arrayType), (e: unknown) => {
        assert.ok(e instanceof ConversionError);
        assert.match(e.message, new RegExp(`${valueType}.*${DataType[dataType]}`));
        return true;
      });
    });
  }
  it('a value outside its own valueType throws before any conversion', () => {
    assert.throws(() => xsdValueToVariant('300', 'xs:unsignedByte', DataType.UInt16), ConversionError);
  });
  it('NodeId and LocalizedText nodes take xs:string text', () => {
    const node = xsdValueToVariant('ns=2;s=Motor.Speed', 'xs:string', DataType.NodeId).value as NodeId;
    assert.equal(node.toString(), 'ns=2;s=Motor.Speed');
    const text = xsdValueToVariant('Hallo', 'xs:string', DataType.LocalizedText).value as LocalizedText;
    assert.equal(text.text, 'Hallo');
  });
  it('values read from a node write back unchanged (Int64, Float, DateTime)', () => {
    const cases: [DataType, unknown, DataTypeDefXsd][] = [
      [DataType.Int64, [0x80000000, 1], 'xs:long'],
      [DataType.Float, Math.fround(1 / 3), 'xs:float'],
      [DataType.DateTime, at('2024-02-29T12:34:56.789Z'), 'xs:dateTime'],
    ];
    for (const [dataType, value, valueType] of cases) {
      const text = variantToXsdValue(variantOf(dataType, value), valueType);
      assert.deepEqual(xsdValueToVariant(text, valueType, dataType).value, value);
    }
  });
});

describe('LocalizedText ↔ MultiLanguageProperty value', () => {
  it('maps locales to languages and a missing locale to the default', () => {
    const texts = [
      new LocalizedText({ locale: 'de-DE', text: 'Drehzahl' }),
      new LocalizedText({ locale: null, text: 'speed' }),
      new LocalizedText({ locale: 'fr', text: null }),
    ];
    assert.equal(DEFAULT_LANGUAGE, 'en');
    assert.deepEqual(localizedTextToLangStrings(texts), [
      { language: 'de-DE', text: 'Drehzahl' },
      { language: 'en', text: 'speed' },
    ]);
    const scalar = new Variant({ dataType: DataType.LocalizedText, value: new LocalizedText({ locale: '', text: 'x' }) });
    assert.deepEqual(localizedTextToLangStrings(scalar), [{ language: 'en', text: 'x' }]);
  });
  it('refuses what a LangString cannot hold', () => {
    const bad = [
      [new LocalizedText({ locale: 'not a tag', text: 'x' })],
      [new LocalizedText({ locale: 'en', text: 'x'.repeat(1024) })],
      [new LocalizedText({ locale: 'en', text: 'a' }), new LocalizedText({ locale: null, text: 'b' })],
      [new LocalizedText({ locale: 'en', text: null })],
    ];
    for (const texts of bad) assert.throws(() => localizedTextToLangStrings(texts), ConversionError);
    assert.throws(() => localizedTextToLangStrings(variantOf(DataType.String, 'x')), ConversionError);
  });
  it('writes all entries to an array node and one to a scalar node', () => {
    const langs = [{ language: 'en', text: 'speed' }, { language: 'de', text: 'Drehzahl' }];
    const all = langStringsToLocalizedText(langs, ArrayOf);
    assert.equal(all.arrayType, ArrayOf);
    assert.deepEqual(
      (all.value as LocalizedText[]).map((t) => [t.locale, t.text]),
      [['en', 'speed'], ['de', 'Drehzahl']],
    );
    const first = langStringsToLocalizedText(langs).value as LocalizedText;
    assert.deepEqual([first.locale, first.text], ['en', 'speed']);
    const german = langStringsToLocalizedText(langs, Scalar, 'DE').value as LocalizedText;
    assert.equal(german.text, 'Drehzahl');
    assert.throws(() => langStringsToLocalizedText([]), ConversionError);
  });
});
