/**
 * The asset connection: one OPC UA server and what of the model it feeds. One schema for all three ways of
 * declaring connections (the configuration file, the `/asset-connections` REST resource, and the defaults the
 * model-driven bindings fill in), checked with ajv; `resolveConnection` fills in the defaults.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { ValidationFailed } from '../../errors.js';
import { parseIdShortPath } from '../../model/id-short-path.js';
import { describeSchemaErrors } from '../../validation/schema/describe-errors.js';

const Milliseconds = (description: string, minimum = 0, maximum = 3_600_000) =>
  Type.Integer({ minimum, maximum, description: `${description} (milliseconds)` });

const IdShortPathText = Type.String({
  minLength: 1,
  maxLength: 2048,
  description: 'idShortPath of the element inside the submodel, e.g. `Axes.Spindle.Speed` or `Temperatures[2]`',
});

/**
 * An OPC UA NodeId in its string form: `ns=<index>;<i|s|g|b>=<id>`, or `nsu=<namespace URI>;<i|s|g|b>=<id>`,
 * which is resolved against the server's namespace array at connect (indexes may change when a server restarts).
 */
export const NodeIdText = Type.String({
  minLength: 3,
  maxLength: 4096,
  pattern: '^((ns=[0-9]+|nsu=[^;]+);)?[isgb]=.+$',
  description: 'OPC UA NodeId, `ns=2;s=Machine.Speed` or `nsu=urn:vendor:machine;s=Machine.Speed`',
});

export const MAPPING_MODES = ['subscribe', 'read', 'write'] as const;
export type MappingMode = (typeof MAPPING_MODES)[number];

export const PropertyMapping = Type.Object(
  {
    submodelId: Type.String({ minLength: 1, maxLength: 2048 }),
    idShortPath: IdShortPathText,
    nodeId: NodeIdText,
    modes: Type.Array(Type.Union(MAPPING_MODES.map((m) => Type.Literal(m))), {
      minItems: 1,
      uniqueItems: true,
      description:
        '`subscribe`: the server pushes changes into the property; `read`: read from the device on every API read ' +
        'of the property; `write`: PUT/PATCH of the value writes to the device first',
    }),
    samplingInterval: Type.Optional(Milliseconds('Sampling interval asked of the server for `subscribe`; 0 reports every change', 0, 86_400_000)),
    deadband: Type.Optional(
      Type.Object(
        {
          type: Type.Union([Type.Literal('absolute'), Type.Literal('percent')]),
          value: Type.Number({ minimum: 0 }),
        },
        { additionalProperties: false, description: 'Changes smaller than this are not reported (`subscribe` of numeric nodes)' },
      ),
    ),
  },
  { additionalProperties: false, description: 'A Property or MultiLanguageProperty bound to an OPC UA variable' },
);
export type PropertyMapping = Static<typeof PropertyMapping>;

export const MethodMapping = Type.Object(
  {
    submodelId: Type.String({ minLength: 1, maxLength: 2048 }),
    idShortPath: IdShortPathText,
    objectId: NodeIdText,
    methodId: NodeIdText,
    arguments: Type.Optional(
      Type.Record(Type.String({ minLength: 1 }), Type.String({ minLength: 1 }), {
        description:
          'Operation variable idShort → OPC UA argument name, where they differ (arguments are matched by name)',
      }),
    ),
  },
  { additionalProperties: false, description: 'An Operation bound to an OPC UA method' },
);
export type MethodMapping = Static<typeof MethodMapping>;

export const ModelBinding = Type.Object(
  {
    jsonPath: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 1024,
        description:
          'JSONPath (no script or filter expressions) evaluated on each submodel; the selected elements that carry ' +
          '`opcua:nodeId` or `opcua:methodId` qualifiers are bound. Default `$..qualifiers^` (every element with qualifiers)',
      }),
    ),
    submodelIds: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 2048 }), { uniqueItems: true, description: 'Submodels to look in (default: all)' }),
    ),
  },
  { additionalProperties: false },
);
export type ModelBinding = Static<typeof ModelBinding>;

export const SECURITY_MODES = ['None', 'Sign', 'SignAndEncrypt'] as const;
export const SECURITY_POLICIES = ['None', 'Basic256Sha256', 'Aes128_Sha256_RsaOaep', 'Aes256_Sha256_RsaPss'] as const;

export const AssetConnectionConfig = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$', description: 'Unique name of the connection' }),
    endpointUrl: Type.String({ pattern: '^opc\\.tcp://[^\\s/]+(:[0-9]+)?(/\\S*)?$', maxLength: 2048 }),
    securityMode: Type.Optional(Type.Union(SECURITY_MODES.map((m) => Type.Literal(m)), { description: 'Default None' })),
    securityPolicy: Type.Optional(Type.Union(SECURITY_POLICIES.map((p) => Type.Literal(p)), { description: 'Default None' })),
    user: Type.Optional(
      Type.Object(
        {
          username: Type.String({ minLength: 1 }),
          password: Type.Optional(Type.String({ description: 'Write-only: never returned by the API' })),
        },
        { additionalProperties: false, description: 'User name and password; anonymous when absent' },
      ),
    ),
    publishingInterval: Type.Optional(Milliseconds('Publishing interval of the connection\'s subscription, default 50', 10, 60_000)),
    requestTimeout: Type.Optional(Milliseconds('Timeout of reads, writes and method calls, default 5000', 100, 600_000)),
    reconnectDelay: Type.Optional(
      Type.Object(
        {
          initial: Milliseconds('First retry after a lost or failed connection, default 250', 10, 600_000),
          max: Milliseconds('Longest wait between retries (the delay doubles up to it), default 2000', 10, 600_000),
        },
        { additionalProperties: false },
      ),
    ),
    mappings: Type.Optional(Type.Array(PropertyMapping, { maxItems: 100_000 })),
    methods: Type.Optional(Type.Array(MethodMapping, { maxItems: 10_000 })),
    model: Type.Optional(ModelBinding),
  },
  { additionalProperties: false, $id: 'AssetConnection' },
);
export type AssetConnectionConfig = Static<typeof AssetConnectionConfig>;

