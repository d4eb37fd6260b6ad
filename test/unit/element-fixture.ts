/**
 * A valid Submodel holding every submodel element type with every optional field set, nested containers
 * (lists of lists, collections in lists, an Entity with a collection, an annotated relationship, an Operation
 * whose argument is a collection holding a Blob). Shared by the projection and modifier tests.
 */
import type { Submodel, SubmodelElement } from '../../src/model/types.js';

export const externalRef = (value: string) => ({ type: 'ExternalReference', keys: [{ type: 'GlobalReference', value }] });
const modelRef = (...keys: [string, string][]) => ({ type: 'ModelReference', keys: keys.map(([type, value]) => ({ type, value })) });

/** The Referable/HasSemantics/Qualifiable/HasDataSpecification fields every element may carry. */
export const common = {
  extensions: [{ name: 'origin', valueType: 'xs:string', value: 'test' }],
  category: 'PARAMETER',
  displayName: [{ language: 'en', text: 'Shown' }],
  description: [{ language: 'en', text: 'Described' }],
  semanticId: externalRef('urn:sem'),
  supplementalSemanticIds: [externalRef('urn:sup')],
  qualifiers: [{ type: 'Source', valueType: 'xs:string', value: 'plc' }],
};

const prop = (idShort: string | undefined, value: string) => ({
  modelType: 'Property',
  ...(idShort === undefined ? {} : { idShort }),
  valueType: 'xs:int',
  value,
});

/** One fully populated element of each type, by modelType. */
export function everyElement(): Record<string, Record<string, unknown>> {
  return {
    Property: { modelType: 'Property', idShort: 'prop', ...common, valueType: 'xs:int', value: '5', valueId: externalRef('urn:five') },
    MultiLanguageProperty: {
      modelType: 'MultiLanguageProperty',
      idShort: 'mlp',
      ...common,
      value: [{ language: 'en', text: 'Label' }, { language: 'de', text: 'Bez.' }],
      valueId: externalRef('urn:label'),
    },
    Range: { modelType: 'Range', idShort: 'range', ...common, valueType: 'xs:int', min: '3', max: '15' },
    ReferenceElement: { modelType: 'ReferenceElement', idShort: 'refEl', ...common, value: modelRef(['Submodel', 'urn:other'], ['Property', 'x']) },
    RelationshipElement: {
      modelType: 'RelationshipElement',
      idShort: 'rel',
      ...common,
      first: modelRef(['Submodel', 'urn:sm'], ['Property', 'prop']),
      second: modelRef(['Submodel', 'urn:sm'], ['Range', 'range']),
    },
    AnnotatedRelationshipElement: {
      modelType: 'AnnotatedRelationshipElement',
      idShort: 'arel',
      ...common,
      first: modelRef(['Submodel', 'urn:sm'], ['Property', 'prop']),
      second: modelRef(['Submodel', 'urn:sm'], ['File', 'file']),
      annotations: [prop('note', '1'), { modelType: 'Blob', idShort: 'annBlob', contentType: 'application/octet-stream', value: 'AQID' }],
    },
    Blob: { modelType: 'Blob', idShort: 'blob', ...common, contentType: 'image/png', value: 'iVBORw0KGgo' },
    File: { modelType: 'File', idShort: 'file', ...common, contentType: 'application/pdf', value: '/aasx/manual.pdf' },
    Capability: { modelType: 'Capability', idShort: 'cap', ...common },
    Operation: {
      modelType: 'Operation',
      idShort: 'op',
      ...common,
      inputVariables: [
        { value: { modelType: 'SubmodelElementCollection', idShort: 'inColl', value: [{ modelType: 'Blob', idShort: 'inBlob', contentType: 'text/plain', value: 'aGk' }] } },
      ],
      outputVariables: [{ value: prop('out', '0') }],
      inoutputVariables: [{ value: prop('io', '0') }],
    },
    BasicEventElement: {
      modelType: 'BasicEventElement',
      idShort: 'event',
      ...common,
      observed: modelRef(['Submodel', 'urn:sm'], ['Property', 'prop']),
      direction: 'output',
      state: 'on',
      messageTopic: 'plant/1',
      messageBroker: modelRef(['Submodel', 'urn:broker']),
      lastUpdate: '2025-01-01T00:00:00Z',
      minInterval: 'PT1S',
      maxInterval: 'PT10S',
    },
    Entity: {
      modelType: 'Entity',
      idShort: 'ent',
      ...common,
      entityType: 'SelfManagedEntity',
      globalAssetId: 'urn:asset:1',
      specificAssetIds: [{ name: 'serial', value: 'S-1' }],
      statements: [prop('st', '1'), { modelType: 'SubmodelElementCollection', idShort: 'stColl', value: [prop('deep', '2')] }],
    },
    SubmodelElementCollection: {
      modelType: 'SubmodelElementCollection',
      idShort: 'coll',
      ...common,
      value: [
        prop('inner', '1'),
        {
          modelType: 'SubmodelElementList',
          idShort: 'lists',
          typeValueListElement: 'SubmodelElementList',
          value: [
            { modelType: 'SubmodelElementList', typeValueListElement: 'Property', valueTypeListElement: 'xs:int', value: [prop(undefined, '7'), prop(undefined, '8')] },
            { modelType: 'SubmodelElementList', typeValueListElement: 'Property', valueTypeListElement: 'xs:int', value: [prop(undefined, '9')] },
          ],
        },
        { modelType: 'Blob', idShort: 'raw', contentType: 'application/octet-stream', value: 'AAEC' },
      ],
    },
    SubmodelElementList: {
      modelType: 'SubmodelElementList',
      idShort: 'rows',
      ...common,
      orderRelevant: true,
      typeValueListElement: 'SubmodelElementCollection',
      value: [
        { modelType: 'SubmodelElementCollection', value: [prop('ra', '1')] },
        { modelType: 'SubmodelElementCollection', value: [prop('rb', '2'), { modelType: 'Blob', idShort: 'rowBlob', contentType: 'text/plain', value: 'eA' }] },
      ],
    },
  };
}

/** A Submodel whose top-level elements are everyElement(), in that order. */
export function everyElementSubmodel(): Submodel {
  return {
    modelType: 'Submodel',
    id: 'urn:sm',
    idShort: 'Everything',
    submodelElements: Object.values(everyElement()) as unknown as SubmodelElement[],
  } as unknown as Submodel;
}
