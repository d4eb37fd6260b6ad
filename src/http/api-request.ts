/**
 * What a route handler sees of a request: method, decoded path parameters, query, parsed JSON body, headers,
 * the request id, and content negotiation. Independent of any web framework, so the API's hot path runs on
 * bare node:http.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { parse as parseQuery } from 'node:querystring';
import accepts from 'accepts';

export interface ApiRequest {
  readonly method: string;
  readonly params: Readonly<Record<string, string | undefined>>;
  readonly query: Readonly<Record<string, string | string[] | undefined>>;
  readonly headers: IncomingHttpHeaders;
  /** The request body as it arrives, for routes that stream it (attachment uploads) instead of `body`. */
  readonly bodyStream: IncomingMessage;
  /** The request id, also the `correlationId` of Result bodies. */
  readonly id: string;
  body: unknown;
  /** The best of `types` for the Accept header, or false when none is acceptable. */
  accepts(types: string[]): string | false;
}

export function apiRequest(req: IncomingMessage, id: string, params: Record<string, string | undefined>): ApiRequest {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return {
    method: req.method ?? 'GET',
    params,
    query: q < 0 ? {} : parseQuery(url.slice(q + 1)),
    headers: req.headers,
    bodyStream: req,
    id,
    body: undefined,
    accepts: (types) => accepts(req).type(types) as string | false,
  };
}
