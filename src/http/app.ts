/**
 * The HTTP front: the Part 2 API on the fast dispatcher, and behind it an express app for what is not on the
 * hot path (liveness and readiness probes, the OpenAPI document, Swagger UI) and the final 404 `Result`.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import express, { type ErrorRequestHandler, type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../logger.js';
import { apiDispatcher } from './api-dispatch.js';
import { loadOpenApiDocument, openApiRouter } from './openapi-document.js';
import { beginRequest } from './request-context.js';
import { errorReply, resultReply, send } from './respond.js';
import type { Services } from './route.js';

declare module 'express-serve-static-core' {
  interface Request {
    id: string;
  }
}

function operationsApp(services: Services, logger: Logger): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.use((req: Request, res: Response, next: NextFunction) => {
    req.id = beginRequest(req, res, logger);
    next();
  });

  app.get('/health', (_req, res) => send(res, { status: 200, body: { status: 'ok', assetConnections: services.assetConnections.summary() } }));
  app.get('/ready', async (req, res) => {
    try {
      await services.ready();
      send(res, { status: 200, body: { status: 'ready' } });
    } catch (e) {
      logger.warn({ err: e }, 'not ready');
      send(res, resultReply(503, `Not ready: ${(e as Error).message}`, req.id));
    }
  });
  app.use(openApiRouter(loadOpenApiDocument({ basePath: services.config.basePath })));

  app.use((req: Request, res: Response) => send(res, resultReply(404, `No route for ${req.method} ${req.path}`, req.id)));
  const errors: ErrorRequestHandler = (err: unknown, req: Request, res: Response, _next: NextFunction) => {
    send(res, errorReply(err, req.id, services.config.bodyLimit, logger));
  };
  app.use(errors);
  return app;
}

export function createRequestListener(services: Services, logger: Logger): RequestListener {
  const api = apiDispatcher(services, logger);
  const rest = operationsApp(services, logger);
  return (req: IncomingMessage, res: ServerResponse) => api(req, res, () => rest(req, res));
}
