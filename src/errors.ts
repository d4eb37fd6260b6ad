/**
 * Typed errors thrown by services, model functions and stores. Only http/ turns them into a Part 2 `Result`
 * body; everything else just throws.
 */
export interface ErrorDetail {
  /** Human-readable text of one message. */
  text: string;
  /** JSON path of the offending value, when there is one (e.g. `$.submodelElements[2].idShort`). */
  path?: string;
}

export abstract class ServiceError extends Error {
  abstract readonly status: number;
  readonly details: ErrorDetail[];

  constructor(message: string, details: ErrorDetail[] = []) {
    super(message);
    this.name = new.target.name;
    this.details = details;
  }
}

export class BadRequest extends ServiceError {
  readonly status = 400;
}

export class NotFound extends ServiceError {
  readonly status = 404;
}

export class MethodNotAllowed extends ServiceError {
  readonly status = 405;
}

export class NotAcceptable extends ServiceError {
  readonly status = 406;
}

export class Conflict extends ServiceError {
  readonly status = 409;
}

export class PayloadTooLarge extends ServiceError {
  readonly status = 413;
}

export class UnsupportedMediaType extends ServiceError {
  readonly status = 415;
}

export class NotImplemented extends ServiceError {
  readonly status = 501;
}

/** A device or server behind this one refused or could not be reached (e.g. an OPC UA write-back). */
export class BadGateway extends ServiceError {
  readonly status = 502;
}

export class ServiceUnavailable extends ServiceError {
  readonly status = 503;
}

/**
 * A conditional write found the document changed since it was read (another writer, e.g. another server instance
 * on the same MongoDB, got in between). Services retry their read-modify-write; a client sees 409 only when that
 * keeps happening.
 */
export class StaleRevision extends Conflict {}

/** A write was rejected by validation; `details` carry one entry per violation with its JSON path. */
export class ValidationFailed extends BadRequest {}
