/**
 * Per-request id and access log. The id is taken from an incoming `X-Request-Id` when it is sane, echoed in
 * the response header and used as `correlationId` in Result bodies, so a client's report finds the log line.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../logger.js';

const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Assigns the request id, sets the response header and logs the request when the response is done. */
export function beginRequest(req: IncomingMessage, res: ServerResponse, logger: Logger): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && SANE_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', id);
  const started = process.hrtime.bigint();
  res.on('finish', () => {
    if (res.statusCode < 500 && !logger.isLevelEnabled('debug')) return;
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const line = { reqId: id, method: req.method, url: req.url, status: res.statusCode, ms: Math.round(ms * 10) / 10 };
    if (res.statusCode >= 500) logger.error(line, 'request failed');
    else logger.debug(line, 'request');
  });
  return id;
}
