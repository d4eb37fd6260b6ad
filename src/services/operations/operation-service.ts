/**
 * Invoking Operation elements (Part 2 InvokeOperation, InvokeOperationAsync, GetOperationAsyncStatus,
 * GetOperationAsyncResult; Normal and ValueOnly). The order of checks: the submodel and path exist (404), the
 * element is an Operation (405), some handler runs it (501), the request fits the declaration (400); only then
 * does anything run. Execution failures are results (executionState Failed/Timeout), not HTTP errors.
 */
import { MethodNotAllowed, NotFound, NotImplemented } from '../../errors.js';
import type { Logger } from '../../logger.js';
import { locateElement } from '../../model/element-tree.js';
import { formatIdShortPath, parseIdShortPath } from '../../model/id-short-path.js';
import type { Operation } from '../../validation/schema/metamodel.js';
import type { Validator } from '../../validation/validator.js';
import type { SubmodelRepository } from '../submodel-repository.js';
import { execute, finishedResult, type ExecutionState, type OperationResult } from './operation-execution.js';
import { OperationHandlerRegistry, type OperationHandler, type OperationInvocation } from './operation-handler.js';
import { OperationJobs } from './operation-jobs.js';
import { readOperationRequest, type CheckedRequest } from './operation-request.js';
import { readValueOnlyOperationRequest } from './value-only-arguments.js';

/** setTimeout fires at once for longer delays (a 32-bit signed millisecond count, ~24.8 days). */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

export interface OperationSettings {
  /** Timeout of an invocation whose request gives no `clientTimeoutDuration`. */
  defaultTimeoutMs: number;
  /** Longest timeout granted, whatever the client asks for. */
  maxTimeoutMs: number;
  /** How long a finished asynchronous result stays retrievable. */
  resultTtlMs: number;
  /** Most asynchronous invocations held at once (running and finished). */
  maxJobs: number;
}

export interface OperationServiceDeps {
  submodels: Pick<SubmodelRepository, 'get'>;
  validator: Validator;
  logger?: Logger;
}

/** Which body form a request uses: Normal (`.../invoke`) or ValueOnly (`.../invoke/$value`). */
export type ArgumentForm = 'normal' | 'valueOnly';

export interface InvokeOptions {
  form: ArgumentForm;
  /** The request id, `correlationId` of the result's messages. */
  correlationId: string;
}

/** What GetOperationAsyncStatus reports: still running, or finished (then the result is available). */
export type JobStatus = { executionState: Extract<ExecutionState, 'Running'> } | { executionState: ExecutionState; finished: true };

interface Prepared {
  handler: OperationHandler;
  args: Omit<OperationInvocation, 'signal' | 'timeoutMs'>;
  timeoutMs: number;
}

export class OperationService {
  /** Register operation handlers here (see operation-handler.ts). */
  readonly handlers = new OperationHandlerRegistry();
  private readonly jobs: OperationJobs;
  private readonly shutdown = new AbortController();
  private readonly running = new Set<Promise<void>>();

  constructor(private readonly deps: OperationServiceDeps, private readonly settings: OperationSettings) {
    this.jobs = new OperationJobs({ ttlMs: settings.resultTtlMs, maxJobs: settings.maxJobs });
  }

  /** Synchronous invocation: resolves when the Operation finished, failed or timed out. */
  async invoke(submodelId: string, idShortPath: string, body: unknown, options: InvokeOptions): Promise<OperationResult> {
    const { handler, args, timeoutMs } = await this.prepare(submodelId, idShortPath, body, options.form);
    return execute(handler, args, this.context(options.correlationId, timeoutMs));
  }

  /** Asynchronous invocation: starts it and returns the handle id at once (all 4xx/501 checks happen before). */
  async invokeAsync(submodelId: string, idShortPath: string, body: unknown, options: InvokeOptions): Promise<{ handleId: string; idShortPath: string }> {
    const { handler, args, timeoutMs } = await this.prepare(submodelId, idShortPath, body, options.form);
    const job = this.jobs.add(submodelId, args.idShortPath);
    const run = execute(handler, args, this.context(options.correlationId, timeoutMs))
      .catch((err: unknown) => {
        this.deps.logger?.error({ err, reqId: options.correlationId }, 'asynchronous operation crashed');
        return finishedResult('Failed', args, options.correlationId, 'The operation failed with an internal error; the server log has the details');
      })
      .then((result) => this.jobs.finish(job, result))
      .finally(() => this.running.delete(run));
    this.running.add(run);
    return { handleId: job.handleId, idShortPath: job.idShortPath };
  }

  /** 404 when the handle is unknown (or expired, or was issued for another Operation). */
  status(submodelId: string, idShortPath: string, handleId: string): JobStatus {
    const job = this.job(submodelId, idShortPath, handleId);
    return job.result ? { executionState: job.result.executionState, finished: true } : { executionState: 'Running' };
  }

  /**
   * The result of an asynchronous invocation. Asked for while it still runs, the answer is a result with
   * executionState Running and no outputs (Part 2 does not say; the status endpoint is the one to poll).
   */
  result(submodelId: string, idShortPath: string, handleId: string): Omit<OperationResult, 'success'> & { success?: boolean } {
    const job = this.job(submodelId, idShortPath, handleId);
    return job.result ?? { executionState: 'Running', outputArguments: [], inoutputArguments: [], messages: [] };
  }

  /** Cancels what runs (executionState Canceled) and waits for those invocations to settle. */
  async close(): Promise<void> {
    this.shutdown.abort();
    await Promise.allSettled([...this.running]);
  }

  private job(submodelId: string, idShortPath: string, handleId: string) {
    const job = this.jobs.find(handleId, submodelId, canonicalPath(idShortPath));
    if (!job) throw new NotFound(`No asynchronous invocation "${handleId}" of the Operation at ${idShortPath} (finished results are kept for a limited time)`);
    return job;
  }

  private context(correlationId: string, timeoutMs: number) {
    return { validator: this.deps.validator, correlationId, timeoutMs, shutdown: this.shutdown.signal, logger: this.deps.logger };
  }

  private async prepare(submodelId: string, idShortPath: string, body: unknown, form: ArgumentForm): Promise<Prepared> {
    const submodel = await this.deps.submodels.get(submodelId);
    const slot = locateElement(submodel, idShortPath);
    const path = formatIdShortPath(slot.lineage.map((l) => l.segment));
    if (slot.element.modelType !== 'Operation') {
      throw new MethodNotAllowed(`The element at ${path} is a ${slot.element.modelType}; only an Operation can be invoked`);
    }
    const operation = slot.element as Operation;
    const target = { operation, submodelId, idShortPath: path };
    const handler = this.handlers.find(target);
    if (!handler) {
      throw new NotImplemented(`No operation handler of this server runs the Operation at ${path} (handlers: ${this.handlers.names.join(', ') || 'none'})`);
    }
    handler.verify?.(target);
    const read = form === 'normal' ? readOperationRequest : readValueOnlyOperationRequest;
    const request: CheckedRequest = read(body, operation, this.deps.validator);
    const timeoutMs = Math.min(request.clientTimeoutMs ?? this.settings.defaultTimeoutMs, this.settings.maxTimeoutMs, LONGEST_TIMER_MS);
    return { handler, args: { ...target, inputArguments: request.inputArguments, inoutputArguments: request.inoutputArguments }, timeoutMs };
  }
}

/** One spelling per path (`a.b[0]`), so a handle matches however the client wrote the path; 400 when malformed. */
function canonicalPath(idShortPath: string): string {
  return formatIdShortPath(parseIdShortPath(idShortPath));
}
