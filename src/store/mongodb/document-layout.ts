/**
 * How documents sit in MongoDB collections (docs/mongodb.md has the full picture):
 *
 * - a shell or concept description is one document `{ _id: id, idShort, terms, doc, revision }`: `doc` is the AAS
 *   JSON as BSON (key order kept), `idShort` and `terms` are the indexed facts of src/store/embedded/index-terms.ts,
 *   `revision` changes with every write (revisions.ts);
 * - a submodel is a header `{ _id, idShort, terms, doc, layout, revision }` whose `doc` holds an empty
 *   `submodelElements` array in the key's place, plus one document per top-level element in `submodelElements`:
 *   `{ submodelId, version, position, idShort, element }`. `layout.version` names the set of element documents
 *   the header currently shows; a rewrite of the submodel writes a new set under a new version and then switches
 *   the header to it in one single-document write, so a reader never sees half of two versions. An element
 *   replace writes its element document and then the header's `revision`.
 *
 * One element per document keeps an element write to one small document and lifts MongoDB's 16 MiB limit from the
 * submodel to its largest single element. Bookkeeping fields stay outside `doc`/`element`, so reads project them
 * away and a returned document never carries `_id` or anything else the caller did not write.
 */
import { randomUUID } from 'node:crypto';
import { conceptDescriptionTerms, packageTerms, shellTerms, submodelTerms, type DocumentTerms } from '../embedded/index-terms.js';
import { assertFitsInOneDocument } from './storable-json.js';

/** The kinds of documents stored this way: the three Identifiables, and the records of uploaded AASX packages. */
export type IdentifiableKind = 'shells' | 'submodels' | 'conceptDescriptions' | 'packages';

/** Part 1 class names, for messages. */
export const KIND_LABELS: Record<IdentifiableKind, string> = {
  shells: 'AssetAdministrationShell',
  submodels: 'Submodel',
  conceptDescriptions: 'ConceptDescription',
  packages: 'AASX package',
};

/** The element set a submodel header shows: its version and how many element documents it has. */
export interface ElementLayout {
  version: string;
  count: number;
}

/** A stored shell, concept description or submodel header. */
export interface StoredIdentifiable {
  _id: string;
  idShort: string | null;
  terms: string[];
  doc: Record<string, unknown>;
  /** Submodels only: null when the document has no `submodelElements` array (nothing to split off). */
  layout?: ElementLayout | null;
  /**
   * Changed by every write of the document (for a submodel header also by every element replace); absent only on a
   * document stored before revisions existed (revisions.ts `UNREVISED`).
   */
  revision?: string;
}

/** One top-level element of a submodel. Its `_id` is left to the driver (an ObjectId). */
export interface StoredElement {
  submodelId: string;
  version: string;
  position: number;
  idShort: string | null;
  element: unknown;
}

const TERMS: Record<IdentifiableKind, (doc: object) => DocumentTerms> = {
  shells: shellTerms,
  submodels: submodelTerms,
  conceptDescriptions: conceptDescriptionTerms,
  packages: packageTerms,
};

/** A fresh element-set version: unique across the database, so element documents of two versions never mix. */
export function newElementVersion(): string {
  return randomUUID();
}

function idShortOf(value: unknown): string | null {
  const idShort = (value as { idShort?: unknown } | null)?.idShort;
  return typeof idShort === 'string' ? idShort : null;
}

/** The stored form of a whole document (already normalised by toStorableJson). */
export interface StoredForm {
  stored: StoredIdentifiable;
  elements: StoredElement[];
}

/**
 * The stored form of `doc`. A submodel with a `submodelElements` array is split into header and element
 * documents under `version`; every stored document is checked against MongoDB's size limit. The caller adds the
 * header's `revision` (document-writes.ts).
 */
export function toStoredForm(kind: IdentifiableKind, doc: Record<string, unknown>, version: () => string = newElementVersion): StoredForm {
  const id = doc.id as string;
  const what = `${KIND_LABELS[kind]} '${id}'`;
  const { idShort, terms } = TERMS[kind](doc);
  if (kind !== 'submodels') {
    const stored = { _id: id, idShort, terms, doc };
    assertFitsInOneDocument(stored, what);
    return { stored, elements: [] };
  }
  const elements = doc.submodelElements;
  if (!Array.isArray(elements)) {
    const stored = { _id: id, idShort, terms, doc, layout: null };
    assertFitsInOneDocument(stored, what);
    return { stored, elements: [] };
  }
  const layoutVersion = version();
  // Spreading keeps the key order; assigning the key again keeps its place, so assembling restores the order.
  const header = { ...doc, submodelElements: [] };
  const stored = { _id: id, idShort, terms, doc: header, layout: { version: layoutVersion, count: elements.length } };
  assertFitsInOneDocument(stored, what);
  const elementDocs = elements.map((element: unknown, position) => {
    const elementDoc: StoredElement = { submodelId: id, version: layoutVersion, position, idShort: idShortOf(element), element };
    assertFitsInOneDocument(elementDoc, `Element ${position} ('${idShortOf(element) ?? ''}') of ${what}`);
    return elementDoc;
  });
  return { stored, elements: elementDocs };
}

/**
 * The document a header and its element documents (in position order) stand for. Mutates and returns the header's
 * `doc`, which the caller read fresh from the database.
 */
export function assembleSubmodel(header: { doc: Record<string, unknown>; layout?: ElementLayout | null }, elements: readonly unknown[]): Record<string, unknown> {
  if (header.layout) header.doc.submodelElements = [...elements];
  return header.doc;
}

/** The idShort of an element, as the element documents index it. */
export function elementIdShort(element: unknown): string | null {
  return idShortOf(element);
}
