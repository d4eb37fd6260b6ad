import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequest } from '../../src/errors.js';
import { applyContentModifiers, applyContentModifiersToJson, parseContentModifiers } from '../../src/model/modifiers.js';
import { toPagedJson, toPagedResult } from '../../src/model/paging.js';
import type { Submodel } from '../../src/model/types.js';
import { submodel } from '../http/fixtures.js';

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
