/**
 * One property mapping at run time: what the node is (its DataType and ValueRank, read once per connect), what
 * the target element is (Property with a valueType, or MultiLanguageProperty), the conversions both ways, and
 * the status the API shows (last value, source timestamp, OPC UA status code, error text, counts).
 */
import { DataType, VariantArrayType, type DataValue, type NodeId, type StatusCode, type Variant } from 'node-opcua';
import type { LangStringTextType, SubmodelElement } from '../../model/types.js';
import type { DataTypeDefXsd } from '../../validation/schema/metamodel.js';
import type { MappingMode, PropertyMapping } from './connection-config.js';
import { ConversionError, langStringsToLocalizedText, localizedTextToLangStrings, variantToXsdValue, xsdValueToVariant } from './value-conversion.js';

/** The element a mapping feeds, as far as conversions care. */
export type MappingTarget = { kind: 'Property'; valueType: DataTypeDefXsd } | { kind: 'MultiLanguageProperty' };

export type ModelValue = string | LangStringTextType[];

export interface MappingStatus {
  submodelId: string;
  idShortPath: string;
  nodeId: string;
  modes: MappingMode[];
  /** The node's OPC UA built-in DataType, once read. */
  dataType?: string;
  /** The last value the device reported, as the model holds it. */
  value?: ModelValue;
  sourceTimestamp?: string;
  /** OPC UA status code of the last value, read or write (e.g. `Good`, `BadNodeIdUnknown`). */
  statusCode?: string;
  /** True while the value in the model may be out of date (not connected, or the last value was Bad). */
  stale: boolean;
  /** Why the mapping does not work (or did not, last time); absent when it does. */
  error?: string;
  /** Values received from the device (subscription notifications and reads). */
  updates: number;
  reads: number;
  writes: number;
  writeFailures: number;
}

/** A status code's name and description, as clients read it (`BadOutOfRange (The value was out of range.)`). */
export function statusText(code: StatusCode): string {
  const description = code.description;
  return description && description !== code.name ? `${code.name} (${description})` : code.name;
}

/** The Variant shape of a node with this ValueRank (scalar for -1 and the "any" ranks). */
export function arrayTypeOf(valueRank: number): VariantArrayType {
  if (valueRank === 1) return VariantArrayType.Array;
  if (valueRank >= 2) return VariantArrayType.Matrix;
  return VariantArrayType.Scalar;
}

export class MappingRuntime {
  readonly status: MappingStatus;
  /** Set at connect: the NodeId with its namespace index resolved. */
  nodeId: NodeId | undefined;
  dataType: DataType | undefined;
  arrayType: VariantArrayType = VariantArrayType.Scalar;
  target: MappingTarget | undefined;
  /** Set when the mapping must not run at all (another connection maps the same element); never cleared. */
  private disabled: string | undefined;

  constructor(readonly mapping: PropertyMapping) {
    this.status = {
      submodelId: mapping.submodelId,
      idShortPath: mapping.idShortPath,
      nodeId: mapping.nodeId,
      modes: mapping.modes,
      stale: true,
      updates: 0,
      reads: 0,
      writes: 0,
      writeFailures: 0,
    };
  }

  has(mode: MappingMode): boolean {
    return this.mapping.modes.includes(mode);
  }

  /** Usable at the moment: connected pieces resolved and no standing error. */
  get ready(): boolean {
    return this.disabled === undefined && this.nodeId !== undefined && this.dataType !== undefined && this.target !== undefined;
  }

  /** Forget what a previous connect learned (a reconnect resolves everything again). */
  reset(): void {
    this.nodeId = undefined;
    this.dataType = undefined;
    this.target = undefined;
    this.status.error = this.disabled;
    this.status.stale = true;
  }

  disable(reason: string): void {
    this.disabled = reason;
    this.status.error = reason;
  }

  fail(message: string, code?: StatusCode): void {
    this.status.error = message;
    if (code !== undefined) this.status.statusCode = code.name;
  }

  /**
   * A value from the device → the model's form, recording it in the status; undefined when it must not be
   * stored (a Bad status, a null value, or one the target's type cannot hold: the error says which).
   */
  fromDevice(dataValue: DataValue): ModelValue | undefined {
    this.status.updates += 1;
    this.status.statusCode = dataValue.statusCode.name;
    this.status.sourceTimestamp = dataValue.sourceTimestamp?.toISOString();
    if (dataValue.statusCode.isBad()) {
      this.status.stale = true;
      this.status.error = `The device reports ${statusText(dataValue.statusCode)}`;
      return undefined;
    }
    if (this.target === undefined) return undefined;
    try {
      const value = this.convertIn(dataValue.value);
      this.status.value = value;
      this.status.stale = false;
      this.status.error = undefined;
      return value;
    } catch (e) {
      this.status.error = e instanceof ConversionError ? e.message : `Cannot take the value: ${(e as Error).message}`;
      return undefined;
    }
  }

  /** The element's new value → a Variant of the node's DataType (ConversionError, a 400, when it cannot be one). */
  toDevice(element: SubmodelElement): Variant {
    if (this.dataType === undefined) throw new Error('the node has not been resolved');
    const value = (element as { value?: unknown }).value;
    if (element.modelType === 'MultiLanguageProperty') {
      return langStringsToLocalizedText((value ?? []) as LangStringTextType[], this.arrayType);
    }
    if (element.modelType !== 'Property' || typeof value !== 'string') {
      throw new ConversionError(`${this.mapping.idShortPath}: only a Property value (a string) or language strings can be written`);
    }
    return xsdValueToVariant(value, (element as { valueType: DataTypeDefXsd }).valueType, this.dataType, this.arrayType);
  }

  private convertIn(variant: Variant): ModelValue {
    if (variant.dataType === DataType.Null || variant.value === null || variant.value === undefined) {
      throw new ConversionError('The device reports no value (null)');
    }
    const target = this.target!;
    return target.kind === 'MultiLanguageProperty' ? localizedTextToLangStrings(variant) : variantToXsdValue(variant, target.valueType);
  }
}
