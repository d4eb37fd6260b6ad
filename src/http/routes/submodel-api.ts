/**
 * The Submodel API under a submodel root, shared by both doors (Part 2): `/submodels/{submodelIdentifier}` of
 * the Submodel repository and `/shells/{aasIdentifier}/submodels/{submodelIdentifier}` of the AAS repository.
 * A door says how the root resolves; every route below exists once and serves both.
 */
import type { ApiRequest } from '../api-request.js';
import { encodeId } from '../../model/identifiers.js';
import { applyContentModifiersToJson, checkProjectionModifiers, parseContentModifiers, submodelMetadata } from '../../model/modifiers.js';
import { modelReference } from '../../model/references.js';
import type { Submodel } from '../../model/types.js';
import type { WriteResult } from '../../services/identifiable-repository.js';
import { pathId } from '../query.js';
import { noContent, ok, okJson, written, type Route, type Services } from '../route.js';

export interface SubmodelDoor {
  /** Path template of the submodel root, relative to the API base path. */
  root: string;
  get(req: ApiRequest, s: Services): Promise<Submodel>;
  /** `get` as the stored JSON text. */
  getJson(req: ApiRequest, s: Services): Promise<string>;
  put(req: ApiRequest, s: Services, body: unknown): Promise<WriteResult<Submodel>>;
  delete(req: ApiRequest, s: Services): Promise<void>;
}

/** The root's URL path for a request, for Location headers: the template with the request's encoded ids. */
function rootLocation(door: SubmodelDoor, req: ApiRequest, s: Services): string {
  return s.config.basePath + door.root.replace(/\{(\w+)\}/g, (_, name: string) => encodeId(pathId(req, name)));
}

export function submodelApiRoutes(door: SubmodelDoor): Route[] {
  return [
    {
      method: 'GET',
      path: door.root,
      async handle(req, s) {
        const modifiers = parseContentModifiers(req.query.level, req.query.extent);
        return okJson(applyContentModifiersToJson(await door.getJson(req, s), modifiers));
      },
    },
    {
      method: 'PUT',
      path: door.root,
      jsonBody: true,
      async handle(req, s) {
        return written(await door.put(req, s, req.body), rootLocation(door, req, s));
      },
    },
    {
      method: 'DELETE',
      path: door.root,
      async handle(req, s) {
        await door.delete(req, s);
        return noContent();
      },
    },
    {
      method: 'GET',
      path: `${door.root}/$metadata`,
      async handle(req, s) {
        checkProjectionModifiers('$metadata', req.query.level, req.query.extent);
        return ok(submodelMetadata(await door.get(req, s)));
      },
    },
    {
      method: 'GET',
      path: `${door.root}/$reference`,
      async handle(req, s) {
        checkProjectionModifiers('$reference', req.query.level, req.query.extent);
        return ok(modelReference('Submodel', (await door.get(req, s)).id));
      },
    },
  ];
}

const smId = (req: ApiRequest) => pathId(req, 'submodelIdentifier');
const aasId = (req: ApiRequest) => pathId(req, 'aasIdentifier');

export const submodelRepositoryDoor: SubmodelDoor = {
  root: '/submodels/{submodelIdentifier}',
  get: (req, s) => s.submodels.get(smId(req)),
  getJson: (req, s) => s.submodels.getJson(smId(req)),
  put: (req, s, body) => s.submodels.put(smId(req), body),
  delete: (req, s) => s.submodels.delete(smId(req)),
};

/** Through a shell: the shell must reference the submodel (404 otherwise); DELETE also drops the reference. */
export const shellSubmodelDoor: SubmodelDoor = {
  root: '/shells/{aasIdentifier}/submodels/{submodelIdentifier}',
  get: (req, s) => s.shells.getSubmodel(aasId(req), smId(req)),
  getJson: (req, s) => s.shells.getSubmodelJson(aasId(req), smId(req)),
  put: (req, s, body) => s.shells.putSubmodel(aasId(req), smId(req), body),
  delete: (req, s) => s.shells.deleteSubmodel(aasId(req), smId(req)),
};
