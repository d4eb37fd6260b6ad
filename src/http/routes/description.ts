/**
 * GetSelfDescription: the profiles this server implements completely (see profile-operations.ts), worked out
 * from the route table itself.
 */
import { completeProfiles } from '../profile-operations.js';
import { ok, type Route } from '../route.js';
// A cycle (routes.ts lists these routes), harmless: ROUTES is read when the first request comes, not at load.
import { ROUTES } from '../routes.js';

let profiles: string[] | undefined;

export const descriptionRoutes: Route[] = [
  {
    method: 'GET',
    path: '/description',
    async handle() {
      profiles ??= completeProfiles(new Set(ROUTES.map((r) => `${r.method} ${r.path}`)));
      return ok({ profiles });
    },
  },
];
