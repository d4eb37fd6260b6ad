/** The OPC UA built-in type behind a DataType node: what values of a node or argument are converted to. */
import { DataType, findBasicDataType, type ClientSession, type NodeId } from 'node-opcua';

/** The built-in types are ns=0;i=1…25; any other DataType resolves to its nearest built-in supertype. */
export async function builtInDataType(session: ClientSession, dataTypeId: NodeId): Promise<DataType> {
  if (dataTypeId.namespace === 0 && typeof dataTypeId.value === 'number' && dataTypeId.value >= 1 && dataTypeId.value <= 25) {
    return dataTypeId.value as DataType;
  }
  return findBasicDataType(session, dataTypeId);
}
