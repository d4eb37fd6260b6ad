import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequest } from '../../src/errors.js';
import { decodeId, encodeId } from '../../src/model/identifiers.js';

describe('base64url identifiers', () => {
  it('encodes unpadded with the URL-safe alphabet', () => {
    assert.equal(encodeId('https://example.com/ids/aas/1'), 'aHR0cHM6Ly9leGFtcGxlLmNvbS9pZHMvYWFzLzE');
    assert.equal(encodeId('??>'), 'Pz8-');
    assert.equal(encodeId('???'), 'Pz8_');
  });

  it('round-trips non-ASCII and astral characters', () => {
    for (const id of ['urn:ä:ü', 'urn:𝄞:x', '日本語', 'a']) assert.equal(decodeId(encodeId(id)), id);
  });

  it('accepts padded input', () => {
    assert.equal(decodeId('YQ=='), 'a');
    assert.equal(decodeId('YWI='), 'ab');
  });

  it('rejects what is not base64url of UTF-8', () => {
    for (const bad of ['', 'a', 'YQ=', 'Y Q', 'Pz8+', 'Pz8/', 'YQ===', '_w', 'YR']) {
      assert.throws(() => decodeId(bad, 'aasIdentifier'), (e: unknown) => e instanceof BadRequest && /aasIdentifier/.test((e as Error).message), bad);
    }
  });
});
