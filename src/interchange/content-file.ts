/**
 * A file of AAS content as the importers see it, by its extension: an AASX package (`.aasx`), the AAS XML
 * serialization (`.xml`, 3.0 or 3.1) or JSON (`.json`, an Environment). What it holds is parsed, not validated.
 */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { BadRequest } from '../errors.js';
import type { ImportContent } from '../services/content-import.js';
import { readAasx, type AasxLimits } from './aasx/index.js';
import { xmlToEnvironment } from './xml/index.js';

export const CONTENT_EXTENSIONS = ['.aasx', '.xml', '.json'];

export interface OpenedContent extends ImportContent {
  /** Releases the file (an AASX package is read lazily); call it once the import is done, also after a failure. */
  close(): void;
}

export async function openContentFile(file: string, limits?: Partial<AasxLimits>): Promise<OpenedContent> {
  const extension = extname(file).toLowerCase();
  if (extension === '.aasx') {
    const aasx = await readAasx(file, limits);
    return { environment: aasx.environment, files: aasx.files, close: () => aasx.close() };
  }
  if (extension === '.xml') return { environment: xmlToEnvironment(await readFile(file, 'utf8')), close: () => {} };
  if (extension === '.json') {
    const text = await readFile(file, 'utf8');
    try {
      return { environment: JSON.parse(text) as unknown, close: () => {} };
    } catch (e) {
      throw new BadRequest(`${file} is not valid JSON: ${(e as Error).message}`);
    }
  }
  throw new BadRequest(`${file}: only ${CONTENT_EXTENSIONS.join(', ')} files hold AAS content`);
}
