/** Resolving a connection's mappings at each connect (see resolveMappings). */
import { AttributeIds, DataType, resolveNodeId, type ClientSession, type NodeId } from 'node-opcua';
import type { SubmodelElement } from '../../model/types.js';
import type { DataTypeDefXsd } from '../../validation/schema/metamodel.js';
import { builtInDataType } from './data-types.js';
import { arrayTypeOf, statusText, type MappingRuntime } from './mapping-runtime.js';
import { checkMethodNode, type MethodRuntime } from './method-call.js';

const STANDARD_NAMESPACE_ARRAY = 'ns=0;i=2255';

/**
 * What a connect learns about each mapping: NodeIds (with `nsu=` namespaces resolved against the server's
 * namespace array), the target elements, the nodes' DataTypes and ValueRanks, and that method nodes are methods.
 * A mapping that cannot work gets its error in its status; the others are resolved regardless.
 */
export async function resolveMappings(
  session: ClientSession,
  mappings: readonly MappingRuntime[],
  methods: readonly MethodRuntime[],
  targetOf: (submodelId: string, idShortPath: string) => Promise<SubmodelElement | undefined>,
): Promise<void> {
  const texts = [...mappings.map((m) => m.mapping.nodeId), ...methods.flatMap((m) => [m.mapping.objectId, m.mapping.methodId])];
  let namespaces: string[] = [];
  if (texts.some((t) => t.startsWith('nsu='))) {
    const [array] = await session.read([{ nodeId: STANDARD_NAMESPACE_ARRAY, attributeId: AttributeIds.Value }]);
    namespaces = (array.value.value as string[] | null) ?? [];
  }
  const nodeIdOf = (text: string): NodeId => {
    if (!text.startsWith('nsu=')) return resolveNodeId(text);
    const at = text.indexOf(';');
    const uri = text.slice(4, at);
    const index = namespaces.indexOf(uri);
    if (index < 0) throw new Error(`the server has no namespace ${uri}`);
    return resolveNodeId(`ns=${index};${text.slice(at + 1)}`);
  };

  for (const m of mappings) {
    m.reset();
    try {
      m.nodeId = nodeIdOf(m.mapping.nodeId);
      const element = await targetOf(m.mapping.submodelId, m.mapping.idShortPath);
      if (element?.modelType === 'Property') m.target = { kind: 'Property', valueType: (element as { valueType: DataTypeDefXsd }).valueType };
      else if (element?.modelType === 'MultiLanguageProperty') m.target = { kind: 'MultiLanguageProperty' };
      else m.fail(element === undefined ? `no element ${m.mapping.idShortPath} in submodel ${m.mapping.submodelId}` : `${m.mapping.idShortPath} is a ${element.modelType}, not a Property or MultiLanguageProperty`);
    } catch (e) {
      m.fail((e as Error).message);
    }
  }
  const withNode = mappings.filter((m) => m.nodeId !== undefined);
  if (withNode.length > 0) {
    const attributes = await session.read(withNode.flatMap((m) => [
      { nodeId: m.nodeId!, attributeId: AttributeIds.DataType },
      { nodeId: m.nodeId!, attributeId: AttributeIds.ValueRank },
    ]));
    for (const [i, m] of withNode.entries()) {
      const dataType = attributes[2 * i];
      if (dataType.statusCode.isBad()) {
        m.fail(`node ${m.mapping.nodeId}: ${statusText(dataType.statusCode)}`, dataType.statusCode);
        continue;
      }
      try {
        m.dataType = await builtInDataType(session, dataType.value.value as NodeId);
        m.status.dataType = DataType[m.dataType];
        m.arrayType = arrayTypeOf(Number(attributes[2 * i + 1].value.value ?? -1));
      } catch (e) {
        m.fail(`node ${m.mapping.nodeId}: its DataType cannot be resolved (${(e as Error).message})`);
      }
    }
  }
  for (const m of methods) {
    m.reset();
    try {
      m.objectId = nodeIdOf(m.mapping.objectId);
      m.methodId = nodeIdOf(m.mapping.methodId);
      await checkMethodNode(session, m);
    } catch (e) {
      m.methodId = undefined;
      m.status.error = (e as Error).message;
    }
  }
}
