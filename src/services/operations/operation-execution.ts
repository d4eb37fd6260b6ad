/**
 * Running one invocation through its handler under a deadline, and turning whatever happens into a Part 2
 * OperationResult: Completed with the outputs, Failed when the handler throws or returns outputs the Operation
 * does not declare, Timeout when the deadline passes first, Canceled when the server shuts down. Execution
 * failures are results (200), never HTTP errors (Part 2 §"Invoke").
 */
import type { Logger } from '../../logger.js';
import type { OperationVariable } from '../../validation/schema/metamodel.js';
import type { Validator } from '../../validation/validator.js';
import { DECLARATION_OF, matchArguments, validateElementAt, type ArgumentKind } from './operation-arguments.js';
import type { OperationHandler, OperationInvocation, OperationNote, OperationOutcome } from './operation-handler.js';
import { formatXsDuration } from './xs-duration.js';

/** Part 2 ExecutionState. */
export type ExecutionState = 'Initiated' | 'Running' | 'Completed' | 'Canceled' | 'Failed' | 'Timeout';

export interface OperationMessage {
  messageType: 'Undefined' | 'Info' | 'Warning' | 'Error' | 'Exception';
  text: string;
  /** The execution state the message belongs to (Part 2 leaves `code` free; ≤ 32 characters). */
  code: string;
  correlationId: string;
  timestamp: string;
}

/** Part 2 OperationResult (Normal form). */
export interface OperationResult {
  executionState: ExecutionState;
  success: boolean;
  outputArguments: OperationVariable[];
  inoutputArguments: OperationVariable[];
  messages: OperationMessage[];
}

export interface ExecutionContext {
  validator: Validator;
  /** The request id of the invoking request, as `correlationId` of the result's messages. */
  correlationId: string;
  timeoutMs: number;
  /** Aborted when the server shuts down. */
  shutdown: AbortSignal;
  logger?: Logger;
}

type Arguments = Omit<OperationInvocation, 'signal' | 'timeoutMs'>;

const OUTPUT_KINDS = ['outputArguments', 'inoutputArguments'] as const satisfies readonly ArgumentKind[];

function message(state: ExecutionState, correlationId: string, text: string, messageType: OperationMessage['messageType']): OperationMessage {
  return { messageType, text, code: state, correlationId, timestamp: new Date().toISOString() };
}

export function finishedResult(state: ExecutionState, args: Pick<Arguments, 'inoutputArguments'>, correlationId: string, text: string): OperationResult {
  return {
    executionState: state,
    success: false,
    outputArguments: [],
    inoutputArguments: args.inoutputArguments,
    messages: [message(state, correlationId, text, state === 'Canceled' ? 'Warning' : 'Error')],
  };
}

type Settled = { outcome: OperationOutcome } | { error: unknown } | { stopped: 'Timeout' | 'Canceled' };

/** Runs `handler` on `args` and always resolves with a result (a handler bug included). */
export async function execute(handler: OperationHandler, args: Arguments, ctx: ExecutionContext): Promise<OperationResult> {
  const controller = new AbortController();
  let stop!: (s: Settled) => void;
  const stopped = new Promise<Settled>((resolve) => (stop = resolve));
  const onShutdown = () => {
    stop({ stopped: 'Canceled' });
    controller.abort(new Error('the server is shutting down'));
  };
  const timer = setTimeout(() => {
    // Settle first, then abort: a handler that rejects on abort must not turn the Timeout into a Failed.
    stop({ stopped: 'Timeout' });
    controller.abort(new Error(`timed out after ${formatXsDuration(ctx.timeoutMs)}`));
  }, ctx.timeoutMs);
  if (ctx.shutdown.aborted) onShutdown();
  else ctx.shutdown.addEventListener('abort', onShutdown, { once: true });

  const running = Promise.resolve()
    .then(() => handler.invoke({ ...args, signal: controller.signal, timeoutMs: ctx.timeoutMs }))
    .then((outcome): Settled => ({ outcome }), (error: unknown): Settled => ({ error }));
  try {
    const settled = await Promise.race([stopped, running]);
    if ('stopped' in settled) {
      const text = settled.stopped === 'Timeout'
        ? `The operation did not finish within ${formatXsDuration(ctx.timeoutMs)}`
        : 'The operation was canceled because the server is shutting down';
      return finishedResult(settled.stopped, args, ctx.correlationId, text);
    }
    if ('error' in settled) {
      ctx.logger?.warn({ reqId: ctx.correlationId, handler: handler.name, err: settled.error, idShortPath: args.idShortPath }, 'operation failed');
      const why = settled.error instanceof Error ? settled.error.message : String(settled.error);
      return finishedResult('Failed', args, ctx.correlationId, `The operation failed (${handler.name}): ${why}`);
    }
    return completedResult(handler, args, settled.outcome, ctx);
  } finally {
    clearTimeout(timer);
    ctx.shutdown.removeEventListener('abort', onShutdown);
  }
}

/** Completed, after checking the outputs against the declaration; outputs that do not fit make it Failed. */
function completedResult(handler: OperationHandler, args: Arguments, outcome: OperationOutcome, ctx: ExecutionContext): OperationResult {
  // Typed as checked below: a handler's outputs are only trusted after validation.
  const outputs = {
    outputArguments: outcome?.outputArguments ?? [],
    inoutputArguments: outcome?.inoutputArguments ?? args.inoutputArguments,
  } as Record<(typeof OUTPUT_KINDS)[number], OperationVariable[]>;
  try {
    for (const kind of OUTPUT_KINDS) {
      const list: unknown = outputs[kind];
      if (!Array.isArray(list)) throw new Error(`${kind} is not an array`);
      list.forEach((arg, i) => validateElementAt(ctx.validator, 'OperationVariable', arg, `$.${kind}[${i}]`));
      matchArguments(kind, outputs[kind], args.operation[DECLARATION_OF[kind]], (i) => `$.${kind}[${i}].value`);
    }
  } catch (e) {
    const details = (e as { details?: { text: string }[] }).details?.map((d) => d.text) ?? [];
    const text = [`The handler ${handler.name} returned arguments that do not fit the Operation: ${(e as Error).message}`, ...details].join('; ');
    return finishedResult('Failed', args, ctx.correlationId, text);
  }
  return {
    executionState: 'Completed',
    success: true,
    ...outputs,
    messages: (outcome?.messages ?? []).map((n: OperationNote) => message('Completed', ctx.correlationId, String(n.text), n.messageType ?? 'Info')),
  };
}
