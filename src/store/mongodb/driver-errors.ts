/**
 * Driver errors as the store contract's errors: a MongoDB that cannot be reached (or cannot take writes right now)
 * is ServiceUnavailable (503 with a Result), a duplicate key or a write conflict that outlived the transaction's
 * retries is Conflict (409), never a raw driver error (500).
 */
import {
  MongoError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoOperationTimeoutError,
  MongoServerClosedError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
  MongoWriteConcernError,
} from 'mongodb';
import { Conflict, ServiceError, ServiceUnavailable } from '../../errors.js';

export const DUPLICATE_KEY = 11000;
/** Two transactions wrote one document; labelled TransientTransactionError, so withTransaction retries it first. */
export const WRITE_CONFLICT = 112;

/**
 * Server error codes that mean "not now" rather than "never": the node is unreachable, shutting down, stepping
 * down or not (yet) primary, or a time limit ran out.
 */
const UNAVAILABLE_CODES = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  18, // AuthenticationFailed: a configuration problem, but the store cannot serve until it is fixed
  50, // MaxTimeMSExpired
  64, // WriteConcernTimeout / WriteConcernFailed
  89, // NetworkTimeout
  91, // ShutdownInProgress
  133, // FailedToSatisfyReadPreference
  134, // ReadConcernMajorityNotAvailableYet
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

const UNAVAILABLE_LABELS = ['RetryableWriteError', 'TransientTransactionError', 'ResetPool', 'HandshakeError'];

/** True for an error that says MongoDB is not reachable or not able to serve right now. */
export function isUnavailable(error: unknown): boolean {
  if (
    error instanceof MongoNetworkError ||
    error instanceof MongoServerSelectionError ||
    error instanceof MongoTopologyClosedError ||
    error instanceof MongoNotConnectedError ||
    error instanceof MongoServerClosedError ||
    error instanceof MongoOperationTimeoutError ||
    error instanceof MongoWriteConcernError
  ) {
    return true;
  }
  if (!(error instanceof MongoError)) return false;
  if (UNAVAILABLE_LABELS.some((label) => error.hasErrorLabel(label))) return true;
  return typeof error.code === 'number' && UNAVAILABLE_CODES.has(error.code);
}

/** True for a unique index violation, also inside a bulk write (insertMany). */
export function isDuplicateKey(error: unknown): boolean {
  if (!(error instanceof MongoServerError)) return false;
  if (error.code === DUPLICATE_KEY) return true;
  const writeErrors: unknown = (error as { writeErrors?: unknown }).writeErrors;
  const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
  return list.some((e) => (e as { code?: unknown } | null)?.code === DUPLICATE_KEY);
}

/** A write conflict between transactions (left over once the driver's retries ran out). */
export function isWriteConflict(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === WRITE_CONFLICT;
}

/** Topology closed under us (not by `close()`): the client must connect again (see connection.ts). */
export function isTopologyClosed(error: unknown): boolean {
  return error instanceof MongoTopologyClosedError || error instanceof MongoNotConnectedError;
}

/** The reason in a driver error's message, without a stack: what /ready and the Result show. */
function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function unavailable(error: unknown): ServiceUnavailable {
  return new ServiceUnavailable(`MongoDB is not available: ${reasonOf(error)}`);
}

/**
 * The error a store method rejects with for `error`: the contract's errors pass through; driver errors become
 * ServiceUnavailable or Conflict (`conflictMessage` says which document); anything else is a bug and stays as is.
 */
export function translateDriverError(error: unknown, conflictMessage = 'The document exists already'): unknown {
  if (error instanceof ServiceError) return error;
  if (isDuplicateKey(error)) return new Conflict(conflictMessage);
  // Before the unavailability labels: a write conflict carries TransientTransactionError, but it is contention on
  // the documents, not an unreachable server.
  if (isWriteConflict(error)) return new Conflict('Another writer kept changing the same documents; try again');
  if (isUnavailable(error)) return unavailable(error);
  return error;
}