export const AssetConnectionFile = Type.Object(
  { connections: Type.Array(AssetConnectionConfig) },
  { additionalProperties: false, description: 'The asset connection configuration file (JSON or YAML)' },
);
export type AssetConnectionFile = Static<typeof AssetConnectionFile>;

/** A connection with every default filled in. */
export interface ResolvedConnection extends Omit<AssetConnectionConfig, 'mappings' | 'methods'> {
  securityMode: (typeof SECURITY_MODES)[number];
  securityPolicy: (typeof SECURITY_POLICIES)[number];
  publishingInterval: number;
  requestTimeout: number;
  reconnectDelay: { initial: number; max: number };
  mappings: PropertyMapping[];
  methods: MethodMapping[];
}

export const DEFAULT_SAMPLING_INTERVAL = 0;

const ajv = new Ajv2020({ allErrors: true, verbose: true, strict: true, unicodeRegExp: false });
const checkConnection = ajv.compile<AssetConnectionConfig>(AssetConnectionConfig);
const checkFile = ajv.compile<AssetConnectionFile>(AssetConnectionFile);

/** Rules the schema cannot say. */
function crossChecks(c: AssetConnectionConfig, at: string): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  const mode = c.securityMode ?? 'None';
  const policy = c.securityPolicy ?? 'None';
  if ((mode === 'None') !== (policy === 'None')) {
    problems.push({ path: `${at}.securityPolicy`, message: `securityMode ${mode} needs ${mode === 'None' ? 'securityPolicy None' : 'a securityPolicy other than None'}` });
  }
  if (c.reconnectDelay && c.reconnectDelay.initial > c.reconnectDelay.max) {
    problems.push({ path: `${at}.reconnectDelay`, message: 'initial must not exceed max' });
  }
  const targets = new Set<string>();
  const noteTarget = (submodelId: string, idShortPath: string, path: string) => {
    try {
      parseIdShortPath(idShortPath);
    } catch (e) {
      problems.push({ path: `${path}.idShortPath`, message: (e as Error).message });
    }
    const key = `${submodelId}\u0000${idShortPath}`;
    if (targets.has(key)) problems.push({ path, message: `${submodelId} ${idShortPath} is mapped twice` });
    targets.add(key);
  };
  c.mappings?.forEach((m, i) => noteTarget(m.submodelId, m.idShortPath, `${at}.mappings[${i}]`));
  c.methods?.forEach((m, i) => noteTarget(m.submodelId, m.idShortPath, `${at}.methods[${i}]`));
  return problems;
}

function fail(what: string, issues: { path: string; message: string }[]): never {
  throw new ValidationFailed(
    `${what} is not a valid asset connection configuration`,
    issues.map((i) => ({ path: i.path, text: `${i.path}: ${i.message}` })),
  );
}

/** Checks one connection (a REST body); ValidationFailed (400) lists every problem with its JSON path. */
export function parseConnection(value: unknown): AssetConnectionConfig {
  if (!checkConnection(value)) fail('The body', describeSchemaErrors(checkConnection.errors ?? [], value, 20));
  const problems = crossChecks(value, '$');
  if (problems.length > 0) fail('The body', problems);
  return value;
}

/** Checks a whole configuration file's content; ids must be unique. */
export function parseConnectionFile(value: unknown, fileName: string): AssetConnectionConfig[] {
  if (!checkFile(value)) fail(fileName, describeSchemaErrors(checkFile.errors ?? [], value, 20));
  const problems = value.connections.flatMap((c, i) => crossChecks(c, `$.connections[${i}]`));
  const seen = new Set<string>();
  value.connections.forEach((c, i) => {
    if (seen.has(c.id)) problems.push({ path: `$.connections[${i}].id`, message: `id ${c.id} is used twice` });
    seen.add(c.id);
  });
  if (problems.length > 0) fail(fileName, problems);
  return value.connections;
}

export function resolveConnection(c: AssetConnectionConfig): ResolvedConnection {
  return {
    ...c,
    securityMode: c.securityMode ?? 'None',
    securityPolicy: c.securityPolicy ?? 'None',
    publishingInterval: c.publishingInterval ?? 50,
    requestTimeout: c.requestTimeout ?? 5000,
    reconnectDelay: c.reconnectDelay ?? { initial: 250, max: 2000 },
    mappings: c.mappings ?? [],
    methods: c.methods ?? [],
  };
}

/** The connection as the API shows it: the password never leaves the server. */
export function withoutSecrets(c: AssetConnectionConfig): AssetConnectionConfig {
  if (c.user?.password === undefined) return c;
  return { ...c, user: { username: c.user.username } };
}
