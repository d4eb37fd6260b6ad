/**
 * The Part 2 API on bare node:http: find-my-way routes on method + path from the route table, JSON bodies are
 * read within the size limit, and every failure becomes a `Result`. Express stays out of this path because
 * it costs most of the request budget (measured here: Express 5 ≈ 9.7k req/s against ≈ 51k for find-my-way
 * on node:http, serving the same 10 kB body); see bench/README.md.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import { BadRequest, UnsupportedMediaType } from '../errors.js';
import type { Logger } from '../logger.js';
import { apiRequest, type ApiRequest } from './api-request.js';
import { beginRequest } from './request-context.js';
import { errorReply, resultReply, send } from './respond.js';
import type { Route, Services } from './route.js';
import { ROUTES } from './routes.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

type Next = () => void;

/** `/shells/{aasIdentifier}` → `/shells/:aasIdentifier` (find-my-way path syntax). */
function routerPath(basePath: string, template: string): string {
  return basePath + template.replace(/\{(\w+)\}/g, ':$1');
}

/** Longest path parameter matched: the base64url of the longest Identifier (2,048 characters of 4 UTF-8 bytes). */
const MAX_PATH_PARAMETER = Math.ceil((2048 * 4 * 4) / 3);

/** Reads the JSON body: 415 for another media type, 400 when there is none, 413 beyond the limit. */
function jsonBodyReader(limit: number) {
  const parse = express.json({ limit, type: ['application/json', 'application/*+json'], strict: false });
  const isJson = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
  return (req: IncomingMessage, res: ServerResponse): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const contentType = req.headers['content-type'];
      const hasBody = (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0') || req.headers['transfer-encoding'] !== undefined;
      if (!hasBody) return reject(new BadRequest('A JSON request body is required'));
      if (contentType === undefined || !isJson.test(contentType)) {
        return reject(new UnsupportedMediaType(`Expected a JSON body (application/json), got ${contentType ?? 'no Content-Type'}`));
      }
      parse(req as express.Request, res as express.Response, (err?: unknown) => (err ? reject(err) : resolve((req as { body?: unknown }).body)));
    });
}

/**
 * A request handler for the API; requests it has no route for (any method) go to `next` (the express app with
 * the docs, probes and the final 404).
 */
export function apiDispatcher(services: Services, logger: Logger) {
  const { config } = services;
  const readBody = jsonBodyReader(config.bodyLimit);
  // find-my-way matches parameters of at most 100 characters by default; an Identifier may have 2,048 characters
  // (up to 8,192 UTF-8 bytes), whose base64url is 10,923 characters long.
  const router = FindMyWay({ caseSensitive: true, ignoreTrailingSlash: true, maxParamLength: MAX_PATH_PARAMETER });

  const run = async (route: Route, req: IncomingMessage, res: ServerResponse, params: Record<string, string | undefined>) => {
    const id = beginRequest(req, res, logger);
    let request: ApiRequest | undefined;
    try {
      request = apiRequest(req, id, params);
      if (route.jsonBody) request.body = await readBody(req, res);
      const reply = await route.handle(request, services);
      if (reply.warnings) {
        logger.warn({ reqId: id, warnings: reply.warnings.map((w) => `${w.path}: ${w.message}`) }, 'stored despite constraint violations (lenient validation)');
      }
      send(res, reply);
    } catch (err) {
      send(res, errorReply(err, id, config.bodyLimit, logger));
    }
  };

  const methodsByPath = new Map<string, HTTPMethod[]>();
  for (const route of ROUTES) {
    const path = routerPath(config.basePath, route.path);
    router.on(route.method, path, (req, res, params) => void run(route, req, res, params));
    methodsByPath.set(path, [...(methodsByPath.get(path) ?? []), route.method]);
  }
  // A known path with another method: 405 with the methods it does take.
  for (const [path, methods] of methodsByPath) {
    const others = METHODS.filter((m) => !methods.includes(m));
    if (others.length === 0) continue;
    router.on(others, path, (req, res) => {
      const id = beginRequest(req, res, logger);
      res.setHeader('Allow', methods.join(', '));
      send(res, resultReply(405, `Method ${req.method} is not allowed on ${path.slice(config.basePath.length)}`, id));
    });
  }

  return (req: IncomingMessage, res: ServerResponse, next: Next): void => {
    const match = router.find(req.method as HTTPMethod, req.url ?? '/');
    if (match) match.handler(req, res, match.params as Record<string, string>, match.store, match.searchParams);
    else next();
  };
}
