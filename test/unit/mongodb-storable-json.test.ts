/**
 * The MongoDB store's gate for documents (src/store/mongodb/storable-json.ts): what passes comes back from BSON
 * exactly (checked here through the driver's own BSON encoder, no server needed); what BSON or MongoDB would
 * refuse or alter is rejected with a clear error.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BSON } from 'mongodb';
import { BadRequest, PayloadTooLarge } from '../../src/errors.js';
import { assertFitsInOneDocument, MAX_DOCUMENT_DEPTH, toStorableJson } from '../../src/store/mongodb/storable-json.js';

/** What the store writes and reads back: the document as a field of a BSON document, encoded and decoded. */
function throughBson(doc: Record<string, unknown>): unknown {
  return BSON.deserialize(BSON.serialize({ _id: 'x', doc })).doc;
}

/** An object `depth` levels deep, alternating objects and arrays (each adds one level), with an object outside. */
function nested(depth: number): Record<string, unknown> {
  let value: unknown = { leaf: 'x' };
  for (let level = depth - 1; level >= 1; level--) value = level % 2 === 0 ? [value] : { a: value };
  return value as Record<string, unknown>;
}

function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  const children = Array.isArray(value) ? value : Object.values(value);
  return 1 + Math.max(0, ...children.map(depthOf));
}

describe('toStorableJson', () => {
  it('keeps a rich document JSON-equal and key-order-equal through BSON', () => {
    const input = JSON.parse(
      JSON.stringify({
        modelType: 'Submodel',
        id: 'urn:example:ünïcødé/😀',
        '10': 'integer-like key',
        __proto__key: 1,
        description: [{ language: 'de', text: 'Größe "quoted" \\ \n \u2028 𝄞' }],
        numbers: [0, -1, 3.25, 1e21, Number.MAX_SAFE_INTEGER, 2 ** 31, -(2 ** 31) - 1, 1e-7],
        flags: [true, false, null],
        empty: { list: [], object: {} },
        'dotted.key': 'MongoDB 5+ stores dots in nested names',
        '': 'empty name',
      }),
    );
    input['__proto__'] = { own: 'property' };
    const stored = toStorableJson(input, 'Submodel');
    const back = throughBson(stored);
    assert.equal(JSON.stringify(back), JSON.stringify(input));
    assert.deepEqual(back, JSON.parse(JSON.stringify(input)));
    assert.equal(Object.getPrototypeOf(back), Object.prototype, 'a __proto__ key stays an own property');
  });

  it('normalises like a JSON round trip and copies', () => {
    const input = { id: 'a', gone: undefined, when: new Date(0), nested: { keep: 1 } };
    const stored = toStorableJson(input, 'X');
    assert.deepEqual(stored, { id: 'a', when: '1970-01-01T00:00:00.000Z', nested: { keep: 1 } });
    input.nested.keep = 2;
    assert.equal((stored.nested as { keep: number }).keep, 1);
  });

  it('rejects field names starting with $ and names with U+0000, naming the path', () => {
    const dollar = () => toStorableJson({ id: 'a', value: [{ ok: 1 }, { $set: 1 }] }, "Submodel 'a'");
    assert.throws(dollar, (e: unknown) => e instanceof BadRequest && /\$set/.test(e.message) && e.details[0]?.path === '$.value[1]["$set"]');
    assert.throws(() => toStorableJson({ id: 'a', 'x\u0000y': 1 }, 'X'), BadRequest);
    // A $ inside a name is fine for MongoDB; only a leading one is an operator.
    assert.deepEqual(toStorableJson({ 'price$': 1 }, 'X'), { 'price$': 1 });
  });

  it('rejects unpaired surrogates (BSON would store U+FFFD) and keeps pairs', () => {
    assert.throws(() => toStorableJson({ text: 'a\uD800b' }, 'X'), /unpaired UTF-16 surrogate/);
    assert.throws(() => toStorableJson({ text: 'end\uDC00' }, 'X'), BadRequest);
    assert.throws(() => toStorableJson({ ['\uDFFF']: 1 }, 'X'), BadRequest);
    const ok = toStorableJson({ text: '😀 𝄞' }, 'X');
    assert.deepEqual(throughBson(ok), { text: '😀 𝄞' });
  });

  it(`accepts ${MAX_DOCUMENT_DEPTH} levels of nesting and rejects one more`, () => {
    const deepest = nested(MAX_DOCUMENT_DEPTH);
    assert.equal(depthOf(deepest), MAX_DOCUMENT_DEPTH);
    assert.doesNotThrow(() => toStorableJson(deepest, 'X'));
    assert.throws(() => toStorableJson(nested(MAX_DOCUMENT_DEPTH + 1), 'X'), /nest deeper than 96 levels/);
    assert.throws(() => toStorableJson(nested(11), 'X', 10), BadRequest);
  });

  it('rejects what is not a JSON object', () => {
    for (const value of [undefined, null, 3, 'text', [1, 2]]) assert.throws(() => toStorableJson(value, 'X'), BadRequest);
  });
});

describe('assertFitsInOneDocument', () => {
  it('passes ordinary documents and rejects one beyond 16 MiB less the reserve with PayloadTooLarge', () => {
    assertFitsInOneDocument({ _id: 'a', doc: { text: 'x'.repeat(1000) } }, 'X');
    assertFitsInOneDocument({ _id: 'a', doc: { text: 'x'.repeat(16 * 1024 * 1024 - 128 * 1024) } }, 'X');
    assert.throws(
      () => assertFitsInOneDocument({ _id: 'a', doc: { text: 'x'.repeat(16 * 1024 * 1024) } }, "Shell 'a'"),
      (e: unknown) => e instanceof PayloadTooLarge && /Shell 'a' takes \d+ bytes/.test(e.message),
    );
  });
});
