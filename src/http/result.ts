/**
 * The Part 2 `Result` body: every 4xx/5xx answer is exactly `{"messages":[Message...]}` and nothing else
 * (no stack traces, no extra fields). `code` holds the HTTP status (≤ 32 chars), `timestamp` is UTC.
 */
import type { ErrorDetail } from '../errors.js';

export type MessageType = 'Undefined' | 'Info' | 'Warning' | 'Error' | 'Exception';

export interface Message {
  messageType: MessageType;
  text: string;
  code: string;
  correlationId: string;
  timestamp: string;
}

export interface Result {
  messages: Message[];
}

/** Builds a Result: the summary first, then one message per detail (e.g. per validation issue). */
export function resultBody(status: number, text: string, correlationId: string, details: readonly ErrorDetail[] = []): Result {
  const timestamp = new Date().toISOString();
  const messageType: MessageType = status >= 500 ? 'Exception' : 'Error';
  const message = (t: string): Message => ({ messageType, text: t, code: String(status), correlationId, timestamp });
  return { messages: [message(text), ...details.map((d) => message(d.text))] };
}
