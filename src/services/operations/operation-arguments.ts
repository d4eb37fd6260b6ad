/**
 * Checking invocation arguments against what the Operation declares (Part 1 §5.3.7.10 Operation, OperationVariable):
 * each argument names a declared variable by its element's idShort, has the declared element type (modelType,
 * and valueType where the declaration fixes one), and every required variable is given.
 *
 * Part 1 has no notion of an optional operation variable; a variable whose element carries the cardinality
 * qualifier of the IDTA submodel-template specification (`SMT/Cardinality`, also `Cardinality`/`Multiplicity`)
 * with the value `ZeroToOne` or `ZeroToMany` is treated as optional, every other one as required.
 */
import { BadRequest, ValidationFailed, type ErrorDetail } from '../../errors.js';
import type { OperationVariable, SubmodelElement } from '../../validation/schema/metamodel.js';
import type { ValidationClass } from '../../validation/schema-check.js';
import type { Validator } from '../../validation/validator.js';

export type ArgumentKind = 'inputArguments' | 'inoutputArguments' | 'outputArguments';

/** The Operation's variable list that arguments of a kind are checked against. */
export const DECLARATION_OF: Record<ArgumentKind, 'inputVariables' | 'inoutputVariables' | 'outputVariables'> = {
  inputArguments: 'inputVariables',
  inoutputArguments: 'inoutputVariables',
  outputArguments: 'outputVariables',
};

const CARDINALITY_QUALIFIERS = new Set(['SMT/Cardinality', 'Cardinality', 'Multiplicity']);
const OPTIONAL_CARDINALITIES = new Set(['ZeroToOne', 'ZeroToMany']);
/** Fields that fix an element's data type beyond its modelType. */
const TYPE_FIELDS = ['valueType', 'typeValueListElement', 'valueTypeListElement'] as const;

export function isOptionalVariable(variable: OperationVariable): boolean {
  return (variable.value.qualifiers ?? []).some((q) => CARDINALITY_QUALIFIERS.has(q.type) && OPTIONAL_CARDINALITIES.has(q.value ?? ''));
}

/** Why `given` does not fit the declared element's type, or undefined when it does. */
export function typeMismatch(declared: SubmodelElement, given: SubmodelElement): string | undefined {
  if (given.modelType !== declared.modelType) return `is a ${given.modelType}, but the Operation declares a ${declared.modelType}`;
  const d = declared as Record<string, unknown>;
  const g = given as Record<string, unknown>;
  for (const field of TYPE_FIELDS) {
    if (d[field] !== undefined && g[field] !== d[field]) return `has ${field} ${String(g[field])}, but the Operation declares ${String(d[field])}`;
  }
  return undefined;
}

/**
 * Validates one element (schema and Part 1 constraints, via the server's validator) and reports problems at
 * `at`, the element's JSON path in the request (e.g. `$.inputArguments[0].value`).
 */
export function validateElementAt(validator: Validator, cls: ValidationClass, element: unknown, at: string): void {
  try {
    validator.validate(cls, element);
  } catch (e) {
    throw relocated(e, at);
  }
}

/** A BadRequest whose details name paths inside a value (`$...`) moved to where that value sits (`at`). */
export function relocated(error: unknown, at: string): unknown {
  if (!(error instanceof BadRequest)) return error;
  const Kind = error instanceof ValidationFailed ? ValidationFailed : BadRequest;
  return new Kind(`${at}: ${error.message}`, error.details.map((d) => relocate(d, at)));
}

function relocate(detail: ErrorDetail, at: string): ErrorDetail {
  const path = detail.path === undefined ? at : at + detail.path.replace(/^\$/, '');
  const text = detail.path !== undefined && detail.text.startsWith(detail.path) ? path + detail.text.slice(detail.path.length) : `${at}: ${detail.text}`;
  return { path, text };
}

/**
 * Matches arguments (already schema-checked) to the declared variables: no unknown or repeated idShort, the
 * declared type, and no required variable left out. Collects every problem into one 400.
 */
export function matchArguments(
  kind: ArgumentKind,
  args: readonly OperationVariable[],
  declared: readonly OperationVariable[] | undefined,
  /** JSON path of argument i's element in the request, for messages. */
  where: (i: number) => string,
): void {
  const problems: ErrorDetail[] = [];
  const byIdShort = new Map((declared ?? []).map((v) => [v.value.idShort, v]));
  const seen = new Set<string>();
  const declaredNames = [...byIdShort.keys()].join(', ') || 'none';
  args.forEach((arg, i) => {
    const idShort = arg.value.idShort;
    const path = where(i);
    if (idShort === undefined) {
      problems.push({ path, text: `${path}: an argument needs the idShort of the variable it gives a value for` });
      return;
    }
    const variable = byIdShort.get(idShort);
    if (!variable) {
      problems.push({ path, text: `${path}: the Operation has no ${DECLARATION_OF[kind]} entry "${idShort}" (declared: ${declaredNames})` });
      return;
    }
    if (seen.has(idShort)) problems.push({ path, text: `${path}: "${idShort}" is given more than once` });
    seen.add(idShort);
    const mismatch = typeMismatch(variable.value, arg.value);
    if (mismatch) problems.push({ path, text: `${path}: "${idShort}" ${mismatch}` });
  });
  for (const [idShort, variable] of byIdShort) {
    if (idShort !== undefined && !seen.has(idShort) && !isOptionalVariable(variable) && kind !== 'outputArguments') {
      problems.push({ path: `$.${kind}`, text: `$.${kind}: the required ${DECLARATION_OF[kind]} entry "${idShort}" is missing` });
    }
  }
  if (problems.length > 0) throw new BadRequest(`The ${kind} do not match the Operation's ${DECLARATION_OF[kind]}`, problems);
}
