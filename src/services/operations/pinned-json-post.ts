/**
 * One JSON POST to an address fixed beforehand (see delegation-guard.ts): the connection goes to `address`
 * whatever DNS says by then, TLS still verifies the certificate for the URL's host name, redirects are not
 * followed (they would bypass the address check), and the response is cut off beyond `maxBytes`.
 */
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { ResolvedAddress } from './delegation-guard.js';

export interface PostOptions {
  address: ResolvedAddress;
  headers: Record<string, string>;
  signal: AbortSignal;
  maxBytes: number;
}

export interface PostAnswer {
  status: number;
  contentType: string;
  text: string;
}

export function postJsonPinned(url: URL, body: unknown, options: PostOptions): Promise<PostAnswer> {
  const payload = Buffer.from(JSON.stringify(body), 'utf8');
  const { address, family } = options.address;
  // net.connect asks with `all: true` when it may try several addresses (autoSelectFamily); give it only ours.
  const lookup = ((_host: string, opts: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (opts?.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  }) as unknown as LookupFunction;
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<PostAnswer>((resolve, reject) => {
    const req = client.request(url, {
      method: 'POST',
      agent: false,
      lookup,
      signal: options.signal,
      headers: { ...options.headers, 'Content-Type': 'application/json', Accept: 'application/json', 'Content-Length': String(payload.length) },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > options.maxBytes) {
        req.destroy(new Error(`the response (${declared} bytes) is larger than the limit of ${options.maxBytes} bytes`));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > options.maxBytes) {
          req.destroy(new Error(`the response is larger than the limit of ${options.maxBytes} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', reject);
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    req.end(payload);
  });
}
