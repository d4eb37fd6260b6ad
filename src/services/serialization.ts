/**
 * GenerateSerializationByIds (Part 2): an Environment of the asked shells and submodels, plus the concept
 * descriptions they use. The format (JSON, XML) is the http layer's business; an AASX package also needs the stored
 * files, which package-export.ts adds.
 */
import type { AssetAdministrationShell, ConceptDescription, Environment, Submodel } from '../model/types.js';
import type { AasStore, IdentifiableCollection } from '../store/store.js';

export interface SerializationRequest {
  /** Absent: every shell. Part 2 leaves the no-ids case open; exporting the whole repository is the useful reading. */
  aasIds?: string[];
  submodelIds?: string[];
  includeConceptDescriptions: boolean;
}

const EXPORT_PAGE = 1000;

export async function serializeEnvironment(store: AasStore, request: SerializationRequest): Promise<Environment> {
  const everything = request.aasIds === undefined && request.submodelIds === undefined;
  const shells = await pick(store.shells, everything ? undefined : request.aasIds ?? []);
  const submodels = await pick(store.submodels, everything ? undefined : request.submodelIds ?? []);
  const env: Environment = {};
  if (shells.length > 0) env.assetAdministrationShells = shells;
  if (submodels.length > 0) env.submodels = submodels;
  if (request.includeConceptDescriptions) {
    const cds = everything ? await all(store.conceptDescriptions) : await usedConceptDescriptions(store, [...shells, ...submodels]);
    if (cds.length > 0) env.conceptDescriptions = cds;
  }
  return env;
}

async function pick<T extends { id: string }>(collection: IdentifiableCollection<T, object>, ids: string[] | undefined): Promise<T[]> {
  return ids === undefined ? all(collection) : collection.getMany([...new Set(ids)]);
}

async function all<T extends { id: string }>(collection: IdentifiableCollection<T, object>): Promise<T[]> {
  const out: T[] = [];
  let after: string | undefined;
  do {
    const page = await collection.list({}, { limit: EXPORT_PAGE, after });
    out.push(...page.items);
    after = page.next;
  } while (after !== undefined);
  return out;
}

/**
 * The concept descriptions whose ids appear as a key value in any reference of the documents (semanticIds,
 * valueIds, isCaseOf, ...), followed transitively through the concept descriptions found (e.g. IEC 61360
 * value lists pointing at further concept descriptions).
 */
async function usedConceptDescriptions(store: AasStore, docs: readonly (AssetAdministrationShell | Submodel)[]): Promise<ConceptDescription[]> {
  const found = new Map<string, ConceptDescription>();
  const asked = new Set<string>();
  let frontier = referencedKeyValues(docs);
  while (frontier.size > 0) {
    const ids = [...frontier].filter((id) => !asked.has(id));
    ids.forEach((id) => asked.add(id));
    const cds = await store.conceptDescriptions.getMany(ids);
    cds.forEach((cd) => found.set(cd.id, cd));
    frontier = referencedKeyValues(cds);
    for (const id of asked) frontier.delete(id);
  }
  return [...found.values()];
}

function referencedKeyValues(docs: readonly unknown[]): Set<string> {
  const values = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node !== null && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if ((o.type === 'ModelReference' || o.type === 'ExternalReference') && Array.isArray(o.keys)) {
        for (const k of o.keys as { value?: unknown }[]) if (typeof k.value === 'string') values.add(k.value);
      }
      for (const v of Object.values(o)) visit(v);
    }
  };
  docs.forEach(visit);
  return values;
}
