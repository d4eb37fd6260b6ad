/**
 * The one validation door for writes: JSON schema first (always rejects), then the Part 1 constraints
 * (reject in strict mode; in lenient mode they are returned as warnings and the write goes ahead).
 */
import { ValidationFailed, type ErrorDetail } from '../errors.js';
import { checkConstraints } from './constraints/index.js';
import type { ValidationIssue, ValidationLevel } from './issues.js';
import { checkSchema, type ValidationClass } from './schema-check.js';

export class Validator {
  constructor(readonly level: ValidationLevel) {}

  /**
   * Throws ValidationFailed (one detail per issue, each naming its JSON path) when `value` may not be stored;
   * returns the constraint issues tolerated in lenient mode. `at` prefixes paths when `value` sits inside a
   * larger document the client sent (e.g. `$` for a body).
   */
  validate(cls: ValidationClass, value: unknown): ValidationIssue[] {
    const schemaIssues = checkSchema(cls, value);
    if (schemaIssues.length > 0) {
      throw new ValidationFailed(`The ${cls} does not conform to the metamodel schema`, toDetails(schemaIssues));
    }
    const constraintIssues = checkConstraints(cls, value);
    if (constraintIssues.length > 0 && this.level === 'strict') {
      throw new ValidationFailed(`The ${cls} violates metamodel constraints`, toDetails(constraintIssues));
    }
    return constraintIssues;
  }
}

function toDetails(issues: readonly ValidationIssue[]): ErrorDetail[] {
  return issues.map((i) => ({ path: i.path, text: `${i.path}: ${i.message}` }));
}
