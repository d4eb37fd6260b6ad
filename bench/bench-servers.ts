/**
 * The two servers a scenario compares, each in its own child process: the AAS server as built in dist/, and the
 * raw node:http baseline serving the bytes captured from it. Also the capture itself: a GET whose status,
 * Content-Type and body are kept.
 */
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type { Child, ChildProcesses } from './child-processes.js';
import type { CapturedResponse } from './raw-server.js';

export const PROJECT_DIR = fileURLToPath(new URL('..', import.meta.url));
export const SERVER_ENTRY = join(PROJECT_DIR, 'dist', 'main.js');
const RAW_SERVER = join(PROJECT_DIR, 'bench', 'raw-server.ts');
export const BASE_PATH = '/api/v3.0';

const READY_TIMEOUT_MS = 60_000;

export interface Capture {
  status: number;
  contentType: string;
  body: Buffer;
}

export interface RunningChild {
  child: Child;
  origin: string;
}

/** The parent's environment without AAS_* and MONGODB_* settings, so a developer's shell cannot skew a run. */
export function cleanEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(AAS_|MONGODB_)/.test(name) && name !== 'NODE_OPTIONS') env[name] = value;
  }
  return { ...env, ...extra };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', resolve);
  });
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('could not find a free port');
  return address.port;
}

export async function capture(url: string, init?: RequestInit): Promise<Capture> {
  const res = await fetch(url, init);
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    body: Buffer.from(await res.arrayBuffer()),
  };
}

/** Starts `node dist/main.js` on a free loopback port and waits until /ready answers 200. */
export async function startAasServer(
  children: ChildProcesses,
  dataDir: string,
  options: { cpuProfileDir?: string } = {},
): Promise<RunningChild> {
  const port = await freePort();
  const nodeFlags = options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : [];
  const child = children.start(
    'AAS server',
    [...nodeFlags, SERVER_ENTRY],
    cleanEnvironment({
      AAS_PORT: String(port),
      AAS_HOST: '127.0.0.1',
      AAS_DATA_DIR: dataDir,
      AAS_DEMO: 'false',
      AAS_LOG_LEVEL: 'warn',
      AAS_BASE_PATH: BASE_PATH,
      AAS_VALIDATION: 'strict',
    }),
  );
  const origin = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.process.exitCode !== null || child.process.signalCode !== null) {
      throw new Error(`the AAS server exited during start-up:\n${child.output()}`);
    }
    try {
      if ((await fetch(`${origin}/ready`)).status === 200) return { child, origin };
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) throw new Error(`the AAS server was not ready within ${READY_TIMEOUT_MS} ms:\n${child.output()}`);
    await sleep(100);
  }
}

/**
 * Starts the raw baseline with these captured responses (keyed by path and query) and checks that it answers
 * each one byte for byte as captured, with the same Content-Type.
 */
export async function startRawServer(
  children: ChildProcesses,
  workDir: string,
  responses: Record<string, Capture>,
): Promise<RunningChild> {
  const file = join(workDir, `raw-responses-${Date.now()}.json`);
  const serialized: Record<string, CapturedResponse> = {};
  for (const [path, c] of Object.entries(responses)) {
    serialized[path] = { contentType: c.contentType, bodyBase64: c.body.toString('base64') };
  }
  await writeFile(file, JSON.stringify(serialized));
  const child = children.start('raw server', ['--import', 'tsx', RAW_SERVER, file], cleanEnvironment());
  const [, port] = await children.waitForLine(child, /^listening (\d+)$/, 30_000);
  const origin = `http://127.0.0.1:${port}`;
  for (const [path, expected] of Object.entries(responses)) {
    const got = await capture(origin + path);
    if (got.status !== 200 || got.contentType !== expected.contentType || !got.body.equals(expected.body)) {
      throw new Error(`the raw server does not answer ${path} as the AAS server did`);
    }
  }
  return { child, origin };
}
