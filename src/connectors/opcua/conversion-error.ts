/** The error of the OPC UA value conversions: a value has no faithful form in the target type. */
import { BadRequest } from '../../errors.js';

/** A value that cannot be represented in the target type (out of range, wrong kind, malformed). */
export class ConversionError extends BadRequest {}
