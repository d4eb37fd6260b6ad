/**
 * Reads of submodels: a header plus its element documents (document-layout.ts), assembled into the document.
 *
 * A header names the element set it shows (`layout.version`, `layout.count`). Reading the header and then its
 * elements are two queries; a rewrite in between switches the header to a new version and drops the old
 * elements, so the second query returns fewer than `count` elements. That is detected and the header read again,
 * so a reader always gets one whole version of a submodel, never a mix and never a truncated one. The revision
 * returned with it is the one of the header the document was assembled from; since an element replace writes its
 * element before the header's revision (document-writes.ts), that revision is never newer than the elements read.
 */
import type { Collection, Document } from 'mongodb';
import { ServiceUnavailable } from '../../errors.js';
import type { Submodel, SubmodelElement } from '../../model/types.js';
import type { FilterTerms } from '../embedded/index-terms.js';
import type { Page, PageRequest, SubmodelCollection, SubmodelFilter, SubmodelMetadata } from '../store.js';
import type { MongoConnection } from './connection.js';
import { assembleSubmodel, type StoredElement, type StoredIdentifiable } from './document-layout.js';
import { MongoIdentifiableCollection, type ReadDocument, type StoredRow } from './identifiable-collection.js';
import { revisionOf } from './revisions.js';

/** Re-reads of a header that kept changing under a reader before it gives up (only under a storm of rewrites). */
const MAX_READ_ATTEMPTS = 8;

export class MongoSubmodelCollection extends MongoIdentifiableCollection<Submodel, SubmodelFilter> implements SubmodelCollection {
  protected override readonly projection: Document = { _id: 1, doc: 1, layout: 1, revision: 1 };

  constructor(
    connection: MongoConnection,
    collection: Collection<StoredIdentifiable>,
    filterTerms: (filter: SubmodelFilter) => FilterTerms,
    private readonly elements: Collection<StoredElement>,
  ) {
    super(connection, collection, filterTerms);
  }

  protected override async documents(rows: readonly StoredRow[]): Promise<(ReadDocument | null)[]> {
    const assembled = new Map<string, ReadDocument | null>();
    let pending: StoredRow[] = [];
    const take = (row: StoredRow) => {
      if (row.layout && row.layout.count > 0) pending.push(row);
      else assembled.set(row._id, { doc: row.doc, revision: revisionOf(row) });
    };
    rows.forEach(take);
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > MAX_READ_ATTEMPTS) {
        throw new ServiceUnavailable(`Submodel '${pending[0]._id}' changed during every read attempt; try again`);
      }
      const versions = pending.map((row) => row.layout!.version);
      const filter = versions.length === 1 ? { version: versions[0] } : { version: { $in: versions } };
      const found = this.elements.find(filter, { projection: { _id: 0, version: 1, element: 1 }, sort: { version: 1, position: 1 } });
      const byVersion = new Map<string, unknown[]>();
      for await (const { version, element } of found) {
        const list = byVersion.get(version);
        if (list === undefined) byVersion.set(version, [element]);
        else list.push(element);
      }
      const stale: string[] = [];
      for (const row of pending) {
        const elements = byVersion.get(row.layout!.version) ?? [];
        if (elements.length === row.layout!.count) assembled.set(row._id, { doc: assembleSubmodel(row, elements), revision: revisionOf(row) });
        else stale.push(row._id);
      }
      pending = [];
      if (stale.length === 0) break;
      // Rewritten (or deleted) since its header was read: read the header again.
      const fresh = await this.collection.find({ _id: { $in: stale } }, { projection: this.projection }).toArray();
      for (const id of stale) assembled.set(id, null);
      fresh.forEach(take);
    }
    return rows.map((row) => assembled.get(row._id) ?? null);
  }

  async revision(submodelId: string): Promise<string | undefined> {
    return this.connection.run(async () => {
      const row = await this.collection.findOne({ _id: submodelId }, { projection: { _id: 1, revision: 1 } });
      return row === null ? undefined : revisionOf(row);
    });
  }

  async getMetadata(submodelId: string): Promise<SubmodelMetadata | undefined> {
    return this.connection.run(async () => {
      const row = await this.collection.findOne({ _id: submodelId }, { projection: { _id: 1, doc: 1, layout: 1 } });
      return row === null ? undefined : metadataOf(row);
    });
  }

  async listMetadata(filter: SubmodelFilter, page: PageRequest): Promise<Page<SubmodelMetadata>> {
    // Headers only: the element documents are not read.
    const { rows, next } = await this.page(filter, page, { _id: 1, doc: 1, layout: 1 });
    const items = rows.map(metadataOf);
    return next === undefined ? { items } : { items, next };
  }

  async getTopLevelElement(submodelId: string, idShort: string): Promise<SubmodelElement | undefined> {
    return this.connection.run(async () => {
      let header = await this.collection.findOne({ _id: submodelId }, { projection: { layout: 1 } });
      for (let attempt = 1; attempt <= MAX_READ_ATTEMPTS; attempt++) {
        const version = header?.layout?.version;
        if (version === undefined) return undefined;
        const row = await this.elements.findOne({ version, idShort }, { sort: { position: 1 }, projection: { _id: 0, element: 1 } });
        if (row !== null) return row.element as SubmodelElement;
        // Absent, or the submodel was rewritten between the two reads: only a changed header is worth another try.
        const again = await this.collection.findOne({ _id: submodelId }, { projection: { layout: 1 } });
        if (again?.layout?.version === version || !again?.layout) return undefined;
        header = again;
      }
      throw new ServiceUnavailable(`Submodel '${submodelId}' changed during every read attempt; try again`);
    });
  }
}

/** A header's document without `submodelElements` (the empty array a split header holds in the key's place). */
function metadataOf(row: Pick<StoredRow, 'doc' | 'layout'>): SubmodelMetadata {
  const { submodelElements: _elements, ...metadata } = row.doc;
  return metadata as unknown as SubmodelMetadata;
}
