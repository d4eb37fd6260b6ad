/**
 * Operation invocation (Part 2 §"Invoke"): the service, its handler registry and the built-in HTTP delegation
 * handler. Other handlers (e.g. OPC UA methods) register on `service.handlers`.
 */
import type { Config } from '../../config.js';
import { HttpDelegationHandler } from './http-delegation.js';
import { OperationService, type OperationServiceDeps } from './operation-service.js';

export { OperationService, type ArgumentForm, type InvokeOptions, type JobStatus, type OperationSettings } from './operation-service.js';
export {
  hasQualifierType,
  hasSemanticId,
  OperationHandlerRegistry,
  qualifierOf,
  type OperationHandler,
  type OperationInvocation,
  type OperationNote,
  type OperationOutcome,
  type OperationTarget,
  type ReturnedArgument,
} from './operation-handler.js';
export type { ExecutionState, OperationMessage, OperationResult } from './operation-execution.js';
export { DELEGATION_QUALIFIER, HttpDelegationHandler } from './http-delegation.js';

type OperationConfig = Pick<
  Config,
  | 'operationTimeout'
  | 'operationMaxTimeout'
  | 'operationResultTtl'
  | 'operationResultLimit'
  | 'operationDelegationAllow'
  | 'operationDelegationAllowLinkLocal'
  | 'operationDelegationMaxResponse'
>;

/** The service as the server runs it: settings from the configuration, HTTP delegation registered first. */
export function createOperationService(config: OperationConfig, deps: OperationServiceDeps): OperationService {
  const service = new OperationService(deps, {
    defaultTimeoutMs: config.operationTimeout,
    maxTimeoutMs: config.operationMaxTimeout,
    resultTtlMs: config.operationResultTtl,
    maxJobs: config.operationResultLimit,
  });
  service.handlers.register(
    new HttpDelegationHandler({
      allow: config.operationDelegationAllow,
      allowLinkLocal: config.operationDelegationAllowLinkLocal,
      maxResponseBytes: config.operationDelegationMaxResponse,
    }),
  );
  return service;
}
