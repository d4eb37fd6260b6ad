/** Model-driven OPC UA bindings: which elements a JSONPath and the `opcua:*` qualifiers bind, and their paths. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bindingsOf, DEFAULT_BINDING_PATH, elementAtPointer } from '../../src/connectors/opcua/model-bindings.js';
import type { Submodel } from '../../src/model/types.js';

const q = (type: string, value: string) => ({ type, valueType: 'xs:string', value });
const prop = (idShort: string | undefined, ...qualifiers: ReturnType<typeof q>[]) => ({
  modelType: 'Property',
  ...(idShort !== undefined && { idShort }),
  valueType: 'xs:double',
  ...(qualifiers.length > 0 && { qualifiers }),
});

const submodel = {
  modelType: 'Submodel',
  id: 'urn:sm',
  qualifiers: [q('opcua:nodeId', 'ns=2;s=NotAnElement')],
  submodelElements: [
    prop('Speed', q('opcua:nodeId', 'ns=2;s=Speed')),
    prop('Plain'),
    {
      modelType: 'SubmodelElementCollection',
      idShort: 'Axis',
      value: [prop('Torque', q('opcua:nodeId', 'nsu=urn:x;s=Torque'), q('opcua:modes', 'read,write'), q('opcua:samplingInterval', '250'))],
    },
    { modelType: 'SubmodelElementList', idShort: 'Temps', typeValueListElement: 'Property', valueTypeListElement: 'xs:double', value: [prop(undefined), prop(undefined, q('opcua:nodeId', 'i=2258'))] },
    { modelType: 'Entity', idShort: 'Part', entityType: 'CoManagedEntity', statements: [prop('Weight', q('opcua:nodeId', 'ns=2;i=17'))] },
    { modelType: 'Operation', idShort: 'Start', qualifiers: [q('opcua:objectId', 'ns=2;s=M'), q('opcua:methodId', 'ns=2;s=M.Start')], inputVariables: [{ value: prop('Job', q('opcua:nodeId', 'ns=2;s=Job')) }] },
    { modelType: 'Range', idShort: 'Limits', valueType: 'xs:int', qualifiers: [q('opcua:nodeId', 'ns=2;s=L')] },
    prop('BadModes', q('opcua:nodeId', 'ns=2;s=B'), q('opcua:modes', 'stream')),
    prop('BadNode', q('opcua:nodeId', 'Speed')),
    { modelType: 'Operation', idShort: 'NoObject', qualifiers: [q('opcua:methodId', 'ns=2;s=M.X')] },
  ],
} as unknown as Submodel;

describe('model bindings', () => {
  it('binds every qualified element the default path selects, with its idShortPath', () => {
    const found = bindingsOf(submodel, DEFAULT_BINDING_PATH);
    assert.deepEqual(found.mappings, [
      { submodelId: 'urn:sm', idShortPath: 'Speed', nodeId: 'ns=2;s=Speed', modes: ['subscribe'] },
      { submodelId: 'urn:sm', idShortPath: 'Axis.Torque', nodeId: 'nsu=urn:x;s=Torque', modes: ['read', 'write'], samplingInterval: 250 },
      { submodelId: 'urn:sm', idShortPath: 'Temps[1]', nodeId: 'i=2258', modes: ['subscribe'] },
      { submodelId: 'urn:sm', idShortPath: 'Part.Weight', nodeId: 'ns=2;i=17', modes: ['subscribe'] },
      { submodelId: 'urn:sm', idShortPath: 'Start.Job', nodeId: 'ns=2;s=Job', modes: ['subscribe'] },
    ]);
    assert.deepEqual(found.methods, [{ submodelId: 'urn:sm', idShortPath: 'Start', objectId: 'ns=2;s=M', methodId: 'ns=2;s=M.Start' }]);
    assert.deepEqual(
      found.problems.map((p) => [p.idShortPath, p.message.split(':')[0]]),
      [['Limits', 'opcua'], ['BadModes', 'opcua'], ['BadNode', 'opcua'], ['NoObject', 'opcua']],
    );
    assert.match(found.problems[0].message, /Range/);
    assert.match(found.problems[1].message, /stream/);
  });

  it('binds only what the JSONPath selects', () => {
    const found = bindingsOf(submodel, '$.submodelElements[2].value[*]');
    assert.deepEqual(found.mappings.map((m) => m.idShortPath), ['Axis.Torque']);
    assert.deepEqual(found.methods, []);
  });

  it('refuses script and filter expressions: the path binds nothing and says why', () => {
    for (const path of ['$..[?(@.idShort=="Speed")]', '$.submodelElements[(@.length-1)]']) {
      const found = bindingsOf(submodel, path);
      assert.deepEqual(found.mappings, []);
      assert.equal(found.problems.length, 1);
      assert.match(found.problems[0].message, /prevented/i);
    }
  });

  it('turns JSON Pointers into idShortPaths, and nothing for what is not an element', () => {
    assert.equal(elementAtPointer(submodel, '/submodelElements/2/value/0')?.path, 'Axis.Torque');
    assert.equal(elementAtPointer(submodel, '/submodelElements/3/value/1')?.path, 'Temps[1]');
    assert.equal(elementAtPointer(submodel, '/submodelElements/5/inputVariables/0/value')?.path, 'Start.Job');
    assert.equal(elementAtPointer(submodel, ''), undefined);
    assert.equal(elementAtPointer(submodel, '/submodelElements/0/qualifiers/0'), undefined);
    assert.equal(elementAtPointer(submodel, '/submodelElements/99'), undefined);
  });
});
