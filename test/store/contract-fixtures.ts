/**
 * Documents, references and page walkers for the store contract suite. Documents are valid Part 1 JSON (the
 * store does not validate, but a backend should see realistic shapes).
 */
import assert from 'node:assert/strict';
import type { AssetAdministrationShell, ConceptDescription, Reference, Submodel } from '../../src/model/types.js';
import type { AasStore, IdentifiableCollection, PackageRecord, WriteOp } from '../../src/store/store.js';

export type StoreFactory = () => Promise<{ store: AasStore; cleanup: () => Promise<void> }>;
export type Kind = Exclude<WriteOp['kind'], 'submodelElement'>;

/** An ExternalReference with GlobalReference keys. */
export function globalRef(...values: string[]): Reference {
  return { type: 'ExternalReference', keys: values.map((value) => ({ type: 'GlobalReference', value })) } as Reference;
}

/** A ModelReference to a concept description. */
export function conceptRef(id: string): Reference {
  return { type: 'ModelReference', keys: [{ type: 'ConceptDescription', value: id }] } as Reference;
}

export interface ShellFields {
  idShort?: string;
  globalAssetId?: string;
  specificAssetIds?: { name: string; value: string }[];
}

export function shell(id: string, fields: ShellFields = {}): AssetAdministrationShell {
  const assetInformation: Record<string, unknown> = { assetKind: 'Instance' };
  if (fields.globalAssetId !== undefined) assetInformation.globalAssetId = fields.globalAssetId;
  if (fields.specificAssetIds !== undefined) assetInformation.specificAssetIds = fields.specificAssetIds;
  const doc: Record<string, unknown> = { modelType: 'AssetAdministrationShell', id, assetInformation };
  if (fields.idShort !== undefined) doc.idShort = fields.idShort;
  return doc as unknown as AssetAdministrationShell;
}

export interface SubmodelFields {
  idShort?: string;
  semanticId?: Reference;
  supplementalSemanticIds?: Reference[];
}

export function submodel(id: string, fields: SubmodelFields = {}): Submodel {
  return { modelType: 'Submodel', id, ...fields } as unknown as Submodel;
}

export interface ConceptDescriptionFields {
  idShort?: string;
  isCaseOf?: Reference[];
  dataSpecifications?: Reference[];
}

export function conceptDescription(id: string, fields: ConceptDescriptionFields = {}): ConceptDescription {
  const doc: Record<string, unknown> = { modelType: 'ConceptDescription', id };
  if (fields.idShort !== undefined) doc.idShort = fields.idShort;
  if (fields.isCaseOf !== undefined) doc.isCaseOf = fields.isCaseOf;
  if (fields.dataSpecifications !== undefined) {
    doc.embeddedDataSpecifications = fields.dataSpecifications.map((dataSpecification) => ({
      dataSpecification,
      dataSpecificationContent: {
        modelType: 'DataSpecificationIec61360',
        preferredName: [{ language: 'en', text: id }],
      },
    }));
  }
  return doc as unknown as ConceptDescription;
}

/** A record of an uploaded AASX package. */
export function packageRecord(id: string, fields: Partial<Omit<PackageRecord, 'id'>> = {}): PackageRecord {
  return {
    id,
    attachment: fields.attachment ?? 'v1/package.aasx',
    fileName: fields.fileName ?? `${id}.aasx`,
    aasIds: fields.aasIds ?? [],
    submodelIds: fields.submodelIds ?? [],
  };
}

/**
 * A minimal document of the given kind, with an idShort (so updates have something to change; a package record has
 * none and carries it as its file name).
 */
export function documentOf(kind: Kind, id: string, idShort = 'Original'): { id: string } {
  switch (kind) {
    case 'shells':
      return shell(id, { idShort });
    case 'submodels':
      return submodel(id, { idShort });
    case 'conceptDescriptions':
      return conceptDescription(id, { idShort });
    case 'packages':
      return packageRecord(id, { fileName: idShort });
  }
}

/** A write op of any kind; the contract exercises every kind with the same cases. */
export function writeOf(kind: Kind, op: 'create' | 'update' | 'upsert', doc: { id: string }): WriteOp {
  return { kind, op, doc } as WriteOp;
}

export function collectionOf(store: AasStore, kind: Kind): IdentifiableCollection<{ id: string }, object> {
  return store[kind] as unknown as IdentifiableCollection<{ id: string }, object>;
}

/** Unicode code-point order, the order the contract promises (JS `<` compares UTF-16 units, which differs). */
export function compareCodePoints(a: string, b: string): number {
  const left = [...a];
  const right = [...b];
  for (let i = 0; i < Math.min(left.length, right.length); i++) {
    const diff = left[i].codePointAt(0)! - right[i].codePointAt(0)!;
    if (diff !== 0) return diff;
  }
  return left.length - right.length;
}

/**
 * Walks every page of a list and returns the ids in the order served, checking the paging rules on the way:
 * no page is larger than the limit, only the last page lacks `next`, and every page but the last is full.
 */
export async function collectIds<F>(
  collection: IdentifiableCollection<{ id: string }, F>,
  filter: F,
  limit: number,
): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  for (let pages = 0; ; pages++) {
    assert.ok(pages < 10_000, 'paging does not end');
    const page = await collection.list(filter, after === undefined ? { limit } : { limit, after });
    assert.ok(page.items.length <= limit, `a page holds ${page.items.length} items, more than limit ${limit}`);
    ids.push(...page.items.map((item) => item.id));
    if (page.next === undefined) return ids;
    assert.equal(typeof page.next, 'string');
    assert.equal(page.items.length, limit, 'a page before the last one is not full');
    after = page.next;
  }
}
