/** A real listening server on 127.0.0.1 with its own temporary data directory, for HTTP and e2e tests. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import { startServer, type RunningServer } from '../../src/server.js';

export interface TestServer {
  origin: string;
  baseUrl: string;
  dataDir: string;
  server: RunningServer;
  close(): Promise<void>;
}

/** `logSink` receives every log line (JSON text) instead of the console. */
export async function startTestServer(options: { demo?: boolean; config?: Partial<Config>; logSink?: (line: string) => void } = {}): Promise<TestServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'aas-test-'));
  const config: Config = {
    ...loadConfig({}, []),
    host: '127.0.0.1',
    port: 0,
    dataDir,
    demo: options.demo ?? false,
    logLevel: 'silent',
    ...options.config,
  };
  const level = (process.env.AAS_TEST_LOG_LEVEL as Config['logLevel'] | undefined) ?? config.logLevel;
  const sink = options.logSink;
  const server = await startServer(config, createLogger(level, sink && { write: (line: string) => sink(line) }));
  return {
    origin: server.origin,
    baseUrl: server.baseUrl,
    dataDir,
    server,
    async close() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
