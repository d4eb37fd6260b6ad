/**
 * Configuration: environment variables, each mirrored by a CLI flag (the flag wins). The table below is the
 * single list of settings; the README's configuration table is written from it.
 */
import { parseArgs } from 'node:util';
import { parseDelegationAllowList } from './services/operations/delegation-guard.js';
import { parseXsDuration } from './services/operations/xs-duration.js';

export interface Config {
  port: number;
  host: string;
  /** API base path, '' or starting with '/' and without a trailing '/'. */
  basePath: string;
  store: 'embedded' | 'mongodb';
  dataDir: string;
  preloadDir?: string;
  demo: boolean;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  validation: 'strict' | 'lenient';
  /** Largest `limit` a list request may ask for; larger ones are served this many. */
  maxPageLimit: number;
  /** Largest accepted JSON request body, in bytes. */
  bodyLimit: number;
  /** Largest attachment upload (File content, thumbnail), in bytes; a Blob is also held to half of bodyLimit. */
  attachmentLimit: number;
  /** Largest AASX package upload to `/packages`, in bytes. */
  packageLimit: number;
  mongodbUri?: string;
  mongodbDatabase: string;
  /** How long a MongoDB operation waits for a reachable server before answering 503, in milliseconds. */
  mongodbTimeout: number;
  /** Operation invocation (Part 2 Invoke): timeouts in milliseconds, see src/services/operations/. */
  operationTimeout: number;
  operationMaxTimeout: number;
  operationResultTtl: number;
  operationResultLimit: number;
  /** URL prefixes and host names the HTTP delegation handler may call; empty: none. */
  operationDelegationAllow: string[];
  operationDelegationAllowLinkLocal: boolean;
  operationDelegationMaxResponse: number;
  /** Asset connection configuration file (JSON or YAML), see src/connectors/opcua/. */
  assetConnectionsFile?: string;
  /** Where the OPC UA client keeps its certificate and trust lists; default `<dataDir>/opcua-pki`. */
  opcuaPkiDir?: string;
  /** Endpoint of the demo machines' OPC UA server, used by the demo's asset connection. */
  demoOpcuaEndpoint: string;
}

interface Setting<K extends keyof Config> {
  key: K;
  env: string;
  flag: string;
  description: string;
  default: Config[K];
  parse(raw: string): Config[K];
}

export class ConfigError extends Error {}

function integer(min: number) {
  return (raw: string): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new ConfigError(`expected an integer ≥ ${min}, got "${raw}"`);
    return n;
  };
}

function oneOf<T extends string>(...values: T[]) {
  return (raw: string): T => {
    if (!(values as string[]).includes(raw)) throw new ConfigError(`expected one of ${values.join(', ')}, got "${raw}"`);
    return raw as T;
  };
}

function boolean(raw: string): boolean {
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(`expected true or false, got "${raw}"`);
}

/** Sizes like `10mb`, `512kb`, `1048576`. */
export function parseSize(raw: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(raw.trim());
  if (!m) throw new ConfigError(`expected a size such as 10mb, got "${raw}"`);
  const factor = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(m[2] ?? 'b').toLowerCase() as 'b'];
  return Math.floor(Number(m[1]) * factor);
}

function basePath(raw: string): string {
  const trimmed = raw.trim().replace(/\/+$/, '');
  if (trimmed === '') return '';
  if (!/^(\/[A-Za-z0-9._~-]+)+$/.test(trimmed)) throw new ConfigError(`expected a path such as /api/v3.0, got "${raw}"`);
  return trimmed;
}

const text = (raw: string): string => raw;

/** xs:duration such as `PT60S` or `PT1H`, in milliseconds. */
function duration(raw: string): number {
  const ms = parseXsDuration(raw.trim());
  if (ms === undefined || ms < 0) throw new ConfigError(`expected a duration such as PT60S, got "${raw}"`);
  return ms;
}

