/**
 * Part 2 Invoke routes under a submodel root, for both doors (see submodel-api.ts): synchronous and
 * asynchronous invocation in Normal and ValueOnly form, the status of an asynchronous invocation (200 while
 * Running, 302 to its result when done) and its result.
 */
import { encodeId } from '../../model/identifiers.js';
import { toValueOnlyResult } from '../../services/operations/value-only-arguments.js';
import type { ArgumentForm } from '../../services/operations/index.js';
import type { ApiRequest } from '../api-request.js';
import { pathId } from '../query.js';
import { ok, type Reply, type Route, type Services } from '../route.js';
import type { SubmodelDoor } from './submodel-api.js';

const idShortPath = (req: ApiRequest) => String(req.params.idShortPath);
const handleId = (req: ApiRequest) => String(req.params.handleId);

export function operationRoutes(door: SubmodelDoor): Route[] {
  const element = `${door.root}/submodel-elements/{idShortPath}`;

  /** Absolute URL path (with the base path) of the Operation element addressed through this door. */
  const elementLocation = (req: ApiRequest, s: Services, path: string) =>
    s.config.basePath +
    door.root.replace(/\{(\w+)\}/g, (_, name: string) => encodeId(pathId(req, name))) +
    `/submodel-elements/${encodeURIComponent(path)}`;

  const invoke = (suffix: string, form: ArgumentForm): Route => ({
    method: 'POST',
    path: `${element}/${suffix}`,
    jsonBody: true,
    async handle(req, s) {
      const result = await s.operations.invoke(await door.submodelId(req, s), idShortPath(req), req.body, { form, correlationId: req.id });
      return ok(form === 'valueOnly' ? toValueOnlyResult(result) : result);
    },
  });

  const invokeAsync = (suffix: string, form: ArgumentForm): Route => ({
    method: 'POST',
    path: `${element}/${suffix}`,
    jsonBody: true,
    async handle(req, s): Promise<Reply> {
      const started = await s.operations.invokeAsync(await door.submodelId(req, s), idShortPath(req), req.body, { form, correlationId: req.id });
      return { status: 202, headers: { Location: `${elementLocation(req, s, started.idShortPath)}/operation-status/${started.handleId}` } };
    },
  });

  const results = (suffix: string, form: ArgumentForm): Route => ({
    method: 'GET',
    path: `${element}/operation-results/{handleId}${suffix}`,
    async handle(req, s) {
      const result = s.operations.result(await door.submodelId(req, s), idShortPath(req), handleId(req));
      return ok(form === 'valueOnly' ? toValueOnlyResult(result) : result);
    },
  });

  return [
    invoke('invoke', 'normal'),
    invoke('invoke/$value', 'valueOnly'),
    invokeAsync('invoke-async', 'normal'),
    invokeAsync('invoke-async/$value', 'valueOnly'),
    {
      method: 'GET',
      path: `${element}/operation-status/{handleId}`,
      async handle(req, s): Promise<Reply> {
        const status = s.operations.status(await door.submodelId(req, s), idShortPath(req), handleId(req));
        if (!('finished' in status)) return ok({ executionState: status.executionState });
        return { status: 302, headers: { Location: `${elementLocation(req, s, idShortPath(req))}/operation-results/${encodeURIComponent(handleId(req))}` } };
      },
    },
    results('', 'normal'),
    results('/$value', 'valueOnly'),
  ];
}
