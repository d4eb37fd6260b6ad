/**
 * How an Operation element gets executed (Part 2 §"Invoke": execution is implementation-defined). A handler
 * declares which Operations it runs (`handles`, e.g. by a qualifier type or a semanticId) and runs them
 * (`invoke`). The registry asks its handlers in registration order; the first that handles an Operation runs it.
 * An Operation no handler takes is answered with 501.
 *
 * Handlers see arguments in Normal form only (ValueOnly requests are converted before, results after) and get
 * an AbortSignal that fires when the client's timeout (`clientTimeoutDuration`) or the server's limit passes.
 */
import type { Operation, OperationVariable, SubmodelElement } from '../../validation/schema/metamodel.js';

/** The Operation to run, where it lives. */
export interface OperationTarget {
  /** The Operation element as stored (a copy: changing it changes nothing). */
  operation: Operation;
  /** Id of the submodel holding it. */
  submodelId: string;
  /** Its idShortPath within the submodel, e.g. `Control.Start`. */
  idShortPath: string;
}

export interface OperationInvocation extends OperationTarget {
  /** Arguments as sent, checked against the declared inputVariables (idShort, type, schema, constraints). */
  inputArguments: OperationVariable[];
  /** Arguments as sent, checked against the declared inoutputVariables. */
  inoutputArguments: OperationVariable[];
  /** Aborted when the invocation times out (or the server shuts down); stop work and reject soon after. */
  signal: AbortSignal;
  /** Milliseconds until `signal` fires, for handlers that pass a deadline on (e.g. to a remote call). */
  timeoutMs: number;
}

/** A note a handler wants the client to read in the result's `messages`. */
export interface OperationNote {
  messageType?: 'Undefined' | 'Info' | 'Warning' | 'Error' | 'Exception';
  text: string;
}

/**
 * An argument a handler returns: `{value: <SubmodelElement in Normal JSON>}`. Loosely typed on purpose: it is
 * checked at run time (schema, constraints, declared idShort and type) before it reaches a client.
 */
export interface ReturnedArgument {
  value: object;
}

/** What a successful run returns. Outputs are checked against the declared outputVariables/inoutputVariables. */
export interface OperationOutcome {
  outputArguments?: ReturnedArgument[];
  /** Left out: the inoutput arguments go back to the client as they came in. */
  inoutputArguments?: ReturnedArgument[];
  messages?: OperationNote[];
}

export interface OperationHandler {
  /** Short name, used in logs and messages (e.g. `http-delegation`, `opcua-method`). */
  readonly name: string;
  /** Whether this handler runs the Operation. Cheap and synchronous: it is asked on every invocation. */
  handles(target: OperationTarget): boolean;
  /**
   * Optional check before anything starts, for reasons known without running (e.g. configuration forbids it).
   * Throw a ServiceError (`NotImplemented` → 501, `BadRequest` → 400) to refuse the invocation up front.
   */
  verify?(target: OperationTarget): void;
  /**
   * Runs the Operation. Resolve with the outputs; reject (throw) to report the execution as Failed: the error's
   * message becomes the result's message, so make it say what went wrong for the client.
   */
  invoke(invocation: OperationInvocation): Promise<OperationOutcome>;
}

/** The handlers of a server, asked in registration order. */
export class OperationHandlerRegistry {
  private readonly handlers: OperationHandler[] = [];

  /** Adds a handler after the present ones; the returned function removes it again. */
  register(handler: OperationHandler): () => void {
    this.handlers.push(handler);
    return () => {
      const at = this.handlers.indexOf(handler);
      if (at >= 0) this.handlers.splice(at, 1);
    };
  }

  /** The first handler that handles the Operation, if any. */
  find(target: OperationTarget): OperationHandler | undefined {
    return this.handlers.find((h) => h.handles(target));
  }

  get names(): string[] {
    return this.handlers.map((h) => h.name);
  }
}

/** The first qualifier of the given type on an element (qualifier types are case-sensitive, Part 1 §5.3.2.11). */
export function qualifierOf(element: SubmodelElement, type: string): { type: string; value?: string } | undefined {
  return element.qualifiers?.find((q) => q.type === type);
}

/** A `handles` predicate: the Operation carries a qualifier of this type. */
export const hasQualifierType = (type: string) => (target: OperationTarget): boolean => qualifierOf(target.operation, type) !== undefined;

/** A `handles` predicate: some key of the Operation's semanticId has this value. */
export const hasSemanticId = (value: string) => (target: OperationTarget): boolean =>
  target.operation.semanticId?.keys.some((k) => k.value === value) ?? false;
