import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequest, NotFound } from '../../src/errors.js';
import { appendChild, childElements, locateElement } from '../../src/model/element-tree.js';
import { formatIdShortPath, parseIdShortPath } from '../../src/model/id-short-path.js';
import type { Submodel, SubmodelElement } from '../../src/model/types.js';

const prop = (idShort: string | undefined, value = '1') => ({ modelType: 'Property', ...(idShort ? { idShort } : {}), valueType: 'xs:int', value });

function tree(): Submodel {
  return {
    modelType: 'Submodel',
    id: 'urn:t',
    submodelElements: [
      prop('top'),
      { modelType: 'SubmodelElementCollection', idShort: 'coll', value: [prop('inner'), { modelType: 'SubmodelElementList', idShort: 'list', typeValueListElement: 'SubmodelElementList', value: [{ modelType: 'SubmodelElementList', typeValueListElement: 'Property', valueTypeListElement: 'xs:int', value: [prop(undefined, '7'), prop(undefined, '8')] }] }] },
      { modelType: 'Entity', idShort: 'ent-1', entityType: 'CoManagedEntity', statements: [prop('st')] },
      { modelType: 'AnnotatedRelationshipElement', idShort: 'rel', annotations: [prop('note')] },
      { modelType: 'Operation', idShort: 'op', inputVariables: [{ value: prop('in1') }], outputVariables: [{ value: prop('out1') }] },
    ],
  } as unknown as Submodel;
}

describe('idShortPath', () => {
  it('parses dots, indexes, hyphens and nested indexes, and formats back', () => {
    for (const path of ['a', 'a.b', 'l[0]', 'l[0][12].x', 'ent-1.st', 'a_b.c-d[3]']) {
      assert.equal(formatIdShortPath(parseIdShortPath(path)), path);
    }
    assert.deepEqual(parseIdShortPath('l[2].x'), [{ idShort: 'l' }, { index: 2 }, { idShort: 'x' }]);
  });

  it('rejects malformed paths with 400', () => {
    for (const bad of ['', '.a', 'a.', 'a..b', '[0]', 'a[01]', 'a[-1]', 'a[x]', 'a[0', '1a', 'a b', 'a/b', 'a.[0]']) {
      assert.throws(() => parseIdShortPath(bad), BadRequest, bad);
    }
  });
});

describe('element tree', () => {
  it('finds elements in every kind of container', () => {
    const sm = tree();
    const at = (path: string) => locateElement(sm, path).element as { value?: unknown; idShort?: string };
    assert.equal(at('top').value, '1');
    assert.equal(at('coll.inner').idShort, 'inner');
    assert.equal(at('coll.list[0][1]').value, '8');
    assert.equal(at('ent-1.st').idShort, 'st');
    assert.equal(at('rel.note').idShort, 'note');
    assert.equal(at('op.out1').idShort, 'out1');
    const slot = locateElement(sm, 'coll.list[0][1]');
    assert.deepEqual(slot.lineage.map((l) => l.segment), [{ idShort: 'coll' }, { idShort: 'list' }, { index: 0 }, { index: 1 }]);
    assert.equal((slot.parent as { modelType: string }).modelType, 'SubmodelElementList');
    assert.equal(locateElement(sm, 'top').parent, undefined);
  });

  it('answers 404 for missing elements and 400 for the wrong kind of segment', () => {
    const sm = tree();
    assert.throws(() => locateElement(sm, 'nothing'), NotFound);
    assert.throws(() => locateElement(sm, 'coll.list[1]'), NotFound);
    assert.throws(() => locateElement(sm, 'Top'), NotFound, 'case-sensitive');
    assert.throws(() => locateElement(sm, 'top.deeper'), NotFound);
    assert.throws(() => locateElement(sm, 'coll[0]'), BadRequest);
    assert.throws(() => locateElement(sm, 'coll.list.x'), BadRequest);
  });

  it('replaces and removes in place, dropping lists that become empty', () => {
    const sm = tree();
    locateElement(sm, 'coll.list[0][0]').replace(prop(undefined, '70') as unknown as SubmodelElement);
    assert.equal((locateElement(sm, 'coll.list[0][0]').element as { value: string }).value, '70');
    locateElement(sm, 'op.in1').replace(prop('in1', '5') as unknown as SubmodelElement);
    assert.equal((locateElement(sm, 'op.in1').element as { value: string }).value, '5');
    locateElement(sm, 'ent-1.st').remove();
    assert.equal('statements' in (locateElement(sm, 'ent-1').element as object), false);
    locateElement(sm, 'op.out1').remove();
    assert.equal('outputVariables' in (locateElement(sm, 'op').element as object), false);
    assert.equal(childElements(locateElement(sm, 'op').element).length, 1);
  });

  it('appends children to containers and refuses others', () => {
    const sm = tree();
    appendChild(locateElement(sm, 'coll.list[0]').element, prop(undefined, '9') as unknown as SubmodelElement);
    assert.equal((locateElement(sm, 'coll.list[0][2]').element as { value: string }).value, '9');
    appendChild(locateElement(sm, 'ent-1').element, prop('more') as unknown as SubmodelElement);
    appendChild(sm, prop('newTop') as unknown as SubmodelElement);
    assert.equal(locateElement(sm, 'newTop').element.idShort, 'newTop');
    assert.throws(() => appendChild(locateElement(sm, 'top').element, prop('x') as unknown as SubmodelElement), BadRequest);
    assert.throws(() => appendChild(locateElement(sm, 'op').element, prop('x') as unknown as SubmodelElement), BadRequest);
  });
});
