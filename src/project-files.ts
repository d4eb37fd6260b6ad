/** Files that ship with the project (demo data, OpenAPI, schemas), found from here under tsx (src/) and tsc (dist/) alike. */
import { fileURLToPath } from 'node:url';

const ROOT = new URL('../', import.meta.url);

export function projectFile(relative: string): string {
  return fileURLToPath(new URL(relative, ROOT));
}
