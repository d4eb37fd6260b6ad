/**
 * Child process: the baseline. A bare `node:http` server that answers each known URL with bytes captured from
 * the AAS server beforehand (same body, same Content-Type), and 404 otherwise. What the AAS server spends
 * beyond this (routing, store, JSON, middleware) is what the ratios in the results show.
 *
 * Usage: node --import tsx bench/raw-server.ts <responses.json>
 * responses.json: { "<path and query>": { "contentType": "...", "bodyBase64": "..." }, ... }
 * Listens on 127.0.0.1 on a free port and prints `listening <port>` on stdout.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CapturedResponse {
  contentType: string;
  bodyBase64: string;
}

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: raw-server.ts <responses.json>\n');
  process.exit(2);
}
const captured = JSON.parse(readFileSync(file, 'utf8')) as Record<string, CapturedResponse>;
const responses = new Map(
  Object.entries(captured).map(([url, r]) => [url, { contentType: r.contentType, body: Buffer.from(r.bodyBase64, 'base64') }]),
);

const server = createServer((req, res) => {
  const found = req.method === 'GET' ? responses.get(req.url ?? '') : undefined;
  if (!found) {
    res.writeHead(404).end();
    return;
  }
  res.writeHead(200, { 'Content-Type': found.contentType, 'Content-Length': found.body.length });
  res.end(found.body);
});

server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`listening ${(server.address() as AddressInfo).port}\n`);
});
const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
