/** ConceptDescriptionRepositoryServiceSpecification SSP-001. */
import { conceptDescriptionFilter } from '../query.js';
import type { Route } from '../route.js';
import { identifiableRoutes } from './identifiable-routes.js';

export const conceptDescriptionRoutes: Route[] = identifiableRoutes({
  collection: '/concept-descriptions',
  idParam: 'cdIdentifier',
  repository: (s) => s.conceptDescriptions,
  filter: conceptDescriptionFilter,
});
