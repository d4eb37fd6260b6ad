/**
 * The express application: operational endpoints and API docs outside the base path, the Part 2 routes under
 * it, and one error handler that turns every failure into a Part 2 `Result`.
 */
import express, { type ErrorRequestHandler, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { ServiceError, UnsupportedMediaType, BadRequest } from '../errors.js';
import type { Logger } from '../logger.js';
import { loadOpenApiDocument, openApiRouter } from './openapi-document.js';
import { requestContext } from './request-context.js';
import { resultBody } from './result.js';
import { WARNINGS_HEADER, warningsHeader, type Reply, type Route, type Services } from './route.js';
import { ROUTES } from './routes.js';

/** `/shells/{aasIdentifier}` → `/shells/:aasIdentifier` (express path syntax). */
function expressPath(template: string): string {
  return template.replace(/\{(\w+)\}/g, ':$1');
}

/** Literal segments sort before parameters, so `/shells/$reference` is tried before `/shells/{aasIdentifier}`. */
function specificity(a: Route, b: Route): number {
  const sa = a.path.split('/');
  const sb = b.path.split('/');
  for (let i = 0; i < Math.min(sa.length, sb.length); i++) {
    const pa = sa[i].startsWith('{');
    const pb = sb[i].startsWith('{');
    if (pa !== pb) return pa ? 1 : -1;
  }
  return 0;
}

function send(res: Response, reply: Reply): void {
  res.status(reply.status);
  for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
  if (reply.warnings) res.setHeader(WARNINGS_HEADER, warningsHeader(reply.warnings));
  if (reply.body === undefined) {
    res.end();
  } else {
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.end(JSON.stringify(reply.body));
  }
}

function sendResult(req: Request, res: Response, status: number, text: string, details: ServiceError['details'] = []): void {
  send(res, { status, body: resultBody(status, text, req.id, details) });
}

/** Requires a JSON body: 415 for another media type, 400 when there is none, then parses within the size limit. */
function jsonBody(limit: number): RequestHandler[] {
  const parse = express.json({ limit, type: ['application/json', 'application/*+json'], strict: false });
  const requireJson: RequestHandler = (req, _res, next) => {
    if (!req.is(['application/json', 'application/*+json'])) {
      const hasBody = req.get('content-length') !== undefined && req.get('content-length') !== '0' || req.get('transfer-encoding') !== undefined;
      next(hasBody ? new UnsupportedMediaType(`Expected a JSON body (application/json), got ${req.get('content-type') ?? 'no Content-Type'}`) : new BadRequest('A JSON request body is required'));
      return;
    }
    next();
  };
  return [requireJson, parse];
}

export function createApp(services: Services, logger: Logger): express.Express {
  const { config } = services;
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');
  app.use(requestContext(logger));

  app.get('/health', (_req, res) => send(res, { status: 200, body: { status: 'ok' } }));
  app.get('/ready', async (req, res) => {
    try {
      await services.store.ping();
      send(res, { status: 200, body: { status: 'ready' } });
    } catch (e) {
      logger.warn({ err: e }, 'store not reachable');
      sendResult(req, res, 503, `Store not reachable: ${(e as Error).message}`);
    }
  });
  app.use(openApiRouter(loadOpenApiDocument({ basePath: config.basePath })));

  const api = express.Router({ caseSensitive: true, strict: false });
  const body = jsonBody(config.bodyLimit);
  const methodsByPath = new Map<string, Set<string>>();
  for (const route of [...ROUTES].sort(specificity)) {
    const handler: RequestHandler = async (req, res) => {
      const reply = await route.handle(req, services);
      if (reply.warnings) {
        logger.warn({ reqId: req.id, warnings: reply.warnings.map((w) => `${w.path}: ${w.message}`) }, 'stored despite constraint violations (lenient validation)');
      }
      send(res, reply);
    };
    const chain = route.jsonBody ? [...body, handler] : [handler];
    api[route.method.toLowerCase() as 'get'](expressPath(route.path), ...chain);
    methodsByPath.set(route.path, (methodsByPath.get(route.path) ?? new Set()).add(route.method));
  }
  // A known path with another method: 405 with the methods it does take.
  for (const [path, methods] of methodsByPath) {
    api.all(expressPath(path), (req, res) => {
      res.setHeader('Allow', [...methods].join(', '));
      sendResult(req, res, 405, `Method ${req.method} is not allowed on ${path}`);
    });
  }
  app.use(config.basePath || '/', api);

  app.use((req: Request, res: Response) => sendResult(req, res, 404, `No route for ${req.method} ${req.path}`));

  const errors: ErrorRequestHandler = (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof ServiceError) {
      sendResult(req, res, err.status, err.message, err.details);
      return;
    }
    // body-parser errors carry a status and a type (entity.parse.failed, entity.too.large, ...).
    const e = err as { status?: number; type?: string; message?: string };
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
      const text =
        e.type === 'entity.too.large' ? `Request body exceeds the limit of ${config.bodyLimit} bytes`
        : e.type === 'entity.parse.failed' ? `Request body is not valid JSON: ${e.message}`
        : e.message ?? 'Bad request';
      sendResult(req, res, e.type === 'encoding.unsupported' || e.type === 'charset.unsupported' ? 415 : e.status, text);
      return;
    }
    logger.error({ err, reqId: req.id }, 'unhandled error');
    sendResult(req, res, 500, 'Internal server error; the log has the details under this correlationId');
  };
  app.use(errors);
  return app;
}
