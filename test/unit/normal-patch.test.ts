import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequest } from '../../src/errors.js';
import { mergeNormalPatch } from '../../src/model/normal-patch.js';

const coll = () => ({
  modelType: 'SubmodelElementCollection',
  idShort: 'Motor',
  value: [
    { modelType: 'Property', idShort: 'Temp', valueType: 'xs:double', value: '41.5' },
    { modelType: 'Property', idShort: 'Rpm', valueType: 'xs:int', value: '900' },
  ],
});

describe('PATCH in Normal form', () => {
  it('updates named children, keeps the others and the fields the body leaves out', () => {
    const current = coll();
    const merged = mergeNormalPatch(current, { modelType: 'SubmodelElementCollection', idShort: 'Motor', category: 'PARAMETER', value: [{ modelType: 'Property', idShort: 'Rpm', valueType: 'xs:int', value: '1000' }] });
    assert.deepEqual(merged, { ...coll(), category: 'PARAMETER', value: [coll().value[0], { ...coll().value[1], value: '1000' }] });
    assert.deepEqual(current, coll(), 'the input is left as it was');
  });

  it('merges lists by position and refuses longer ones', () => {
    const list = { modelType: 'SubmodelElementList', idShort: 'L', typeValueListElement: 'Property', value: [{ modelType: 'Property', valueType: 'xs:int', value: '1' }, { modelType: 'Property', valueType: 'xs:int', value: '2' }] };
    const merged = mergeNormalPatch(list, { modelType: 'SubmodelElementList', idShort: 'L', value: [{ modelType: 'Property', valueType: 'xs:int', value: '5' }] }) as typeof list;
    assert.deepEqual(merged.value.map((p) => p.value), ['5', '2']);
    assert.throws(() => mergeNormalPatch(list, { ...list, value: [...list.value, ...list.value] }), BadRequest);
  });

  it('refuses unknown children, changed types and non-objects, naming the path', () => {
    assert.throws(() => mergeNormalPatch(coll(), { ...coll(), value: [{ modelType: 'Property', idShort: 'New', valueType: 'xs:int' }] }), /\$\.value\[0\]: no element "New"/);
    assert.throws(() => mergeNormalPatch(coll(), { ...coll(), value: [{ ...coll().value[0], modelType: 'Range' }] }), /\$\.value\[0\]: PATCH cannot change the type/);
    assert.throws(() => mergeNormalPatch(coll(), null), BadRequest);
    assert.throws(() => mergeNormalPatch(coll(), { modelType: 'Property', idShort: 'Motor' }), BadRequest);
  });

  it('merges a submodel by its top-level elements', () => {
    const sm = { modelType: 'Submodel', id: 'urn:s', submodelElements: [coll()] };
    const merged = mergeNormalPatch(sm, { modelType: 'Submodel', id: 'urn:s', submodelElements: [{ modelType: 'SubmodelElementCollection', idShort: 'Motor', value: [{ modelType: 'Property', idShort: 'Temp', valueType: 'xs:double', value: '50' }] }] });
    assert.equal(merged.submodelElements[0].value[0].value, '50');
    assert.equal(merged.submodelElements[0].value[1].value, '900');
  });
});
