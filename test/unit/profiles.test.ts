import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { completeProfiles, PROFILE_OPERATIONS } from '../../src/http/profile-operations.js';
import { ROUTES } from '../../src/http/routes.js';

describe('profiles in /description', () => {
  it('lists a profile, as 3.1 and 3.0, only when every one of its operations is served', () => {
    const cd = PROFILE_OPERATIONS['ConceptDescriptionRepositoryServiceSpecification/SSP-001'];
    assert.deepEqual(completeProfiles(new Set(cd)), [
      'https://admin-shell.io/aas/API/3/1/ConceptDescriptionRepositoryServiceSpecification/SSP-001',
      'https://admin-shell.io/aas/API/3/0/ConceptDescriptionRepositoryServiceSpecification/SSP-001',
    ]);
    assert.deepEqual(completeProfiles(new Set(cd.slice(1))), []);
  });

  it('claims the repository profiles this server completes', () => {
    const served = new Set(ROUTES.map((r) => `${r.method} ${r.path}`));
    const missing = Object.fromEntries(Object.entries(PROFILE_OPERATIONS).map(([p, ops]) => [p, ops.filter((op) => !served.has(op))]));
    assert.deepEqual(missing, Object.fromEntries(Object.keys(PROFILE_OPERATIONS).map((p) => [p, []])));
  });
});
