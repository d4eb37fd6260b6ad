/** SubmodelRepositoryServiceSpecification (Part 2): CRUD with filters idShort and semanticId, and edits of one submodel. */
import { NotFound } from '../errors.js';
import type { Submodel, SubmodelElement } from '../model/types.js';
import type { Page, PageRequest, SubmodelFilter, SubmodelMetadata, WriteOp } from '../store/store.js';
import { IdentifiableRepository, type WriteResult } from './identifiable-repository.js';
import { changedValues, pathsUnder, snapshotValues, type ValueWriteGate } from './value-write-gate.js';

/**
 * Who a top-level element edit comes from: a `client` write passes the value write gate; an `asset` write
 * carries values the asset reported and is stored without asking it back.
 */
export type EditOrigin = 'client' | 'asset';

export class SubmodelRepository extends IdentifiableRepository<Submodel, SubmodelFilter> {
  protected readonly kind = 'submodels' as const;
  protected readonly className = 'Submodel' as const;
  protected readonly noun = 'Submodel';
  private gate: ValueWriteGate | undefined;

  protected get collection() {
    return this.deps.store.submodels;
  }

  /** The submodel without its elements ($metadata); its elements are not read. */
  async getMetadata(id: string): Promise<SubmodelMetadata> {
    const metadata = await this.collection.getMetadata(id);
    if (metadata === undefined) throw new NotFound(`Submodel "${id}" not found`);
    return metadata;
  }

  listMetadata(filter: SubmodelFilter, page: PageRequest): Promise<Page<SubmodelMetadata>> {
    return this.collection.listMetadata(filter, page);
  }

  /** Installs the gate element writes must pass (see value-write-gate.ts); one per repository. */
  setValueWriteGate(gate: ValueWriteGate | undefined): void {
    this.gate = gate;
  }

  /**
   * Read-modify-write of one submodel, the door of every element-level write: under the submodel's lock (and
   * conditional on the revision read, retried when another server instance wrote in between), `change` edits a
   * fresh copy (and returns what the caller wants back); the result is validated as a whole
   * submodel (constraints across siblings included), passes the value write gate, and is stored atomically.
   * A `change` that throws, or a gate that refuses, stores nothing. `valuesOnly` says the change alters values
   * only (it marks the event, see RepositoryEvent).
   */
  async edit<R>(id: string, change: (submodel: Submodel) => R | Promise<R>, options: { valuesOnly?: boolean } = {}): Promise<WriteResult<Submodel> & { result: R }> {
    return this.lock.run(id, () =>
      this.optimistically(async () => {
        const { doc: submodel, revision } = await this.getRevised(id);
        const gated = this.gate?.gatedPaths(id) ?? [];
        const before = gated.length > 0 ? snapshotValues(submodel, gated) : undefined;
        const result = await change(submodel);
        const warnings = this.deps.validator.validate('Submodel', submodel);
        if (before !== undefined) await this.passGate(id, changedValues(submodel, gated, before));
        await this.commit([{ kind: 'submodels', op: 'update', doc: submodel, ifRevision: revision }], 'updated', id, options.valuesOnly);
        return { doc: submodel, created: false, warnings, result };
      }),
    );
  }

  /**
   * Read-modify-write of one top-level element, under the same per-submodel lock as `edit`, without reading or
   * rewriting the rest of the submodel: `change` gets a fresh copy of the element named `idShort` and returns
   * the element to put in its place (same idShort). The caller validates what it changed and must be sure the
   * change alters values only (no element added, removed, renamed or retyped, no qualifier changed), so no
   * constraint across elements can break (only `edit` checks the whole submodel). A `change` that throws stores
   * nothing.
   */
  async editTopLevelElement(id: string, idShort: string, change: (element: SubmodelElement) => SubmodelElement | Promise<SubmodelElement>): Promise<SubmodelElement> {
    const [next] = await this.editTopLevelElements(id, [idShort], 'client', async (found) => {
      const current = found.get(idShort);
      if (current === undefined) throw new NotFound(`No submodel element at ${idShort}`);
      return [await change(current)];
    });
    return next;
  }

  /**
   * `editTopLevelElement` for several top-level elements of one submodel, written in one store batch: `change`
   * gets fresh copies of those that exist (absent names are missing from the map) and returns the elements to
   * write (each replacing the one of its idShort; none: nothing is written). 404 when the submodel is absent.
   */
  async editTopLevelElements(
    id: string,
    idShorts: readonly string[],
    origin: EditOrigin,
    change: (found: Map<string, SubmodelElement>) => SubmodelElement[] | Promise<SubmodelElement[]>,
  ): Promise<SubmodelElement[]> {
    return this.lock.run(id, () => this.optimistically(async () => {
      // The revision before the elements: a write in between makes the replace below stale, and it is retried.
      const revision = await this.deps.store.submodels.revision(id);
      if (revision === undefined) throw new NotFound(`Submodel "${id}" not found`);
      const found = new Map<string, SubmodelElement>();
      for (const idShort of idShorts) {
        const element = await this.deps.store.submodels.getTopLevelElement(id, idShort);
        if (element !== undefined) found.set(idShort, element);
      }
      const gated = origin === 'client' ? this.gate?.gatedPaths(id) ?? [] : [];
      const before = gated.length > 0 ? [...found.values()].map((e) => snapshotOf(e, gated)) : [];
      const next = await change(found);
      for (const element of next) {
        if (element.idShort === undefined || !found.has(element.idShort)) {
          throw new Error(`editTopLevelElements: the change returned an element it was not given ("${element.idShort ?? ''}")`);
        }
      }
      if (before.length > 0) {
        const changes = next.flatMap((element) => {
          const snapshot = before.find((b) => b.idShort === element.idShort);
          return snapshot ? changedValues(wrap(id, element), snapshot.paths, snapshot.values) : [];
        });
        await this.passGate(id, changes);
      }
      if (next.length === 0) return next;
      const ops: WriteOp[] = next.map((element) => ({ kind: 'submodelElement', op: 'replace', submodelId: id, element, ifRevision: revision }));
      await this.commit(ops, 'updated', id, true);
      return next;
    }));
  }

  private async passGate(id: string, changes: ReturnType<typeof changedValues>): Promise<void> {
    if (changes.length > 0 && this.gate !== undefined) await this.gate.accept(id, changes);
  }
}

/** A one-element submodel, so idShortPaths from the submodel root resolve inside `element`. */
function wrap(id: string, element: SubmodelElement): Submodel {
  return { modelType: 'Submodel', id, submodelElements: [element] } as Submodel;
}

function snapshotOf(element: SubmodelElement, gated: readonly string[]) {
  const idShort = element.idShort ?? '';
  const paths = pathsUnder(gated, idShort);
  return { idShort, paths, values: snapshotValues(wrap('', element), paths) };
}
