/**
 * Swagger UI for the server's own OpenAPI document. Every asset comes from the local swagger-ui-dist package
 * (through swagger-ui-express), so the page works on a machine without internet access and leaks no requests.
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import swaggerUi, { type SwaggerUiOptions } from 'swagger-ui-express';

/**
 * Options handed to SwaggerUIBundle. `validatorUrl: null` matters: Swagger UI otherwise sends the document to
 * the public validator.swagger.io badge service. "Try it out" stays one click away for every method the API
 * serves; `tryItOutEnabled` stays off so the page opens read-only and a click arms an operation.
 */
const SWAGGER_UI_CONFIG = {
  validatorUrl: null,
  supportedSubmitMethods: ['get', 'put', 'post', 'delete', 'patch'],
  tryItOutEnabled: false,
  deepLinking: true,
  displayOperationId: true,
  displayRequestDuration: true,
  docExpansion: 'list',
  // The metamodel brings ~70 schemas; list them collapsed rather than expanding each one.
  defaultModelsExpandDepth: 0,
  filter: true,
  showExtensions: false,
} as const;

/** Files of swagger-ui-dist that would load the Petstore demo from the internet; never served. */
const FOREIGN_DIST_FILES = /\/(index\.html|swagger-initializer\.js)$/;

/**
 * A router serving Swagger UI at `mountPath` (default `/api-docs`), with `document` embedded in its init script.
 * `serveFiles` is used instead of `serve` because `serve` keeps the document in a module-wide variable, which
 * two servers in one process (tests with different base paths) would overwrite for each other.
 */
export function swaggerUiRouter(document: object, mountPath = '/api-docs'): express.Router {
  const title = titleOf(document);
  const options: SwaggerUiOptions = {
    customSiteTitle: title ? `${title} — API documentation` : 'API documentation',
    swaggerOptions: { ...SWAGGER_UI_CONFIG },
  };
  const page = swaggerUi.setup(document as swaggerUi.JsonObject, options);
  const router = express.Router({ strict: true });

  // The page loads its assets by relative URLs (`./swagger-ui.css`), which only resolve under the mount path
  // when the address ends in '/'.
  router.get(mountPath, (req: Request, res: Response) => {
    const query = req.originalUrl.slice(req.originalUrl.split('?')[0].length);
    res.redirect(301, `${req.baseUrl}${mountPath}/${query}`);
  });
  router.get(`${mountPath}/`, page);
  router.use(mountPath, (req: Request, _res: Response, next: NextFunction) => {
    if (FOREIGN_DIST_FILES.test(req.path)) next('router');
    else next();
  });
  router.use(mountPath, ...swaggerUi.serveFiles(document as swaggerUi.JsonObject, options));
  return router;
}

function titleOf(document: object): string | undefined {
  const info = (document as { info?: { title?: unknown } }).info;
  return typeof info?.title === 'string' ? info.title : undefined;
}
