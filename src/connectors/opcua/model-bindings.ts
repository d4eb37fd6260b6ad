/**
 * Model-driven bindings: elements that name their OPC UA node in a qualifier, so that an AAS imported with its
 * bindings needs no separate mapping. A connection's JSONPath (jsonpath-plus, script and filter expressions
 * disabled) selects candidate elements in each submodel; those carrying the qualifiers below are bound.
 *
 * Qualifier types (case-sensitive, Part 1 §5.3.2.11; valueType xs:string):
 * - `opcua:nodeId` on a Property or MultiLanguageProperty: the variable's NodeId (`ns=…;s=…` or `nsu=…;s=…`).
 * - `opcua:modes` (optional): `subscribe`, `read`, `write`, separated by spaces or commas; default `subscribe`.
 * - `opcua:samplingInterval` (optional): milliseconds, for `subscribe`.
 * - `opcua:objectId` and `opcua:methodId` on an Operation: the object and the method to call.
 */
import { JSONPath } from 'jsonpath-plus';
import { formatIdShortPath, type PathSegment } from '../../model/id-short-path.js';
import type { Submodel } from '../../model/types.js';
import { MAPPING_MODES, type MappingMode, type MethodMapping, type PropertyMapping } from './connection-config.js';

export const NODE_ID_QUALIFIER = 'opcua:nodeId';
export const MODES_QUALIFIER = 'opcua:modes';
export const SAMPLING_INTERVAL_QUALIFIER = 'opcua:samplingInterval';
export const OBJECT_ID_QUALIFIER = 'opcua:objectId';
export const METHOD_ID_QUALIFIER = 'opcua:methodId';

/** Every element that carries qualifiers (the submodel's own qualifiers are skipped: it is not an element). */
export const DEFAULT_BINDING_PATH = '$..qualifiers^';

const NODE_ID = /^((ns=[0-9]+|nsu=[^;]+);)?[isgb]=.+$/;

export interface BindingProblem {
  submodelId: string;
  idShortPath: string;
  message: string;
}

export interface ModelBindings {
  mappings: PropertyMapping[];
  methods: MethodMapping[];
  problems: BindingProblem[];
}

type Node = Record<string, unknown> & { modelType?: string; idShort?: string; qualifiers?: { type: string; value?: string }[] };

/** The bindings `jsonPath` selects in one submodel. A malformed path binds nothing and is one problem. */
export function bindingsOf(submodel: Submodel, jsonPath: string): ModelBindings {
  const found: ModelBindings = { mappings: [], methods: [], problems: [] };
  let pointers: string[];
  try {
    pointers = JSONPath({ path: jsonPath, json: submodel as object, resultType: 'pointer', eval: false, wrap: true }) as string[];
  } catch (e) {
    found.problems.push({ submodelId: submodel.id, idShortPath: '', message: `JSONPath ${jsonPath}: ${(e as Error).message}` });
    return found;
  }
  const seen = new Set<string>();
  for (const pointer of pointers) {
    const located = elementAtPointer(submodel, pointer);
    if (located === undefined || seen.has(located.path)) continue;
    seen.add(located.path);
    bindElement(submodel.id, located.path, located.element, found);
  }
  return found;
}

function qualifier(element: Node, type: string): string | undefined {
  return element.qualifiers?.find((q) => q.type === type)?.value;
}

