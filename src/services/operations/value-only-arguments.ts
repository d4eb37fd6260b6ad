/**
 * The ValueOnly variants of invocation (Part 2 `.../invoke/$value`, `.../operation-results/{handleId}/$value`):
 * arguments travel as `{"<idShort>": <ValueOnly value>}` (Part 2 OperationRequestValueOnly /
 * OperationResultValueOnly). A ValueOnly argument carries no type, so it is applied to a copy of the declared
 * variable's element, which then goes to the handler in Normal form like any other argument.
 */
import { BadRequest } from '../../errors.js';
import { applyElementValueOnly, elementToValueOnly } from '../../model/value-only/index.js';
import { jsonPath } from '../../validation/issues.js';
import type { Operation, OperationVariable } from '../../validation/schema/metamodel.js';
import type { Validator } from '../../validation/validator.js';
import { DECLARATION_OF, matchArguments, relocated, validateElementAt } from './operation-arguments.js';
import type { OperationResult } from './operation-execution.js';
import { INPUT_KINDS, readClientTimeout, requestObject, type CheckedRequest } from './operation-request.js';

export interface OperationResultValueOnly extends Omit<OperationResult, 'outputArguments' | 'inoutputArguments'> {
  outputArguments: Record<string, unknown>;
  inoutputArguments: Record<string, unknown>;
}

/** Reads and checks a ValueOnly OperationRequest against the Operation's declared variables. */
export function readValueOnlyOperationRequest(body: unknown, operation: Operation, validator: Validator): CheckedRequest {
  const request = requestObject(body);
  const clientTimeoutMs = readClientTimeout(request);
  const [inputArguments, inoutputArguments] = INPUT_KINDS.map((kind) => {
    const raw = request[kind] ?? {};
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new BadRequest(`$.${kind} must be a JSON object {"<idShort>": <value>} in the ValueOnly form`);
    }
    const declared = operation[DECLARATION_OF[kind]] ?? [];
    const names = Object.keys(raw);
    const args = names.map((idShort): OperationVariable => {
      const at = jsonPath([kind, idShort]);
      const variable = declared.find((v) => v.value.idShort === idShort);
      if (!variable) {
        const known = declared.map((v) => v.value.idShort).join(', ') || 'none';
        const text = `${at}: the Operation has no ${DECLARATION_OF[kind]} entry "${idShort}" (declared: ${known})`;
        throw new BadRequest(`The ${kind} do not match the Operation's ${DECLARATION_OF[kind]}`, [{ path: at, text }]);
      }
      let element;
      try {
        element = applyElementValueOnly(variable.value, (raw as Record<string, unknown>)[idShort]);
      } catch (e) {
        throw relocated(e, at);
      }
      validateElementAt(validator, 'SubmodelElement', element, at);
      return { value: element };
    });
    matchArguments(kind, args, declared, (i) => jsonPath([kind, names[i]]));
    return args;
  });
  return { inputArguments, inoutputArguments, ...(clientTimeoutMs === undefined ? {} : { clientTimeoutMs }) };
}

/**
 * The ValueOnly form of a result. Blob values are included (extent=withBlobValue): an output argument is the
 * operation's answer, not a view that could fetch the content later. Arguments without a ValueOnly form
 * (an Operation, a Capability, an element without a value) are left out, as Part 1 prescribes.
 */
export function toValueOnlyResult(result: Omit<OperationResult, 'success'> & { success?: boolean }): Partial<OperationResultValueOnly> {
  return { ...result, outputArguments: valueMap(result.outputArguments), inoutputArguments: valueMap(result.inoutputArguments) };
}

function valueMap(args: readonly OperationVariable[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const arg of args) {
    const value = elementToValueOnly(arg.value, { level: 'deep', extent: 'withBlobValue' });
    if (value !== undefined && arg.value.idShort !== undefined) out[arg.value.idShort] = value;
  }
  return out;
}
