/**
 * Loading a whole Environment (demo data, preload directory; later AASX import) through the same validation
 * and event door as single writes, as one atomic batch: a file either loads completely or not at all.
 */
import type { EventBus } from '../events/bus.js';
import type { Environment } from '../model/types.js';
import type { AasStore, WriteOp } from '../store/store.js';
import type { ValidationIssue } from '../validation/issues.js';
import type { Validator } from '../validation/validator.js';

export interface ImportSummary {
  shells: number;
  submodels: number;
  conceptDescriptions: number;
  warnings: ValidationIssue[];
}

/** Validates the environment and upserts everything in it (existing ids are replaced). */
export async function importEnvironment(deps: { store: AasStore; validator: Validator; events: EventBus }, env: unknown): Promise<ImportSummary> {
  const warnings = deps.validator.validate('Environment', env);
  const e = env as Environment;
  const ops: WriteOp[] = [
    ...(e.assetAdministrationShells ?? []).map((doc) => ({ kind: 'shells', op: 'upsert', doc }) as const),
    ...(e.submodels ?? []).map((doc) => ({ kind: 'submodels', op: 'upsert', doc }) as const),
    ...(e.conceptDescriptions ?? []).map((doc) => ({ kind: 'conceptDescriptions', op: 'upsert', doc }) as const),
  ];
  const outcomes = await deps.store.write(ops);
  ops.forEach((op, i) => {
    if ('doc' in op) deps.events.emit({ type: outcomes[i] === 'created' ? 'created' : 'updated', kind: op.kind, id: op.doc.id });
  });
  return {
    shells: e.assetAdministrationShells?.length ?? 0,
    submodels: e.submodels?.length ?? 0,
    conceptDescriptions: e.conceptDescriptions?.length ?? 0,
    warnings,
  };
}
