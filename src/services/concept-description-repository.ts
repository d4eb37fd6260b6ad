/** ConceptDescriptionRepositoryServiceSpecification (Part 2): CRUD with filters idShort, isCaseOf, dataSpecificationRef. */
import type { ConceptDescription } from '../model/types.js';
import type { ConceptDescriptionFilter } from '../store/store.js';
import { IdentifiableRepository } from './identifiable-repository.js';

export class ConceptDescriptionRepository extends IdentifiableRepository<ConceptDescription, ConceptDescriptionFilter> {
  protected readonly kind = 'conceptDescriptions' as const;
  protected readonly className = 'ConceptDescription' as const;
  protected readonly noun = 'Concept description';

  protected get collection() {
    return this.deps.store.conceptDescriptions;
  }
}