function allowList(raw: string): string[] {
  try {
    return parseDelegationAllowList(raw);
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
}

/** Every setting, in the order the README lists them. */
export const SETTINGS = [
  { key: 'port', env: 'AAS_PORT', flag: 'port', default: 8081, parse: integer(0), description: 'TCP port to listen on (0 picks a free one).' },
  { key: 'host', env: 'AAS_HOST', flag: 'host', default: '0.0.0.0', parse: text, description: 'Address to bind.' },
  { key: 'basePath', env: 'AAS_BASE_PATH', flag: 'base-path', default: '/api/v3.0', parse: basePath, description: 'Base path of the Part 2 API; may be empty.' },
  { key: 'store', env: 'AAS_STORE', flag: 'store', default: 'embedded', parse: oneOf('embedded', 'mongodb'), description: '`embedded` (SQLite file in the data directory) or `mongodb`.' },
  { key: 'dataDir', env: 'AAS_DATA_DIR', flag: 'data-dir', default: './data', parse: text, description: 'Directory of the embedded store.' },
  { key: 'preloadDir', env: 'AAS_PRELOAD_DIR', flag: 'preload-dir', default: undefined, parse: text, description: 'Directory whose AASX packages (`*.aasx`, with their files), AAS XML (`*.xml`, 3.0 or 3.1) and JSON (`*.json`) environments are loaded at start (existing ids are replaced).' },
  { key: 'demo', env: 'AAS_DEMO', flag: 'demo', default: true, parse: boolean, description: 'Load the demo environment into an empty store at start.' },
  { key: 'logLevel', env: 'AAS_LOG_LEVEL', flag: 'log-level', default: 'info', parse: oneOf('fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'), description: 'Log level of the JSON log on stdout.' },
  { key: 'validation', env: 'AAS_VALIDATION', flag: 'validation', default: 'strict', parse: oneOf('strict', 'lenient'), description: '`strict`: schema and constraint violations are rejected; `lenient`: constraint violations are stored and reported as warnings.' },
  { key: 'maxPageLimit', env: 'AAS_MAX_PAGE_LIMIT', flag: 'max-page-limit', default: 1000, parse: integer(1), description: 'Largest page a list returns, whatever `limit` asks.' },
  { key: 'bodyLimit', env: 'AAS_BODY_LIMIT', flag: 'body-limit', default: 10 * 1024 ** 2, parse: parseSize, description: 'Largest JSON request body (e.g. `10mb`); larger ones get 413.' },
  { key: 'attachmentLimit', env: 'AAS_ATTACHMENT_LIMIT', flag: 'attachment-limit', default: 100 * 1024 ** 2, parse: parseSize, description: 'Largest attachment upload (File content, thumbnail; e.g. `100mb`); larger ones get 413. A Blob upload, stored as base64 inside its submodel, is also held to half of `AAS_BODY_LIMIT`.' },
  { key: 'packageLimit', env: 'AAS_PACKAGE_LIMIT', flag: 'package-limit', default: 512 * 1024 ** 2, parse: parseSize, description: 'Largest AASX package upload to `/packages` (e.g. `512mb`); larger ones get 413. Each file inside is also held to `AAS_ATTACHMENT_LIMIT`.' },
  { key: 'mongodbUri', env: 'MONGODB_URI', flag: 'mongodb-uri', default: undefined, parse: text, description: 'MongoDB connection string (with `AAS_STORE=mongodb`).' },
  { key: 'mongodbDatabase', env: 'AAS_MONGODB_DATABASE', flag: 'mongodb-database', default: 'aas', parse: text, description: 'MongoDB database name.' },
  { key: 'mongodbTimeout', env: 'AAS_MONGODB_TIMEOUT', flag: 'mongodb-timeout', default: 5000, parse: duration, description: 'How long a request waits for a reachable MongoDB server before it is answered 503 (xs:duration).' },
  { key: 'operationTimeout', env: 'AAS_OPERATION_TIMEOUT', flag: 'operation-timeout', default: 60_000, parse: duration, description: 'Timeout of an Operation invocation whose request has no `clientTimeoutDuration` (xs:duration).' },
  { key: 'operationMaxTimeout', env: 'AAS_OPERATION_MAX_TIMEOUT', flag: 'operation-max-timeout', default: 3_600_000, parse: duration, description: 'Longest timeout an invocation gets, whatever `clientTimeoutDuration` asks.' },
  { key: 'operationResultTtl', env: 'AAS_OPERATION_RESULT_TTL', flag: 'operation-result-ttl', default: 3_600_000, parse: duration, description: 'How long the result of an asynchronous invocation stays retrievable after it finished.' },
  { key: 'operationResultLimit', env: 'AAS_OPERATION_RESULT_LIMIT', flag: 'operation-result-limit', default: 1000, parse: integer(1), description: 'Most asynchronous invocations kept at once (running and finished); the oldest finished result makes room.' },
  { key: 'operationDelegationAllow', env: 'AAS_OPERATION_DELEGATION_ALLOW', flag: 'operation-delegation-allow', default: [], parse: allowList, description: 'Comma-separated URL prefixes and host names that Operations with an `invocationDelegation` qualifier may call; empty: none.' },
  { key: 'operationDelegationAllowLinkLocal', env: 'AAS_OPERATION_DELEGATION_ALLOW_LINK_LOCAL', flag: 'operation-delegation-allow-link-local', default: false, parse: boolean, description: 'Let delegation reach link-local and cloud metadata addresses (169.254.0.0/16, fe80::/10, fd00:ec2::254).' },
  { key: 'operationDelegationMaxResponse', env: 'AAS_OPERATION_DELEGATION_MAX_RESPONSE', flag: 'operation-delegation-max-response', default: 10 * 1024 ** 2, parse: parseSize, description: 'Largest response read from a delegation target (e.g. `1mb`).' },
  { key: 'assetConnectionsFile', env: 'AAS_ASSET_CONNECTIONS', flag: 'asset-connections', default: undefined, parse: text, description: 'OPC UA asset connection file (JSON or YAML, `{"connections": [...]}`); checked at start, a bad file is logged and ignored.' },
  { key: 'opcuaPkiDir', env: 'AAS_OPCUA_PKI_DIR', flag: 'opcua-pki-dir', default: undefined, parse: text, description: 'Certificate store of the OPC UA client (its own certificate, trusted and rejected server certificates); default `<data dir>/opcua-pki`.' },
  { key: 'demoOpcuaEndpoint', env: 'AAS_DEMO_OPCUA_ENDPOINT', flag: 'demo-opcua-endpoint', default: 'opc.tcp://127.0.0.1:4840', parse: text, description: 'Endpoint of the demo machines\' OPC UA simulator (`npm run opcua-sim`), used by the demo asset connection created with the demo data.' },
] as const satisfies readonly Setting<keyof Config>[];

/**
 * Reads the configuration from the environment and the command line. Throws ConfigError naming the setting
 * when a value is malformed, so a typo stops the server at start instead of running with a surprise.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = process.argv.slice(2)): Config {
  const options: Record<string, { type: 'string' | 'boolean' }> = {};
  for (const s of SETTINGS) options[s.flag] = { type: s.key === 'demo' ? 'boolean' : 'string' };
  options['no-demo'] = { type: 'boolean' };
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: argv, options, strict: true }).values;
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
  if (values['no-demo']) values.demo = false;
  const config: Record<string, unknown> = {};
  for (const s of SETTINGS as readonly Setting<keyof Config>[]) {
    const fromFlag = values[s.flag];
    const raw = fromFlag !== undefined ? String(fromFlag) : env[s.env];
    try {
      config[s.key] = raw === undefined || raw === '' && s.key !== 'basePath' ? s.default : s.parse(raw);
    } catch (e) {
      throw new ConfigError(`${s.env} / --${s.flag}: ${(e as Error).message}`);
    }
  }
  return config as unknown as Config;
}
