/** The asset connection configuration file: JSON, or YAML by its extension (`.yaml`, `.yml`). */
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { Logger } from '../../logger.js';
import { parseConnectionFile, type AssetConnectionConfig } from './connection-config.js';

/**
 * The file's connections. A file that cannot be read or parsed, or breaks the schema, is logged with every
 * problem and its path, and yields no connections: bad configuration never stops the server.
 */
export async function loadConnectionFile(file: string | undefined, logger: Logger): Promise<AssetConnectionConfig[]> {
  if (file === undefined) return [];
  try {
    const text = await readFile(file, 'utf8');
    const yaml = ['.yaml', '.yml'].includes(extname(file).toLowerCase());
    const connections = parseConnectionFile(yaml ? parseYaml(text) : JSON.parse(text), file);
    logger.info({ file, connections: connections.length }, 'asset connection file loaded');
    return connections;
  } catch (e) {
    const details = (e as { details?: { text: string }[] }).details?.map((d) => d.text);
    logger.error({ file, err: (e as Error).message, details }, 'asset connection file ignored: no connections from it are started');
    return [];
  }
}
