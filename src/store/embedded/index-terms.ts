/**
 * What the embedded store indexes about a document, and how a filter maps onto those indexes.
 *
 * Every filterable fact of a document becomes one "term" string in a side table `(term, doc_id)`; a filter
 * criterion becomes the term it must find. Equality of terms is equality of the facts, so one indexed lookup
 * answers every criterion (asset id pairs, semantic references, their key values, isCaseOf, data specifications).
 * Prefixes keep the kinds of fact apart; each prefix ends in ':' and none is a prefix of another.
 *
 * The store never validates documents (services do), so extraction reads them defensively: a missing or
 * malformed field indexes nothing instead of throwing.
 */
import { BadRequest } from '../../errors.js';
import type { ConceptDescriptionFilter, PackageFilter, SemanticIdCriterion, ShellFilter, SubmodelFilter } from '../store.js';
import { referenceKey, type ReferenceLike } from '../reference-key.js';

/** The indexed facts of one document. */
export interface DocumentTerms {
  idShort: string | null;
  terms: string[];
}

/** What a list must match: an exact idShort and every term (AND). */
export interface FilterTerms {
  idShort?: string;
  terms: string[];
}

/** Part 2 GetAllAssetAdministrationShells `assetIds`: a name/value pair; `globalAssetId` names the global id. */
export function assetIdTerm(name: string, value: string): string {
  return `asset:${JSON.stringify([name, value])}`;
}
/** A semanticId or supplementalSemanticId, equal by type and keys. */
export function semanticReferenceTerm(reference: ReferenceLike): string {
  return `semref:${referenceKey(reference)}`;
}
/** The value of any key of a semanticId or supplementalSemanticId. */
export function semanticKeyValueTerm(value: string): string {
  return `semkey:${value}`;
}
export function isCaseOfTerm(reference: ReferenceLike): string {
  return `caseof:${referenceKey(reference)}`;
}
export function dataSpecificationTerm(reference: ReferenceLike): string {
  return `dataspec:${referenceKey(reference)}`;
}

/** A shell an AASX package record lists. */
export function packageShellTerm(aasId: string): string {
  return `aas:${aasId}`;
}

// Read-only views of the fields the indexes use; the real metamodel types are assignable to `object`.
interface ReferableView {
  idShort?: unknown;
}
interface ShellView extends ReferableView {
  assetInformation?: { globalAssetId?: unknown; specificAssetIds?: unknown };
}
interface SubmodelView extends ReferableView {
  semanticId?: unknown;
  supplementalSemanticIds?: unknown;
}
interface ConceptDescriptionView extends ReferableView {
  isCaseOf?: unknown;
  embeddedDataSpecifications?: unknown;
}

function isReference(value: unknown): value is ReferenceLike {
  return typeof value === 'object' && value !== null && Array.isArray((value as { keys?: unknown }).keys);
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function idShortOf(doc: ReferableView): string | null {
  return typeof doc.idShort === 'string' ? doc.idShort : null;
}

/** Indexed facts of an AssetAdministrationShell: its asset ids (global and specific). */
export function shellTerms(doc: object): DocumentTerms {
  const shell = doc as ShellView;
  const terms = new Set<string>();
  const info = shell.assetInformation;
  if (info && typeof info === 'object') {
    if (typeof info.globalAssetId === 'string') terms.add(assetIdTerm('globalAssetId', info.globalAssetId));
    for (const specific of listOf(info.specificAssetIds)) {
      const { name, value } = (specific ?? {}) as { name?: unknown; value?: unknown };
      if (typeof name === 'string' && typeof value === 'string') terms.add(assetIdTerm(name, value));
    }
  }
  return { idShort: idShortOf(shell), terms: [...terms] };
}

/** Indexed facts of a Submodel: semanticId and supplementalSemanticIds, whole and per key value. */
export function submodelTerms(doc: object): DocumentTerms {
  const submodel = doc as SubmodelView;
  const terms = new Set<string>();
  for (const reference of [submodel.semanticId, ...listOf(submodel.supplementalSemanticIds)]) {
    if (!isReference(reference)) continue;
    terms.add(semanticReferenceTerm(reference));
    for (const key of reference.keys) {
      if (typeof key?.value === 'string') terms.add(semanticKeyValueTerm(key.value));
    }
  }
  return { idShort: idShortOf(submodel), terms: [...terms] };
}

/** Indexed facts of a ConceptDescription: isCaseOf references and data specification references. */
export function conceptDescriptionTerms(doc: object): DocumentTerms {
  const cd = doc as ConceptDescriptionView;
  const terms = new Set<string>();
  for (const reference of listOf(cd.isCaseOf)) {
    if (isReference(reference)) terms.add(isCaseOfTerm(reference));
  }
  for (const embedded of listOf(cd.embeddedDataSpecifications)) {
    const reference = (embedded as { dataSpecification?: unknown } | null)?.dataSpecification;
    if (isReference(reference)) terms.add(dataSpecificationTerm(reference));
  }
  return { idShort: idShortOf(cd), terms: [...terms] };
}

/** Indexed facts of an AASX package record: the shells it holds. */
export function packageTerms(doc: object): DocumentTerms {
  const ids = listOf((doc as { aasIds?: unknown }).aasIds).filter((id): id is string => typeof id === 'string');
  return { idShort: null, terms: [...new Set(ids.map(packageShellTerm))] };
}

export function packageFilterTerms(filter: PackageFilter): FilterTerms {
  return { terms: filter.aasId === undefined ? [] : [packageShellTerm(filter.aasId)] };
}

export function shellFilterTerms(filter: ShellFilter): FilterTerms {
  const terms = new Set((filter.assetIds ?? []).map((c) => assetIdTerm(c.name, c.value)));
  return { idShort: filter.idShort, terms: [...terms] };
}

function semanticIdTerm(criterion: SemanticIdCriterion): string {
  if ('reference' in criterion && isReference(criterion.reference)) {
    return semanticReferenceTerm(criterion.reference);
  }
  if ('keyValue' in criterion && typeof criterion.keyValue === 'string') {
    return semanticKeyValueTerm(criterion.keyValue);
  }
  throw new BadRequest('A semanticId filter needs a Reference or a key value');
}

export function submodelFilterTerms(filter: SubmodelFilter): FilterTerms {
  return { idShort: filter.idShort, terms: filter.semanticId ? [semanticIdTerm(filter.semanticId)] : [] };
}

export function conceptDescriptionFilterTerms(filter: ConceptDescriptionFilter): FilterTerms {
  const terms = new Set<string>();
  if (filter.isCaseOf) terms.add(isCaseOfTerm(filter.isCaseOf));
  if (filter.dataSpecificationRef) terms.add(dataSpecificationTerm(filter.dataSpecificationRef));
  return { idShort: filter.idShort, terms: [...terms] };
}
