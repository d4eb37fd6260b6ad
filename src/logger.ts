/** Structured JSON logs on stdout (pino). Every request line carries the request id that is also Result.correlationId. */
import { pino, type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger };

/** `destination` receives each JSON line (default: stdout); tests pass one to read what was logged. */
export function createLogger(level: Config['logLevel'], destination?: { write(line: string): void }): Logger {
  const options = {
    level,
    base: { service: 'aas-server' },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  return destination === undefined ? pino(options) : pino(options, destination);
}
