/**
 * The container files (Dockerfile, .dockerignore, docker-compose.yml) checked against what the server and the
 * OPC UA simulator actually read: setting names, run-time files, ports, the data directory. No Docker engine runs
 * where this project is built, so a misspelt variable or a forgotten COPY would otherwise surface only on a
 * user's machine.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { loadConfig, SETTINGS } from '../../src/config.js';
import { projectFile } from '../../src/project-files.js';

const read = (relative: string) => readFileSync(projectFile(relative), 'utf8');

// ---- Dockerfile: logical instructions grouped by stage ----

interface Instruction {
  keyword: string;
  args: string;
  /** WORKDIR in effect when the instruction runs. */
  workdir: string;
}
interface Stage {
  base: string;
  name?: string;
  instructions: Instruction[];
}

/** The WORKDIR in effect after these instructions ('/' when none set one). */
function workdirAfter(instructions: readonly Instruction[]): string {
  return instructions.filter((i) => i.keyword === 'WORKDIR').at(-1)?.args ?? '/';
}

function parseDockerfile(text: string): Stage[] {
  const lines: string[] = [];
  let pending = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    // Comments and blank lines are dropped, also inside a continued instruction (as Docker does).
    if (line === '' || line.startsWith('#')) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    lines.push(pending + line);
    pending = '';
  }
  const stages: Stage[] = [];
  for (const line of lines) {
    const [, word, args] = /^(\S+)\s*(.*)$/s.exec(line)!;
    const keyword = word.toUpperCase();
    if (keyword === 'FROM') {
      const [base, as, name] = args.split(/\s+/).filter((t) => !t.startsWith('--'));
      stages.push({ base, name: as?.toUpperCase() === 'AS' ? name : undefined, instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) continue; // ARG before the first FROM
    const current = workdirAfter(stage.instructions);
    const workdir = keyword === 'WORKDIR' ? posix.resolve(current, args) : current;
    stage.instructions.push({ keyword, args: keyword === 'WORKDIR' ? workdir : args, workdir });
  }
  return stages;
}

/** `["a", "b"]` (exec form) or whitespace-separated words (shell form), with `--flag=value` options split off. */
function words(args: string): { flags: Record<string, string>; rest: string[] } {
  const all = args.startsWith('[') ? (JSON.parse(args) as string[]) : args.split(/\s+/).filter(Boolean);
  const flags: Record<string, string> = {};
  const rest: string[] = [];
  for (const w of all) {
    const flag = /^--([a-z-]+)=(.*)$/.exec(w);
    if (flag && rest.length === 0) flags[flag[1]] = flag[2];
    else rest.push(w);
  }
  return { flags, rest };
}

/** `ENV A=1 B="x y"` (and the legacy `ENV A 1`). */
function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const { args } of stage.instructions.filter((i) => i.keyword === 'ENV')) {
    const pairs = [...args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|'([^']*)'|\S*)/g)];
    if (pairs.length === 0) {
      const [, name, value] = /^(\S+)\s+(.*)$/.exec(args)!;
      env[name] = value;
    }
    for (const p of pairs) env[p[1]] = p[3] ?? p[4] ?? p[2];
  }
  return env;
}

interface Copy {
  from?: string;
  sources: string[];
  /** Absolute destination as written (a trailing '/' kept: it makes the destination a directory). */
  destination: string;
}

