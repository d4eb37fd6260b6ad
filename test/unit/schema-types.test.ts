/**
 * The TypeScript types derived from the schema (Static<>) and the schema agree. Values typed against the types pass
 * checkSchema at run time; the `@ts-expect-error` lines make `tsc` fail if a type loosens (e.g. to unknown/any).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type {
  AssetAdministrationShell,
  Environment,
  Key,
  Reference,
  Submodel,
  SubmodelElement,
} from '../../src/model/types.js';
import { checkSchema } from '../../src/validation/schema-check.js';

const semanticId: Reference = {
  type: 'ExternalReference',
  keys: [{ type: 'GlobalReference', value: 'urn:example:concept:temperature' }],
};

const elements: SubmodelElement[] = [
  { modelType: 'Property', idShort: 'Temperature', valueType: 'xs:double', value: '21.5', semanticId },
  {
    modelType: 'SubmodelElementCollection',
    idShort: 'Nested',
    value: [
      { modelType: 'MultiLanguageProperty', idShort: 'Label', value: [{ language: 'de', text: 'Temperatur' }] },
      {
        modelType: 'SubmodelElementList',
        idShort: 'Readings',
        typeValueListElement: 'Range',
        value: [{ modelType: 'Range', valueType: 'xs:int', min: '0', max: '10' }],
      },
    ],
  },
  {
    modelType: 'Operation',
    idShort: 'Reset',
    inputVariables: [{ value: { modelType: 'Blob', idShort: 'Payload', contentType: 'application/octet-stream' } }],
  },
];

const submodel: Submodel = { modelType: 'Submodel', id: 'urn:example:submodel:1', submodelElements: elements };
const shell: AssetAdministrationShell = {
  modelType: 'AssetAdministrationShell',
  id: 'urn:example:aas:1',
  assetInformation: { assetKind: 'Instance', globalAssetId: 'urn:example:asset:1' },
  submodels: [{ type: 'ModelReference', keys: [{ type: 'Submodel', value: submodel.id }] }],
};
const environment: Environment = { assetAdministrationShells: [shell], submodels: [submodel] };

/** Narrowing on modelType reaches the concrete class's fields, through recursion. */
function valueTypesOf(list: readonly SubmodelElement[]): string[] {
  return list.flatMap((element): string[] => {
    switch (element.modelType) {
      case 'Property':
      case 'Range':
        return [element.valueType];
      case 'SubmodelElementCollection':
      case 'SubmodelElementList':
        return valueTypesOf(element.value ?? []);
      default:
        return [];
    }
  });
}

test('values typed with the Static types conform to the schema', () => {
  assert.deepEqual(checkSchema('Environment', environment), []);
  assert.deepEqual(valueTypesOf(elements), ['xs:double', 'xs:int']);
});

test('the types reject what the schema rejects (checked by tsc; run-time half here)', () => {
  // @ts-expect-error valueType is an enumeration
  const badValueType: SubmodelElement = { modelType: 'Property', valueType: 'string' };
  // @ts-expect-error assetInformation is required
  const noAssetInformation: AssetAdministrationShell = { modelType: 'AssetAdministrationShell', id: 'urn:x' };
  // @ts-expect-error KeyTypes has no "Thing"
  const badKey: Key = { type: 'Thing', value: 'x' };
  // @ts-expect-error a Submodel is not a SubmodelElement
  const notAnElement: SubmodelElement = submodel;
  assert.equal(checkSchema('SubmodelElement', badValueType).length, 1);
  assert.equal(checkSchema('AssetAdministrationShell', noAssetInformation).length, 1);
  assert.equal(checkSchema('Key', badKey).length, 1);
  assert.equal(checkSchema('SubmodelElement', notAnElement).length, 1);
});
