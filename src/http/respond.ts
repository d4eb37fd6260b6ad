/** Writing replies and turning any failure into a Part 2 `Result` reply: shared by the API dispatcher and express. */
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream';
import { ServiceError, type ErrorDetail } from '../errors.js';
import type { Logger } from '../logger.js';
import { resultBody } from './result.js';
import { WARNINGS_HEADER, warningsHeader, type Reply } from './route.js';

export function send(res: ServerResponse, reply: Reply): void {
  res.statusCode = reply.status;
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  if (reply.warnings) res.setHeader(WARNINGS_HEADER, warningsHeader(reply.warnings));
  if (reply.stream) {
    // With backpressure; a failure half-way can only cut the connection (the status line is already out).
    pipeline(reply.stream, res, () => {});
    return;
  }
  const json = reply.json ?? (reply.body === undefined ? undefined : JSON.stringify(reply.body));
  if (json === undefined) {
    res.end();
  } else {
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(json);
  }
}

export function resultReply(status: number, text: string, requestId: string, details: readonly ErrorDetail[] = []): Reply {
  return { status, body: resultBody(status, text, requestId, details) };
}

/**
 * The Result reply for a thrown error: a ServiceError keeps its status and details; a body-parser error (it
 * carries `status` and `type`) becomes 400/413/415; anything else is a 500 whose details go to the log only.
 */
export function errorReply(err: unknown, requestId: string, bodyLimit: number, logger: Logger): Reply {
  if (err instanceof ServiceError) return resultReply(err.status, err.message, requestId, err.details);
  const e = err as { status?: number; type?: string; message?: string };
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    const text =
      e.type === 'entity.too.large' ? `Request body exceeds the limit of ${bodyLimit} bytes`
      : e.type === 'entity.parse.failed' ? `Request body is not valid JSON: ${e.message}`
      : (e.message ?? 'Bad request');
    const unsupported = e.type === 'encoding.unsupported' || e.type === 'charset.unsupported';
    return resultReply(unsupported ? 415 : e.status, text, requestId);
  }
  logger.error({ err, reqId: requestId }, 'unhandled error');
  return resultReply(500, 'Internal server error; the log has the details under this correlationId', requestId);
}
