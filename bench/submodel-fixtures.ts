/**
 * The documents the benchmarks store: one realistic 50-element submodel (for the single GET) and many small
 * submodels (for the list scale test). All are meant to pass the server's strict validation; run.ts checks the
 * large one with a real POST (201) and seed-store.ts runs the project's validator on a sample of the small ones.
 */
import type { Submodel } from '../src/model/types.js';

type Element = NonNullable<Submodel['submodelElements']>[number];

/** An IRDI-style external semantic id, as ECLASS-based templates use them. */
function semanticId(irdi: string) {
  return { type: 'ExternalReference' as const, keys: [{ type: 'GlobalReference' as const, value: irdi }] };
}

function property(idShort: string, valueType: string, value: string, irdi: string): Element {
  return {
    modelType: 'Property',
    idShort,
    semanticId: semanticId(irdi),
    valueType,
    value,
  } as Element;
}

/** Values of several xs types, each valid for its type (the server checks value against valueType). */
const PROPERTY_SAMPLES: ReadonlyArray<readonly [string, string]> = [
  ['xs:string', 'Robot arm RA-7 with six axes'],
  ['xs:int', '1200'],
  ['xs:double', '23.75'],
  ['xs:boolean', 'true'],
  ['xs:dateTime', '2024-05-01T12:30:00Z'],
  ['xs:decimal', '1024.5'],
  ['xs:date', '2023-11-20'],
  ['xs:anyURI', 'https://example.com/manuals/ra-7'],
  ['xs:long', '9007199254740993'],
  ['xs:float', '0.125'],
  ['xs:unsignedShort', '65535'],
  ['xs:duration', 'PT15M'],
];

/** The submodel of the single-GET benchmark: 50 submodel elements counted at every depth. */
export function fiftyElementSubmodel(id: string): Submodel {
  const elements: Element[] = [];
  // 34 Properties, cycling through the xs types above.
  for (let i = 0; i < 34; i++) {
    const [valueType, value] = PROPERTY_SAMPLES[i % PROPERTY_SAMPLES.length];
    elements.push(property(`Property${String(i + 1).padStart(2, '0')}`, valueType, value, `0173-1#02-AAA${100 + i}#001`));
  }
  // One collection with 10 children: 11 elements.
  const children: Element[] = [];
  for (let i = 0; i < 10; i++) {
    const [valueType, value] = PROPERTY_SAMPLES[(i * 5) % PROPERTY_SAMPLES.length];
    children.push(property(`Child${i + 1}`, valueType, value, `0173-1#02-AAB${200 + i}#001`));
  }
  elements.push({
    modelType: 'SubmodelElementCollection',
    idShort: 'ContactInformation',
    semanticId: semanticId('https://admin-shell.io/zvei/nameplate/1/0/ContactInformations/ContactInformation'),
    value: children,
  } as Element);
  // Two multi-language properties, two ranges and one file: 5 more, 50 in all.
  for (const [idShort, en, de] of [
    ['ManufacturerName', 'Example Robotics Ltd.', 'Example Robotics GmbH'],
    ['ProductDesignation', 'Six-axis industrial robot', 'Sechsachsiger Industrieroboter'],
  ] as const) {
    elements.push({
      modelType: 'MultiLanguageProperty',
      idShort,
      semanticId: semanticId(`0173-1#02-AAO677#002-${idShort}`),
      value: [
        { language: 'en', text: en },
        { language: 'de', text: de },
      ],
    } as Element);
  }
  elements.push(
    { modelType: 'Range', idShort: 'OperatingTemperature', valueType: 'xs:double', min: '-10.0', max: '45.5' } as Element,
    { modelType: 'Range', idShort: 'PayloadKg', valueType: 'xs:int', min: '0', max: '12' } as Element,
    {
      modelType: 'File',
      idShort: 'OperatingManual',
      contentType: 'application/pdf',
      value: '/aasx/files/operating-manual.pdf',
    } as Element,
  );
  return {
    modelType: 'Submodel',
    id,
    idShort: 'TechnicalData',
    kind: 'Instance',
    semanticId: { type: 'ExternalReference', keys: [{ type: 'GlobalReference', value: 'https://admin-shell.io/ZVEI/TechnicalData/Submodel/1/2' }] },
    description: [{ language: 'en', text: 'Technical data of a six-axis robot arm' }],
    administration: { version: '1', revision: '2' },
    submodelElements: elements,
  } as Submodel;
}

/** Counts submodel elements at every depth (collections and lists count, and so do their children). */
export function countElements(elements: readonly unknown[] | undefined): number {
  let n = 0;
  for (const e of elements ?? []) {
    n += 1;
    const value = (e as { value?: unknown }).value;
    const modelType = (e as { modelType?: string }).modelType;
    if ((modelType === 'SubmodelElementCollection' || modelType === 'SubmodelElementList') && Array.isArray(value)) {
      n += countElements(value);
    }
  }
  return n;
}

/** Ids of the scale test: zero-padded so that id order (the list order) is the numeric order. */
export function smallSubmodelId(i: number): string {
  return `urn:example:bench:submodel:${String(i).padStart(7, '0')}`;
}

/** A small valid submodel: distinct id, a semanticId from a handful, and three elements. */
export function smallSubmodel(i: number): Submodel {
  return {
    modelType: 'Submodel',
    id: smallSubmodelId(i),
    idShort: `Sensor${i}`,
    semanticId: semanticId(`urn:example:bench:semantic:${i % 5}`),
    submodelElements: [
      { modelType: 'Property', idShort: 'SerialNumber', valueType: 'xs:string', value: `SN-${i}` },
      { modelType: 'Property', idShort: 'Temperature', valueType: 'xs:double', value: String(20 + (i % 100) / 10) },
      {
        modelType: 'MultiLanguageProperty',
        idShort: 'Label',
        value: [{ language: 'en', text: `Sensor number ${i}` }],
      },
    ],
  } as Submodel;
}
