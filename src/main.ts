/** Entry point: configuration → server; clean shutdown on SIGINT/SIGTERM. */
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';
import { startServer } from './server.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const logger = createLogger(config.logLevel);
  try {
    const server = await startServer(config, logger);
    const stop = (signal: string) => {
      logger.info({ signal }, 'shutting down');
      server.close().then(() => process.exit(0), (err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  } catch (e) {
    logger.fatal({ err: e }, e instanceof ConfigError ? `configuration error: ${e.message}` : 'start-up failed');
    process.exit(1);
  }
}

void main();
