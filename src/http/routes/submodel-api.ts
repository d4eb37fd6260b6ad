/**
 * The Submodel API under a submodel root, shared by both doors (Part 2): `/submodels/{submodelIdentifier}` of
 * the Submodel repository and `/shells/{aasIdentifier}/submodels/{submodelIdentifier}` of the AAS repository.
 * A door says how the root resolves; every route below exists once and serves both.
 */
import type { ApiRequest } from '../api-request.js';
import { encodeId } from '../../model/identifiers.js';
import { applyContentModifiersToJson } from '../../model/modifiers.js';
import { modelReference } from '../../model/references.js';
import { modifiersOf, pathId } from '../query.js';

const SUBMODEL = { modelType: 'Submodel' };
import { elementRoutes } from './element-routes.js';
import { noContent, ok, okJson, written, type Route, type Services } from '../route.js';

export interface SubmodelDoor {
  /** Path template of the submodel root, relative to the API base path. */
  root: string;
  /** The id of the submodel the request addresses, after the door's own checks (404 when they fail). */
  submodelId(req: ApiRequest, s: Services): Promise<string>;
  /** DELETE of the root (through a shell it also drops the shell's reference). */
  delete(req: ApiRequest, s: Services): Promise<void>;
}

/** The root's URL path for a request, for Location headers: the template with the request's encoded ids. */
export function rootLocation(door: SubmodelDoor, req: ApiRequest, s: Services): string {
  return s.config.basePath + door.root.replace(/\{(\w+)\}/g, (_, name: string) => encodeId(pathId(req, name)));
}

/**
 * A read under a submodel with `read`-mapped properties reads them from their devices first (asset
 * connections), so the reply carries current values. The raw path id suffices: both doors name it so, and a
 * read the door then refuses (404) merely read a device for nothing.
 */
function withDeviceReads(route: Route): Route {
  if (route.method !== 'GET') return route;
  return {
    ...route,
    async handle(req, s) {
      const id = pathId(req, 'submodelIdentifier');
      if (s.assetConnections.hasReadMappings(id)) {
        await s.assetConnections.refresh(id, req.params.idShortPath === undefined ? undefined : String(req.params.idShortPath));
      }
      return route.handle(req, s);
    },
  };
}

export function submodelApiRoutes(door: SubmodelDoor): Route[] {
  return rootAndElementRoutes(door).map(withDeviceReads);
}

function rootAndElementRoutes(door: SubmodelDoor): Route[] {
  return [
    ...elementRoutes(door, (req, s) => rootLocation(door, req, s)),
    {
      method: 'GET',
      path: door.root,
      async handle(req, s) {
        const modifiers = modifiersOf(req, SUBMODEL, 'GET', 'normal');
        return okJson(applyContentModifiersToJson(await s.submodels.getJson(await door.submodelId(req, s)), modifiers));
      },
    },
    {
      method: 'PUT',
      path: door.root,
      jsonBody: true,
      async handle(req, s) {
        return written(await s.submodels.put(await door.submodelId(req, s), req.body), rootLocation(door, req, s));
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
        modifiersOf(req, SUBMODEL, 'GET', '$metadata');
        return ok(await s.submodels.getMetadata(await door.submodelId(req, s)));
      },
    },
    {
      method: 'GET',
      path: `${door.root}/$reference`,
      async handle(req, s) {
        modifiersOf(req, SUBMODEL, 'GET', '$reference');
        return ok(modelReference('Submodel', await s.submodels.requireExists(await door.submodelId(req, s))));
      },
    },
  ];
}

const smId = (req: ApiRequest) => pathId(req, 'submodelIdentifier');
const aasId = (req: ApiRequest) => pathId(req, 'aasIdentifier');

export const submodelRepositoryDoor: SubmodelDoor = {
  root: '/submodels/{submodelIdentifier}',
  submodelId: async (req) => smId(req),
  delete: (req, s) => s.submodels.delete(smId(req)),
};

/** Through a shell: the shell must reference the submodel (404 otherwise); DELETE also drops the reference. */
export const shellSubmodelDoor: SubmodelDoor = {
  root: '/shells/{aasIdentifier}/submodels/{submodelIdentifier}',
  submodelId: async (req, s) => s.shells.requireSubmodelRef(aasId(req), smId(req)).then(() => smId(req)),
  delete: (req, s) => s.shells.deleteSubmodel(aasId(req), smId(req)),
};
