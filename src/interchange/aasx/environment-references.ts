/**
 * The package-internal files an environment refers to (Part 5 §4.2): File.value of File elements at any depth
 * and the shells' assetInformation.defaultThumbnail.path. References with a URI scheme (`https:`…) point
 * outside the package and are left out.
 */
import { isExternalPath, shellAttachmentPaths, submodelAttachmentPaths } from '../../model/attachment-paths.js';
import type { Environment } from '../../model/types.js';

export interface EnvironmentReferences {
  /** File.value of every File element, each once, in document order. */
  files: string[];
  /** defaultThumbnail.path of every shell, each once, in document order. */
  thumbnails: string[];
}

export function environmentReferences(environment: Environment): EnvironmentReferences {
  const files = new Set<string>();
  const thumbnails = new Set<string>();
  for (const submodel of environment.submodels ?? []) for (const path of submodelAttachmentPaths(submodel)) files.add(path);
  for (const shell of environment.assetAdministrationShells ?? []) for (const path of shellAttachmentPaths(shell)) thumbnails.add(path);
  const internal = (paths: Set<string>) => [...paths].filter((path) => path !== '' && !isExternalPath(path));
  return { files: internal(files), thumbnails: internal(thumbnails) };
}
