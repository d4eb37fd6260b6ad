/** AssetAdministrationShellRepositoryServiceSpecification: shells, asset information, submodel references. */
import { encodeId } from '../../model/identifiers.js';
import { toPagedResult } from '../../model/paging.js';
import { modelReference } from '../../model/references.js';
import { modifiersOf, pageOf, pathId, shellFilter } from '../query.js';
import type { ShellFilter } from '../../store/store.js';
import { noContent, ok, withWarnings, written, type Route } from '../route.js';
import { thumbnailRoutes } from './attachments.js';
import { identifiableRoutes, referenceListRoute, type IdentifiableRoutesSpec } from './identifiable-routes.js';

const AAS = '/shells/{aasIdentifier}';
const SHELL = { modelType: 'AssetAdministrationShell' };

const shells: IdentifiableRoutesSpec<ShellFilter> = {
  collection: '/shells',
  idParam: 'aasIdentifier',
  repository: (s) => s.shells,
  filter: shellFilter,
};

export const shellRoutes: Route[] = [
  ...identifiableRoutes(shells),
  referenceListRoute(shells, 'AssetAdministrationShell'),
  {
    method: 'GET',
    path: `${AAS}/$reference`,
    async handle(req, s) {
      modifiersOf(req, SHELL, 'GET', '$reference');
      return ok(modelReference('AssetAdministrationShell', await s.shells.requireExists(pathId(req, 'aasIdentifier'))));
    },
  },
  {
    method: 'GET',
    path: `${AAS}/asset-information`,
    async handle(req, s) {
      return ok(await s.shells.getAssetInformation(pathId(req, 'aasIdentifier')));
    },
  },
  {
    method: 'PUT',
    path: `${AAS}/asset-information`,
    jsonBody: true,
    async handle(req, s) {
      const result = await s.shells.putAssetInformation(pathId(req, 'aasIdentifier'), req.body);
      return withWarnings(noContent(), result.warnings);
    },
  },
  ...thumbnailRoutes(AAS),
  {
    method: 'GET',
    path: `${AAS}/submodel-refs`,
    async handle(req, s) {
      return ok(toPagedResult(await s.shells.listSubmodelRefs(pathId(req, 'aasIdentifier'), pageOf(req, s))));
    },
  },
  {
    method: 'POST',
    path: `${AAS}/submodel-refs`,
    jsonBody: true,
    async handle(req, s) {
      const aasId = pathId(req, 'aasIdentifier');
      const result = await s.shells.addSubmodelRef(aasId, req.body);
      const smId = result.doc.keys.find((k) => k.type === 'Submodel')?.value ?? result.doc.keys[0].value;
      return written(result, `${s.config.basePath}/shells/${encodeId(aasId)}/submodel-refs/${encodeId(smId)}`, { alwaysCreated: true });
    },
  },
  {
    method: 'DELETE',
    path: `${AAS}/submodel-refs/{submodelIdentifier}`,
    async handle(req, s) {
      await s.shells.deleteSubmodelRef(pathId(req, 'aasIdentifier'), pathId(req, 'submodelIdentifier'));
      return noContent();
    },
  },
];
