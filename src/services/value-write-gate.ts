/**
 * A gate in front of value writes: something outside the model (an OPC UA device) must take a new value of some
 * elements before the server stores it. The submodel repository asks the gate inside its lock, after validation
 * and before the store write; a gate that rejects refuses the whole write, so nothing is stored.
 * Values that come from the asset itself are stored without asking (there is no one to ask but the source).
 */
import { NotFound } from '../errors.js';
import { locateElement } from '../model/element-tree.js';
import { parseIdShortPath } from '../model/id-short-path.js';
import type { Submodel, SubmodelElement } from '../model/types.js';

/** An element whose value a write changes, at its idShortPath. */
export interface GatedChange {
  path: string;
  element: SubmodelElement;
}

export interface ValueWriteGate {
  /** The idShortPaths of this submodel whose value changes need the gate's consent; empty when none. Cheap. */
  gatedPaths(submodelId: string): readonly string[];
  /** Takes the new values (e.g. writes them to the device); rejects to refuse the write. */
  accept(submodelId: string, changes: readonly GatedChange[]): Promise<void>;
}

/** The value of the element at each path, as JSON text (absent paths left out), to compare after a change. */
export function snapshotValues(submodel: Submodel, paths: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (const path of paths) {
    const element = elementAt(submodel, path);
    if (element !== undefined) values.set(path, JSON.stringify((element as { value?: unknown }).value));
  }
  return values;
}

/** The elements among `paths` whose value differs from the snapshot (elements new at a path count as changed). */
export function changedValues(submodel: Submodel, paths: readonly string[], before: Map<string, string>): GatedChange[] {
  const changes: GatedChange[] = [];
  for (const path of paths) {
    const element = elementAt(submodel, path);
    if (element === undefined) continue;
    if (before.get(path) !== JSON.stringify((element as { value?: unknown }).value)) changes.push({ path, element });
  }
  return changes;
}

/** The gated paths inside the top-level element named `idShort`. */
export function pathsUnder(paths: readonly string[], idShort: string): string[] {
  return paths.filter((path) => {
    const first = parseIdShortPath(path)[0];
    return first !== undefined && 'idShort' in first && first.idShort === idShort;
  });
}

function elementAt(submodel: Submodel, path: string): SubmodelElement | undefined {
  try {
    return locateElement(submodel, path).element;
  } catch (e) {
    if (e instanceof NotFound) return undefined;
    throw e;
  }
}
