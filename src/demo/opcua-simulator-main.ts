/**
 * `npm run opcua-sim`: the demo machine simulator as its own process, configured by environment variables
 * (OPCUA_SIM_HOST, OPCUA_SIM_PORT, OPCUA_SIM_INTERVAL_MS, OPCUA_SIM_PKI_DIR); stops cleanly on SIGINT/SIGTERM.
 */
import { resolve } from 'node:path';
import { LogLevel, setLogLevel } from 'node-opcua';
import { pino } from 'pino';
import { startDemoMachineSimulator } from './opcua-simulator.js';

const logger = pino({
  base: { service: 'opcua-demo-simulator' },
  timestamp: pino.stdTimeFunctions.isoTime,
  formatters: { level: (label) => ({ level: label }) },
});

function positiveInteger(name: string, fallback: number, max: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    process.stderr.write(`Configuration error: ${name} must be an integer from 1 to ${max}, got "${raw}"\n`);
    process.exit(2);
  }
  return n;
}

async function main(): Promise<void> {
  // node-opcua logs its own warnings as coloured text (e.g. NODE-OPCUA-W27 about Node 20's RSA PKCS#1 v1.5 revert,
  // which only matters to the deprecated Basic128Rsa15 policy). Keep errors only, unless the user asked for more.
  if (process.env.NODEOPCUA_LOG_LEVEL === undefined) setLogLevel(LogLevel.Error);

  const host = process.env.OPCUA_SIM_HOST || '127.0.0.1';
  const port = positiveInteger('OPCUA_SIM_PORT', 4840, 65535);
  const intervalMs = positiveInteger('OPCUA_SIM_INTERVAL_MS', 1000, 3_600_000);
  const pkiDir = resolve(process.env.OPCUA_SIM_PKI_DIR || './data/opcua-sim-pki');

  let simulator;
  try {
    simulator = await startDemoMachineSimulator({ host, port, intervalMs, pkiDir });
  } catch (err) {
    logger.fatal({ err, host, port }, 'OPC UA demo machine simulator failed to start');
    process.exit(1);
  }
  logger.info({ endpointUrl: simulator.endpointUrl, intervalMs, pkiDir }, `OPC UA demo machine simulator listening on ${simulator.endpointUrl}`);

  const stop = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    simulator.stop().then(() => process.exit(0), (err: unknown) => {
      logger.error({ err }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