function copiesOf(stage: Stage): Copy[] {
  return stage.instructions
    .filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD')
    .map((i) => {
      const { flags, rest } = words(i.args);
      const destination = rest.at(-1)!;
      const absolute = posix.resolve(i.workdir, destination) + (destination.endsWith('/') ? '/' : '');
      return { from: flags.from, sources: rest.slice(0, -1).map((s) => s.replace(/^\.\//, '').replace(/\/$/, '')), destination: absolute };
    });
}

/** Where COPY puts `file` (a path inside `source`), following Docker's rules for file and directory sources. */
function copiedTo(copy: Copy, source: string, file: string): string | undefined {
  if ((file !== source && !file.startsWith(`${source}/`)) || !existsSync(projectFile(source))) return undefined;
  if (statSync(projectFile(source)).isDirectory()) return posix.join(copy.destination, file.slice(source.length));
  const intoDirectory = copy.destination.endsWith('/') || copy.sources.length > 1;
  return intoDirectory ? posix.join(copy.destination, posix.basename(source)) : copy.destination;
}

const stages = parseDockerfile(read('Dockerfile'));
const runtime = stages.at(-1)!;
const runtimeEnv = envOf(runtime);
const runtimeWorkdir = workdirAfter(runtime.instructions);
const only = (stage: Stage, keyword: string) => stage.instructions.filter((i) => i.keyword === keyword);

/** What the server reads in the image: the image's ENV over the defaults of src/config.ts. */
const imageConfig = loadConfig(runtimeEnv, []);

// ---- run-time files: every project file the compiled code reads, found in the sources ----

function sourceFiles(dir: string): string[] {
  return readdirSync(projectFile(dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(`${dir}/${e.name}`) : e.name.endsWith('.ts') ? [`${dir}/${e.name}`] : [],
  );
}

/** `projectFile('x')` and `new URL('../…', import.meta.url)` in src/, as paths from the project root. */
function runtimeFiles(): string[] {
  const found = new Set<string>();
  for (const file of sourceFiles('src')) {
    const text = read(file);
    for (const m of text.matchAll(/projectFile\('([^']+)'\)/g)) found.add(m[1]);
    for (const m of text.matchAll(/new URL\('(\.\.\/[^']*)', import\.meta\.url\)/g)) {
      const resolved = posix.join(posix.dirname(file), m[1]).replace(/\/$/, '');
      // '.' is the root itself (src/project-files.ts). A path inside src/ would be one under dist/ at run time.
      if (resolved !== '.' && !resolved.startsWith('..') && resolved !== 'src' && !resolved.startsWith('src/')) found.add(resolved);
    }
  }
  return [...found].sort();
}

// ---- .dockerignore: Docker's matching (root-relative globs, `**`, later `!` exceptions win) ----

const WILDCARDS = new Map([['**/', '(?:.*/)?'], ['**', '.*'], ['*', '[^/]*'], ['?', '[^/]']]);
const ignorePatterns = read('.dockerignore')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l !== '' && !l.startsWith('#'))
  .map((l) => {
    const negated = l.startsWith('!');
    const glob = posix.normalize((negated ? l.slice(1) : l).replace(/^\//, ''));
    const source = glob
      .split(/(\*\*\/|\*\*|\*|\?)/)
      .map((part) => WILDCARDS.get(part) ?? part.replace(/[.+^${}()|[\]\\]/g, '\\$&'))
      .join('');
    return { negated, regex: new RegExp(`^${source}$`) };
  });

/** Whether the build context leaves `path` out: the path or one of its parent directories matches. */
function ignored(path: string): boolean {
  const prefixes = path.split('/').map((_, i, parts) => parts.slice(0, i + 1).join('/'));
  let result = false;
  for (const p of ignorePatterns) if (prefixes.some((prefix) => p.regex.test(prefix))) result = !p.negated;
  return result;
}

// ---- docker-compose.yml ----

interface ComposeService {
  image?: string;
  build?: string | { context?: string };
  command?: string | string[];
  environment?: Record<string, unknown> | string[];
  ports?: (string | { target: number })[];
  volumes?: (string | { source?: string; target: string })[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
}

const compose = parse(read('docker-compose.yml')) as { services: Record<string, ComposeService>; volumes?: Record<string, unknown> };
const services = Object.entries(compose.services ?? {});
const commandOf = (s: ComposeService) => (Array.isArray(s.command) ? s.command : (s.command ?? '').split(/\s+/).filter(Boolean));
const builtHere = (s: ComposeService) => (typeof s.build === 'string' ? s.build : s.build?.context) === '.';

function environmentOf(s: ComposeService): Record<string, unknown> {
  if (!Array.isArray(s.environment)) return { ...s.environment };
  return Object.fromEntries(s.environment.map((e) => [e.split('=')[0], e.slice(e.indexOf('=') + 1)]));
}

function serviceNamed(description: string, test: (s: ComposeService) => boolean): [string, ComposeService] {
  const found = services.filter(([, s]) => test(s));
  assert.equal(found.length, 1, `expected one ${description} service, found ${found.map(([n]) => n).join(', ') || 'none'}`);
  return found[0];
}

const [mongoName, mongo] = serviceNamed('mongo:7', (s) => s.image === 'mongo:7');
const [simName, sim] = serviceNamed('OPC UA simulator', (s) => builtHere(s) && commandOf(s).some((w) => w.includes('opcua-simulator-main')));
const [serverName, server] = serviceNamed('AAS server', (s) => builtHere(s) && s.command === undefined);
const serverEnv = environmentOf(server);
const simEnv = environmentOf(sim);

/** The file a `node dist/….js` command runs, as its TypeScript source. */
function sourceOfCommand(command: string[]): string {
  const script = command.find((w) => /^dist\/.+\.js$/.test(w));
  assert.ok(script && command[0] === 'node', `not a "node dist/….js" command: ${command.join(' ')}`);
  return script.replace(/^dist\//, 'src/').replace(/\.js$/, '.ts');
}

/** Environment variables a source file reads: `process.env.X`, `process.env['X']`, or `f('X', …)` helpers. */
function variablesRead(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(/process\.env\.([A-Z][A-Z0-9_]*)|process\.env\[['"]([A-Z0-9_]+)['"]\]|\w\(\s*'([A-Z][A-Z0-9_]+)'/g)) names.add(m[1] ?? m[2] ?? m[3]);
  return names;
}

const volumeTargets = (s: ComposeService) => (s.volumes ?? []).map((v) => (typeof v === 'string' ? { source: v.split(':')[0], target: v.split(':')[1] } : v));
const healthcheckText = (s: ComposeService) => (Array.isArray(s.healthcheck?.test) ? s.healthcheck.test.join(' ') : (s.healthcheck?.test ?? ''));

describe('Dockerfile', () => {
  it('builds in one stage and runs on a slim Node image of the major version package.json asks for', () => {
    assert.ok(stages.length >= 2, 'expected a multi-stage build');
    const major = /(\d+)/.exec(JSON.parse(read('package.json')).engines.node as string)![1];
    for (const stage of stages) assert.match(stage.base, new RegExp(`^node:${major}[.-]`), `stage ${stage.name}: ${stage.base}`);
    assert.match(runtime.base, /-slim$/);
    const runs = only(runtime, 'RUN').map((i) => i.args).join('\n');
    assert.doesNotMatch(runs, /npm (ci|install)|apt-get install/, 'the runtime stage installs nothing');
  });

  it('runs as a user that is not root', () => {
    const user = only(runtime, 'USER').at(-1)?.args.split(':')[0];
    assert.ok(user, 'no USER in the runtime stage');
    assert.ok(!['root', '0'].includes(user), `USER ${user}`);
  });

  it('configures the server through ENV with names and values the server accepts', () => {
    const known = new Set<string>(SETTINGS.map((s) => s.env));
    for (const name of Object.keys(runtimeEnv)) assert.ok(known.has(name) || name === 'NODE_ENV', `ENV ${name} is not a setting of src/config.ts`);
    assert.equal(imageConfig.host, '0.0.0.0', 'the server must listen on every interface in a container');
    assert.ok(posix.isAbsolute(imageConfig.dataDir), `AAS_DATA_DIR ${imageConfig.dataDir} should not depend on the working directory`);
  });

  it('declares the data directory as a VOLUME the non-root user can write', () => {
    const volumes = only(runtime, 'VOLUME').flatMap((i) => words(i.args).rest);
    assert.ok(volumes.includes(imageConfig.dataDir), `VOLUME ${volumes.join(' ')} does not include AAS_DATA_DIR ${imageConfig.dataDir}`);
    const user = only(runtime, 'USER').at(-1)!.args.split(':')[0];
    const volumeAt = runtime.instructions.findIndex((i) => i.keyword === 'VOLUME');
    const chown = runtime.instructions.slice(0, volumeAt).find((i) => i.keyword === 'RUN' && new RegExp(`chown\\s+(-R\\s+)?${user}\\b[^&;]*\\s${imageConfig.dataDir}\\b`).test(i.args));
    assert.ok(chown, `no RUN chown ${user} … ${imageConfig.dataDir} before VOLUME (a new volume copies the directory's owner)`);
  });

  it('exposes the port the server listens on and checks /health on it', () => {
    const exposed = only(runtime, 'EXPOSE').flatMap((i) => words(i.args).rest.map((p) => Number(p.split('/')[0])));
    assert.ok(exposed.includes(imageConfig.port), `EXPOSE ${exposed.join(' ')} vs AAS_PORT ${imageConfig.port}`);
    const check = only(runtime, 'HEALTHCHECK').at(-1)?.args ?? '';
    assert.match(check, /\bCMD\b/);
    assert.match(check, /\/health\b/);
    assert.ok(check.includes('process.env.AAS_PORT') && check.includes(String(SETTINGS.find((s) => s.env === 'AAS_PORT')!.default)), 'the health check should follow AAS_PORT');
  });

  it('starts the compiled entry point', () => {
    const command = words(only(runtime, 'CMD').at(-1)?.args ?? '[]').rest;
    const source = sourceOfCommand(command);
    assert.equal(source, 'src/main.ts');
    assert.equal(JSON.parse(read('package.json')).main, command[1]);
  });

  it('copies every file the server reads at run time to the same place under the working directory', () => {
    const needed = runtimeFiles();
    for (const f of ['openapi/aas-server.yaml', 'openapi/parts', 'aas-schemas/metamodel.schema.json', 'package.json', 'src/demo/environment.json']) {
      assert.ok(needed.includes(f), `the source scan did not find ${f} (found ${needed.join(', ')})`);
    }
    const copies = copiesOf(runtime).filter((c) => c.from === undefined);
    for (const file of needed) {
      assert.ok(existsSync(projectFile(file)), `${file} is read at run time but does not exist`);
      const targets = copies.flatMap((c) => c.sources.map((s) => copiedTo(c, s, file)));
      assert.ok(targets.includes(posix.join(runtimeWorkdir, file)), `${file} is not copied to ${posix.join(runtimeWorkdir, file)}`);
      assert.ok(!ignored(file), `${file} is excluded by .dockerignore`);
    }
  });

  it('takes dist/ from a stage that compiles it and node_modules from one with production dependencies only', () => {
    const outDir = (JSON.parse(read('tsconfig.build.json')) as { compilerOptions: { outDir: string } }).compilerOptions.outDir;
    const fromStage = (dir: string) => {
      const copy = copiesOf(runtime).find((c) => c.from !== undefined && c.destination.replace(/\/$/, '') === posix.join(runtimeWorkdir, dir));
      assert.ok(copy, `no COPY --from=… into ${posix.join(runtimeWorkdir, dir)}`);
      const stage = stages.find((s) => s.name === copy.from);
      assert.ok(stage && stage !== runtime, `COPY --from=${copy.from}: no such stage`);
      const stageWorkdir = workdirAfter(stage.instructions);
      assert.deepEqual(copy.sources, [posix.join(stageWorkdir, dir)]);
      return only(stage, 'RUN').map((i) => i.args).join('\n');
    };
    assert.match(fromStage(outDir), /npm run build|tsc -p tsconfig\.build\.json/);
    const installs = fromStage('node_modules').match(/npm (ci|install)[^&;\n]*/g) ?? [];
    assert.ok(installs.length > 0 && installs.every((c) => c.includes('--omit=dev')), `node_modules installed by: ${installs.join(' | ') || 'nothing'}`);
  });

  it('installs from the lockfile wherever npm ci runs', () => {
    for (const stage of stages.filter((s) => only(s, 'RUN').some((i) => /npm ci\b/.test(i.args)))) {
      const sources = copiesOf(stage).flatMap((c) => c.sources);
      assert.ok(sources.includes('package-lock.json') && sources.includes('package.json'), `stage ${stage.name} runs npm ci without the lockfile`);
    }
  });
});

describe('.dockerignore', () => {
  it('keeps node_modules, dist, the data directory and git out of the build context', () => {
    for (const path of ['node_modules', 'node_modules/express/package.json', 'dist/main.js', 'data', 'data/aas.sqlite', '.git/HEAD']) {
      assert.ok(ignored(path), `${path} is sent to the build`);
    }
  });

  it('leaves in everything the Dockerfile copies from the context', () => {
    const fromContext = stages.flatMap((s) => copiesOf(s).filter((c) => c.from === undefined).flatMap((c) => c.sources));
    assert.ok(fromContext.includes('src'));
    for (const source of fromContext) {
      assert.ok(existsSync(projectFile(source)), `COPY ${source}: no such file`);
      assert.ok(!ignored(source), `COPY ${source}, but .dockerignore excludes it`);
    }
  });
});

describe('docker-compose.yml', () => {
  it('gives the server only variables the server reads, with values it accepts', () => {
    const known = new Set<string>(SETTINGS.map((s) => s.env));
    for (const [name, value] of Object.entries(serverEnv)) {
      assert.ok(known.has(name), `${serverName}: ${name} is not a setting of src/config.ts`);
      assert.equal(typeof value, 'string', `${serverName}: ${name} should be a quoted string`);
    }
    const config = loadConfig({ ...runtimeEnv, ...(serverEnv as Record<string, string>) }, []);
    assert.equal(config.store, 'mongodb');
  });

  it('points the server at the mongo service, started as a replica set that becomes healthy once writable', () => {
    const uri = new URL(String(serverEnv.MONGODB_URI));
    assert.equal(uri.protocol, 'mongodb:');
    assert.equal(uri.hostname, mongoName);
    const command = commandOf(mongo);
    const replSet = command[command.indexOf('--replSet') + 1];
    assert.ok(command.includes('--replSet') && replSet, `${mongoName} is not started with --replSet`);
    assert.ok(command.includes('--bind_ip_all'), 'mongod listens on localhost only without --bind_ip_all');
    assert.equal(uri.searchParams.get('replicaSet'), replSet);
    const check = healthcheckText(mongo);
    assert.match(check, /rs\.initiate\(/);
    assert.ok(check.includes(`_id: '${replSet}'`), `rs.initiate should name the set ${replSet}`);
    assert.ok(check.includes(`host: '${mongoName}:${uri.port || 27017}'`), 'the member host must be the name the server connects to');
    assert.match(check, /isWritablePrimary/);
    assert.deepEqual((server.depends_on as Record<string, { condition?: string }>)[mongoName], { condition: 'service_healthy' });
  });

  it('points the demo connection at the simulator service and its port', () => {
    const endpoint = new URL(String(serverEnv.AAS_DEMO_OPCUA_ENDPOINT));
    assert.equal(endpoint.protocol, 'opc.tcp:');
    assert.equal(endpoint.hostname, simName);
    assert.equal(endpoint.port, String(simEnv.OPCUA_SIM_PORT ?? 4840));
    const dependsOn = Array.isArray(server.depends_on) ? server.depends_on : Object.keys(server.depends_on ?? {});
    assert.ok(dependsOn.includes(simName), `${serverName} should depend on ${simName}`);
  });

  it('gives the simulator only variables it reads, listening on every interface, its PKI in the data volume', () => {
    const source = sourceOfCommand(commandOf(sim));
    const known = variablesRead(read(source));
    for (const name of ['OPCUA_SIM_HOST', 'OPCUA_SIM_PORT', 'OPCUA_SIM_PKI_DIR']) assert.ok(known.has(name), `${source} no longer reads ${name}?`);
    for (const [name, value] of Object.entries(simEnv)) {
      assert.ok(known.has(name), `${simName}: ${name} is not read by ${source}`);
      assert.equal(typeof value, 'string', `${simName}: ${name} should be a quoted string`);
    }
    assert.equal(simEnv.OPCUA_SIM_HOST, '0.0.0.0');
    const pki = String(simEnv.OPCUA_SIM_PKI_DIR);
    assert.ok(pki.startsWith(`${imageConfig.dataDir}/`), `${pki}: the image's files are read-only to its user; use the data volume`);
    assert.ok(healthcheckText(sim).includes(String(simEnv.OPCUA_SIM_PORT ?? 4840)), `${simName}: the image's /health check does not fit the simulator`);
  });

  it('publishes the server port and mounts named volumes on the data directories', () => {
    const config = loadConfig({ ...runtimeEnv, ...(serverEnv as Record<string, string>) }, []);
    const published = (server.ports ?? []).map((p) => (typeof p === 'string' ? Number(p.split(':').at(-1)!.split('/')[0]) : p.target));
    assert.ok(published.includes(config.port), `${serverName} publishes ${published.join(', ')}, listens on ${config.port}`);
    assert.ok(volumeTargets(server).some((v) => v.target === config.dataDir), `${serverName}: nothing mounted on ${config.dataDir}`);
    assert.ok(volumeTargets(mongo).some((v) => v.target === '/data/db'), `${mongoName}: nothing mounted on /data/db`);
    for (const [name, s] of services) {
      for (const v of volumeTargets(s)) {
        if (!v.source || v.source.startsWith('.') || v.source.startsWith('/')) continue;
        assert.ok(compose.volumes && v.source in compose.volumes, `${name}: volume ${v.source} is not declared`);
      }
    }
  });

  it('runs the server and the simulator from the image of this Dockerfile', () => {
    assert.ok(builtHere(server) && builtHere(sim));
    assert.equal(server.image, sim.image, 'one image, two commands');
  });
});

describe('README', () => {
  it('explains the containers before the configuration table', () => {
    const readme = read('README.md');
    const section = readme.indexOf('\n## Running in containers');
    assert.ok(section > 0 && section < readme.indexOf('\n## Configuration'));
    assert.match(readme.slice(section), /docker compose up/);
  });
});