function bindElement(submodelId: string, idShortPath: string, element: Node, into: ModelBindings): void {
  const problem = (message: string) => into.problems.push({ submodelId, idShortPath, message });
  const nodeId = qualifier(element, NODE_ID_QUALIFIER);
  const methodId = qualifier(element, METHOD_ID_QUALIFIER);
  if (nodeId !== undefined) {
    if (element.modelType !== 'Property' && element.modelType !== 'MultiLanguageProperty') {
      return void problem(`${NODE_ID_QUALIFIER} on a ${element.modelType ?? 'element'}: only a Property or MultiLanguageProperty takes values`);
    }
    if (!NODE_ID.test(nodeId)) return void problem(`${NODE_ID_QUALIFIER} "${nodeId}" is not an OPC UA NodeId`);
    const modesText = qualifier(element, MODES_QUALIFIER) ?? 'subscribe';
    const modes = [...new Set(modesText.split(/[\s,]+/).filter((m) => m !== ''))];
    const unknown = modes.filter((m) => !(MAPPING_MODES as readonly string[]).includes(m));
    if (unknown.length > 0 || modes.length === 0) {
      return void problem(`${MODES_QUALIFIER} "${modesText}": modes are ${MAPPING_MODES.join(', ')}`);
    }
    const mapping: PropertyMapping = { submodelId, idShortPath, nodeId, modes: modes as MappingMode[] };
    const interval = qualifier(element, SAMPLING_INTERVAL_QUALIFIER);
    if (interval !== undefined) {
      if (!/^[0-9]{1,8}$/.test(interval)) return void problem(`${SAMPLING_INTERVAL_QUALIFIER} "${interval}" is not a number of milliseconds`);
      mapping.samplingInterval = Number(interval);
    }
    into.mappings.push(mapping);
  } else if (methodId !== undefined) {
    const objectId = qualifier(element, OBJECT_ID_QUALIFIER);
    if (element.modelType !== 'Operation') return void problem(`${METHOD_ID_QUALIFIER} on a ${element.modelType ?? 'element'}: only an Operation calls methods`);
    if (objectId === undefined) return void problem(`${METHOD_ID_QUALIFIER} needs an ${OBJECT_ID_QUALIFIER} qualifier beside it`);
    if (!NODE_ID.test(methodId) || !NODE_ID.test(objectId)) return void problem(`${OBJECT_ID_QUALIFIER}/${METHOD_ID_QUALIFIER} are not OPC UA NodeIds`);
    into.methods.push({ submodelId, idShortPath, objectId, methodId });
  }
}

/** Children arrays by container type, and whether a child is addressed by index (lists) or idShort. */
const CHILDREN: Record<string, { key: string; byIndex: boolean }[]> = {
  SubmodelElementCollection: [{ key: 'value', byIndex: false }],
  SubmodelElementList: [{ key: 'value', byIndex: true }],
  Entity: [{ key: 'statements', byIndex: false }],
  AnnotatedRelationshipElement: [{ key: 'annotations', byIndex: false }],
};
const OPERATION_VARIABLES = ['inputVariables', 'outputVariables', 'inoutputVariables'];

/** The element a JSON Pointer into the submodel names, with its idShortPath; undefined when it is no element. */
export function elementAtPointer(submodel: Submodel, pointer: string): { element: Node; path: string } | undefined {
  const tokens = pointer.split('/').slice(1).map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (tokens[0] !== 'submodelElements' || tokens.length < 2) return undefined;
  let element = (submodel.submodelElements as Node[] | undefined)?.[Number(tokens[1])];
  if (element === undefined) return undefined;
  const path: PathSegment[] = [{ idShort: element.idShort ?? '' }];
  let at = 2;
  while (at < tokens.length) {
    const key = tokens[at];
    const index = Number(tokens[at + 1]);
    const container = element as Node;
    const kind = CHILDREN[container.modelType ?? '']?.find((c) => c.key === key);
    let child: Node | undefined;
    if (kind !== undefined) {
      child = (container[key] as Node[] | undefined)?.[index];
      if (child === undefined) return undefined;
      path.push(kind.byIndex ? { index } : { idShort: child.idShort ?? '' });
      at += 2;
    } else if (container.modelType === 'Operation' && OPERATION_VARIABLES.includes(key) && tokens[at + 2] === 'value') {
      child = ((container[key] as { value?: Node }[] | undefined)?.[index])?.value;
      if (child === undefined) return undefined;
      path.push({ idShort: child.idShort ?? '' });
      at += 3;
    } else {
      return undefined;
    }
    element = child;
  }
  return { element, path: formatIdShortPath(path) };
}
