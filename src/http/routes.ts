/** Every route of the Part 2 API this server serves (and its `/asset-connections` extension), relative to the API base path. */
import type { Route } from './route.js';
import { assetConnectionRoutes } from './routes/asset-connections.js';
import { attachmentRoutes } from './routes/attachments.js';
import { conceptDescriptionRoutes } from './routes/concept-descriptions.js';
import { descriptionRoutes } from './routes/description.js';
import { operationRoutes } from './routes/operation-routes.js';
import { packageRoutes } from './routes/packages.js';
import { serializationRoutes } from './routes/serialization.js';
import { shellRoutes } from './routes/shells.js';
import { shellSubmodelDoor, submodelApiRoutes, submodelRepositoryDoor } from './routes/submodel-api.js';
import { submodelRoutes } from './routes/submodels.js';

export const ROUTES: readonly Route[] = [
  ...descriptionRoutes,
  ...serializationRoutes,
  ...shellRoutes,
  ...submodelApiRoutes(shellSubmodelDoor),
  ...attachmentRoutes(shellSubmodelDoor),
  ...operationRoutes(shellSubmodelDoor),
  ...submodelRoutes,
  ...submodelApiRoutes(submodelRepositoryDoor),
  ...attachmentRoutes(submodelRepositoryDoor),
  ...operationRoutes(submodelRepositoryDoor),
  ...conceptDescriptionRoutes,
  ...packageRoutes,
  ...assetConnectionRoutes,
];
