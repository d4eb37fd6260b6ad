/**
 * Reading an invocation request body (Part 2 OperationRequest, Normal form) into checked arguments and a timeout:
 * `{"inputArguments": [{"value": <SubmodelElement>}], "inoutputArguments": [...], "clientTimeoutDuration": "PT60S"}`.
 * Every malformed or mismatching part is a 400 naming its JSON path. The ValueOnly form is read in
 * value-only-arguments.ts and ends in the same shape.
 */
import { BadRequest } from '../../errors.js';
import type { Operation, OperationVariable } from '../../validation/schema/metamodel.js';
import type { Validator } from '../../validation/validator.js';
import { DECLARATION_OF, matchArguments, validateElementAt, type ArgumentKind } from './operation-arguments.js';
import { parseXsDuration } from './xs-duration.js';

export interface CheckedRequest {
  inputArguments: OperationVariable[];
  inoutputArguments: OperationVariable[];
  /** The client's `clientTimeoutDuration` in milliseconds, when it gave one. */
  clientTimeoutMs?: number;
}

export const INPUT_KINDS = ['inputArguments', 'inoutputArguments'] as const satisfies readonly ArgumentKind[];

export function requestObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new BadRequest('The request body must be a JSON object (OperationRequest)');
  }
  return body as Record<string, unknown>;
}

/** `clientTimeoutDuration`: an xs:duration ≥ 0, e.g. `PT60S`. */
export function readClientTimeout(body: Record<string, unknown>): number | undefined {
  const raw = body.clientTimeoutDuration;
  if (raw === undefined) return undefined;
  const ms = typeof raw === 'string' ? parseXsDuration(raw) : undefined;
  if (ms === undefined) throw new BadRequest(`$.clientTimeoutDuration must be an xs:duration such as "PT60S", got ${JSON.stringify(raw)}`);
  if (ms < 0) throw new BadRequest(`$.clientTimeoutDuration must not be negative, got "${String(raw)}"`);
  return ms;
}

/** Reads and checks a Normal OperationRequest against the Operation's declared variables. */
export function readOperationRequest(body: unknown, operation: Operation, validator: Validator): CheckedRequest {
  const request = requestObject(body);
  const clientTimeoutMs = readClientTimeout(request);
  const [inputArguments, inoutputArguments] = INPUT_KINDS.map((kind) => {
    const raw = request[kind];
    if (raw === undefined) return checkArguments(kind, [], operation);
    if (!Array.isArray(raw)) throw new BadRequest(`$.${kind} must be an array of OperationVariable objects ({"value": <SubmodelElement>})`);
    raw.forEach((arg, i) => validateElementAt(validator, 'OperationVariable', arg, `$.${kind}[${i}]`));
    return checkArguments(kind, raw as OperationVariable[], operation);
  });
  return { inputArguments, inoutputArguments, ...(clientTimeoutMs === undefined ? {} : { clientTimeoutMs }) };
}

function checkArguments(kind: ArgumentKind, args: OperationVariable[], operation: Operation): OperationVariable[] {
  matchArguments(kind, args, operation[DECLARATION_OF[kind]], (i) => `$.${kind}[${i}].value`);
  return args;
}
