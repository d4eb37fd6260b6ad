/**
 * GetSelfDescription: the profiles this server implements completely, with the 3.1 and the 3.0 identifier of
 * each (3.0 clients and conformance tools look for the latter; a 3.1 profile implies its 3.0 twin).
 * A profile is listed only when every one of its operations is served.
 */
import { ok, type Route } from '../route.js';

const COMPLETE_PROFILES = ['ConceptDescriptionRepositoryServiceSpecification/SSP-001'];

export const PROFILES = COMPLETE_PROFILES.flatMap((p) => [
  `https://admin-shell.io/aas/API/3/1/${p}`,
  `https://admin-shell.io/aas/API/3/0/${p}`,
]);

export const descriptionRoutes: Route[] = [
  {
    method: 'GET',
    path: '/description',
    async handle() {
      return ok({ profiles: PROFILES });
    },
  },
];
