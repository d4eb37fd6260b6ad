/**
 * An Operation invoked as an OPC UA method call: input variables become the method's input arguments (matched by
 * name: the variable's idShort, or the name the mapping's `arguments` gives it), converted to each argument's
 * DataType; the output arguments come back into the declared output (or inoutput) variables of the same names.
 */
import { AttributeIds, NodeClass, type ClientSession, type DataType, type NodeId, type Variant } from 'node-opcua';
import type { LangStringTextType, SubmodelElement } from '../../model/types.js';
import type { OperationInvocation, OperationOutcome, ReturnedArgument } from '../../services/operations/index.js';
import type { DataTypeDefXsd, OperationVariable } from '../../validation/schema/metamodel.js';
import type { MethodMapping } from './connection-config.js';
import { builtInDataType } from './data-types.js';
import { arrayTypeOf, statusText } from './mapping-runtime.js';
import { langStringsToLocalizedText, localizedTextToLangStrings, variantToXsdValue, xsdValueToVariant } from './value-conversion.js';

export interface MethodStatus {
  submodelId: string;
  idShortPath: string;
  objectId: string;
  methodId: string;
  calls: number;
  failures: number;
  /** OPC UA status code of the last call. */
  statusCode?: string;
  error?: string;
}

export class MethodRuntime {
  readonly status: MethodStatus;
  objectId: NodeId | undefined;
  methodId: NodeId | undefined;

  constructor(readonly mapping: MethodMapping) {
    this.status = {
      submodelId: mapping.submodelId,
      idShortPath: mapping.idShortPath,
      objectId: mapping.objectId,
      methodId: mapping.methodId,
      calls: 0,
      failures: 0,
    };
  }

  reset(): void {
    this.objectId = undefined;
    this.methodId = undefined;
    this.status.error = undefined;
  }

  /** The OPC UA argument name of an operation variable. */
  argumentName(idShort: string): string {
    return this.mapping.arguments?.[idShort] ?? idShort;
  }
}

/** Checks at connect that the method node is a Method (an unknown node shows in the status, not at the first call). */
export async function checkMethodNode(session: ClientSession, runtime: MethodRuntime): Promise<void> {
  const [nodeClass] = await session.read([{ nodeId: runtime.methodId!, attributeId: AttributeIds.NodeClass }]);
  if (nodeClass.statusCode.isBad()) throw new Error(`method node ${runtime.mapping.methodId}: ${statusText(nodeClass.statusCode)}`);
  if (nodeClass.value.value !== NodeClass.Method) throw new Error(`${runtime.mapping.methodId} is not a Method node`);
}

function toVariant(element: SubmodelElement, dataType: DataType, valueRank: number): Variant {
  const value = (element as { value?: unknown }).value;
  if (element.modelType === 'MultiLanguageProperty') return langStringsToLocalizedText((value ?? []) as LangStringTextType[], arrayTypeOf(valueRank));
  if (element.modelType !== 'Property' || typeof value !== 'string') {
    throw new Error(`input variable ${element.idShort ?? ''} has no value an OPC UA argument can take (a Property with a value, or a MultiLanguageProperty)`);
  }
  return xsdValueToVariant(value, (element as { valueType: DataTypeDefXsd }).valueType, dataType, arrayTypeOf(valueRank));
}

function fromVariant(declared: SubmodelElement, variant: Variant): SubmodelElement {
  if (declared.modelType === 'MultiLanguageProperty') return { ...declared, value: localizedTextToLangStrings(variant) } as SubmodelElement;
  if (declared.modelType !== 'Property') throw new Error(`output variable ${declared.idShort ?? ''} is a ${declared.modelType}; only a Property or MultiLanguageProperty takes an OPC UA argument`);
  return { ...declared, value: variantToXsdValue(variant, (declared as { valueType: DataTypeDefXsd }).valueType) } as SubmodelElement;
}

/** Rejects with a message for the client (the operation service turns it into executionState Failed). */
export async function callMethod(session: ClientSession, runtime: MethodRuntime, invocation: OperationInvocation): Promise<OperationOutcome> {
  const { inputArguments: inputs, outputArguments: outputs } = await session.getArgumentDefinition(runtime.methodId!);
  const given = new Map<string, SubmodelElement>();
  for (const v of [...invocation.inputArguments, ...invocation.inoutputArguments]) {
    const element = v.value as SubmodelElement;
    given.set(runtime.argumentName(element.idShort ?? ''), element);
  }
  const inputArguments: Variant[] = [];
  for (const argument of inputs) {
    const name = argument.name ?? '';
    const element = given.get(name);
    if (element === undefined) throw new Error(`The OPC UA method needs input argument "${name}"; no operation variable is named so`);
    inputArguments.push(toVariant(element, await builtInDataType(session, argument.dataType), argument.valueRank));
  }
  invocation.signal.throwIfAborted();
  const result = await session.call({ objectId: runtime.objectId!, methodId: runtime.methodId!, inputArguments });
  const badInput = result.inputArgumentResults?.findIndex((code) => code.isBad()) ?? -1;
  if (result.statusCode.isBad()) {
    const detail = badInput >= 0 ? `; input argument "${inputs[badInput]?.name ?? badInput}": ${statusText(result.inputArgumentResults![badInput])}` : '';
    throw new Error(`The OPC UA method call failed: ${statusText(result.statusCode)}${detail}`);
  }

  const declared = (variables: OperationVariable[] | undefined) => new Map((variables ?? []).map((v) => [runtime.argumentName(v.value.idShort ?? ''), v.value as SubmodelElement]));
  const declaredOutputs = declared(invocation.operation.outputVariables);
  const declaredInoutputs = declared(invocation.operation.inoutputVariables);
  const outcome: { outputArguments: ReturnedArgument[]; inoutputArguments?: ReturnedArgument[] } = { outputArguments: [] };
  outputs.forEach((argument, i) => {
    const name = argument.name ?? '';
    const variant = result.outputArguments?.[i];
    if (variant === undefined) return;
    const output = declaredOutputs.get(name);
    const inoutput = declaredInoutputs.get(name);
    if (output !== undefined) outcome.outputArguments.push({ value: fromVariant(output, variant) });
    else if (inoutput !== undefined) (outcome.inoutputArguments ??= []).push({ value: fromVariant(inoutput, variant) });
  });
  return outcome;
}
