/**
 * node-opcua prints its warnings and errors to the console, which would break the server's JSON log lines.
 * Routed into the server's log instead: warnings at debug (they are mostly about the library's own set-up, such
 * as Node's RSA PKCS#1 v1.5 notice), errors at warn. The routing is process-wide, as node-opcua's loggers are.
 */
import { format } from 'node:util';
import { setErrorLogger, setWarningLogger } from 'node-opcua';
import type { Logger } from '../../logger.js';

export function routeLibraryLogs(logger: Logger): void {
  setWarningLogger((...args: unknown[]) => logger.debug({ source: 'node-opcua' }, format(...args).trim()));
  setErrorLogger((...args: unknown[]) => logger.warn({ source: 'node-opcua' }, format(...args).trim()));
}
