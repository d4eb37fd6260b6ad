/** SubmodelRepositoryServiceSpecification (Part 2), submodel level: CRUD with filters idShort and semanticId. */
import type { Submodel } from '../model/types.js';
import type { SubmodelFilter } from '../store/store.js';
import { IdentifiableRepository } from './identifiable-repository.js';

export class SubmodelRepository extends IdentifiableRepository<Submodel, SubmodelFilter> {
  protected readonly kind = 'submodels' as const;
  protected readonly className = 'Submodel' as const;
  protected readonly noun = 'Submodel';

  protected get collection() {
    return this.deps.store.submodels;
  }
}
