/** SubmodelRepositoryServiceSpecification (Part 2): CRUD with filters idShort and semanticId, and edits of one submodel. */
import { NotFound } from '../errors.js';
import type { Submodel, SubmodelElement } from '../model/types.js';
import type { SubmodelFilter } from '../store/store.js';
import { IdentifiableRepository, type WriteResult } from './identifiable-repository.js';

export class SubmodelRepository extends IdentifiableRepository<Submodel, SubmodelFilter> {
  protected readonly kind = 'submodels' as const;
  protected readonly className = 'Submodel' as const;
  protected readonly noun = 'Submodel';

  protected get collection() {
    return this.deps.store.submodels;
  }

  /**
   * Read-modify-write of one submodel, the door of every element-level write: under the submodel's lock,
   * `change` edits a fresh copy (and returns what the caller wants back); the result is validated as a whole
   * submodel (constraints across siblings included) and stored atomically. A `change` that throws stores nothing.
   */
  async edit<R>(id: string, change: (submodel: Submodel) => R | Promise<R>): Promise<WriteResult<Submodel> & { result: R }> {
    return this.lock.run(id, async () => {
      const submodel = await this.get(id);
      const result = await change(submodel);
      const warnings = this.deps.validator.validate('Submodel', submodel);
      await this.commit([this.op('update', submodel)], 'updated', id);
      return { doc: submodel, created: false, warnings, result };
    });
  }

  /**
   * Read-modify-write of one top-level element, under the same per-submodel lock as `edit`, without reading or
   * rewriting the rest of the submodel: `change` gets a fresh copy of the element named `idShort` and returns
   * the element to put in its place (same idShort). The caller validates what it changed and must be sure the
   * change cannot break a constraint across elements (only `edit` checks the whole submodel). A `change` that
   * throws stores nothing.
   */
  async editTopLevelElement(id: string, idShort: string, change: (element: SubmodelElement) => SubmodelElement | Promise<SubmodelElement>): Promise<SubmodelElement> {
    return this.lock.run(id, async () => {
      const current = await this.deps.store.submodels.getTopLevelElement(id, idShort);
      if (current === undefined) {
        await this.requireExists(id);
        throw new NotFound(`No submodel element at ${idShort}`);
      }
      const next = await change(current);
      if (next.idShort !== idShort) throw new Error(`editTopLevelElement: the change renamed "${idShort}"`);
      await this.commit([{ kind: 'submodelElement', op: 'replace', submodelId: id, element: next }], 'updated', id);
      return next;
    });
  }
}
