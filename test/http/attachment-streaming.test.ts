/**
 * Attachments are streamed: a 50 MiB upload and download (generated on the fly, checked by size and SHA-256)
 * pass through both doors without the server's memory growing by anything near their size; uploads beyond the
 * configured limit get 413 and leave nothing stored.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { b64, request, resultText } from './fixtures.js';
import { attachmentShell, attachmentSubmodel, doors, download, storedFiles, upload, uploadForm } from './attachment-fixtures.js';
import { startTestServer, type TestServer } from './test-server.js';

const MiB = 1024 * 1024;
const SIZE = 50 * MiB;
const CHUNK = 64 * 1024;
const BOUNDARY = 'attachment-streaming-boundary-7c1f';

/**
 * 16 fixed random chunks, sent in a pseudo-random order: 50 MiB of content that does not repeat in any short
 * cycle, without the test itself allocating 50 MiB (client and server share this process's memory).
 */
const PALETTE = Array.from({ length: 16 }, (_, i) => createHash('sha512').update(`seed ${i}`).digest()).map((seed) => {
  const chunk = Buffer.alloc(CHUNK);
  for (let at = 0; at < CHUNK; at += seed.length) seed.copy(chunk, at, 0, Math.min(seed.length, CHUNK - at));
  for (let i = 0; i < CHUNK; i += 997) chunk[i] ^= i & 0xff;
  return chunk;
});

/**
 * A garbage collector to call: the stream's spent chunks are garbage the collector would take at its own pace,
 * and RSS should measure what the server holds, not how lazily garbage is collected.
 */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as (options?: { type: 'minor' | 'major' }) => void;

/** Peak RSS while `run` runs (sampled every 10 ms, after a young-generation collection), minus the RSS before. */
async function rssGrowthDuring<T>(run: () => Promise<T>): Promise<{ result: T; growth: number }> {
  collectGarbage();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sample = () => {
    collectGarbage({ type: 'minor' });
    peak = Math.max(peak, process.memoryUsage().rss);
  };
  const timer = setInterval(sample, 10);
  try {
    const result = await run();
    sample();
    return { result, growth: peak - baseline };
  } finally {
    clearInterval(timer);
  }
}

/**
 * PUTs `size` bytes as the `file` part, written with backpressure (chunked). Resolves with the answer and the
 * hash of what was sent; an answer that comes before the body is sent ends the sending (as curl or fetch do).
 */
async function uploadLarge(url: string, fileName: string, size = SIZE): Promise<{ status: number; sha256: string; body: string; headers: IncomingMessage['headers'] }> {
  const req = httpRequest(url, { method: 'PUT', headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` } });
  const responded = once(req, 'response') as Promise<[IncomingMessage]>;
  req.on('error', () => {}); // EPIPE after an early answer; the answer (or its absence) is what is checked
  let answered = false;
  void responded.then(() => (answered = true), () => {});
  const hash = createHash('sha256');
  const write = async (chunk: Buffer | string) => {
    if (!req.write(chunk)) await Promise.race([once(req, 'drain'), responded]);
  };
  await write(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="fileName"\r\n\r\n${fileName}\r\n`);
  await write(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  let x = 12345;
  for (let sent = 0; sent < size && !answered; sent += CHUNK) {
    x = (x * 1103515245 + 12345) >>> 0;
    const chunk = PALETTE[x >>> 28];
    hash.update(chunk);
    await write(chunk);
  }
  if (!answered) {
    await write(`\r\n--${BOUNDARY}--\r\n`);
    req.end();
  }
  const [res] = await responded;
  let body = '';
  for await (const chunk of res) body += chunk;
  req.destroy();
  return { status: res.statusCode ?? 0, sha256: hash.digest('hex'), body, headers: res.headers };
}

/** GETs and hashes the body as it streams in; resolves with status, size, hash and headers. */
async function downloadLarge(url: string) {
  const req = httpRequest(url);
  req.end();
  const [res] = (await once(req, 'response')) as [IncomingMessage];
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of res) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { status: res.statusCode, size, sha256: hash.digest('hex'), headers: res.headers };
}

describe('attachments are streamed', () => {
  let srv: TestServer;
  before(async () => {
    srv = await startTestServer();
    assert.equal((await request('POST', `${srv.baseUrl}/submodels`, attachmentSubmodel())).status, 201);
    assert.equal((await request('POST', `${srv.baseUrl}/shells`, attachmentShell())).status, 201);
  });
  after(() => srv.close());

  it('round-trips 50 MiB through both doors, with the same size and hash, in bounded memory', { timeout: 120_000 }, async () => {
    const [viaRepository, viaShell] = Object.values(doors(srv.baseUrl)).map((root) => `${root}/submodel-elements/Manual/attachment`);
    // warm up both directions once, so the first-use allocations of the server do not count as growth
    assert.equal((await upload(viaRepository, uploadForm('warm-up'))).status, 204);
    assert.equal((await download(viaShell)).status, 200);

    const up = await rssGrowthDuring(() => uploadLarge(viaRepository, 'big data.bin'));
    assert.equal(up.result.status, 204, up.result.body);
    const down = await rssGrowthDuring(() => downloadLarge(viaShell));
    assert.equal(down.result.status, 200);
    assert.equal(down.result.size, SIZE);
    assert.equal(down.result.headers['content-length'], String(SIZE));
    assert.equal(down.result.sha256, up.result.sha256);

    // Holding the file would cost at least its 50 MiB; streaming costs buffers and garbage not yet collected.
    const bound = SIZE / 2;
    assert.ok(up.growth < bound, `upload grew RSS by ${(up.growth / MiB).toFixed(1)} MiB`);
    assert.ok(down.growth < bound, `download grew RSS by ${(down.growth / MiB).toFixed(1)} MiB`);
  });

  describe('with small limits', () => {
    let small: TestServer;
    const smId = 'https://example.com/ids/sm/limits';
    let root: string;
    before(async () => {
      // 64 KiB for files; a Blob is also held to half the 100 KiB JSON body limit
      small = await startTestServer({ config: { attachmentLimit: 64 * 1024, bodyLimit: 100 * 1024 } });
      assert.equal((await request('POST', `${small.baseUrl}/submodels`, attachmentSubmodel(smId))).status, 201);
      root = `${small.baseUrl}/submodels/${b64(smId)}`;
    });
    after(() => small.close());

    it('answers 413 beyond the limit and stores nothing; at the limit it stores', async () => {
      const file = `${root}/submodel-elements/Manual/attachment`;
      const tooLarge = await upload(file, uploadForm(Buffer.alloc(64 * 1024 + 1, 1), { fileName: 'big.pdf' }));
      assert.equal(tooLarge.status, 413);
      assert.match(resultText(JSON.parse(tooLarge.text)), /exceeds the limit of 65536 bytes/);
      assert.deepEqual(await storedFiles(small.dataDir), []);
      assert.equal((await request('GET', root)).body.submodelElements[0].value, undefined);
      assert.equal((await request('GET', file)).status, 404);

      assert.equal((await upload(file, uploadForm(Buffer.alloc(64 * 1024, 2), { fileName: 'fits.pdf' }))).status, 204);
      assert.equal((await storedFiles(small.dataDir)).length, 1);
      assert.equal((await download(file)).bytes.length, 64 * 1024);
    });

    it('answers 413 early to a large upload still being sent, and closes the connection instead of stalling', { timeout: 20_000 }, async () => {
      const file = `${root}/submodel-elements/Untyped/attachment`;
      const answer = await uploadLarge(file, 'huge.bin', 20 * MiB);
      assert.equal(answer.status, 413, answer.body);
      assert.equal(answer.headers.connection, 'close');
      assert.match(resultText(JSON.parse(answer.body)), /exceeds the limit/);
      assert.equal((await request('GET', root)).body.submodelElements[1].value, undefined);
      assert.equal((await request('GET', file)).status, 404);
    });

    it('answers 413 for a thumbnail beyond the limit, and keeps the previous one', async () => {
      const shellId = 'https://example.com/ids/aas/limits';
      assert.equal((await request('POST', `${small.baseUrl}/shells`, attachmentShell(shellId, smId))).status, 201);
      const thumbnail = `${small.baseUrl}/shells/${b64(shellId)}/asset-information/thumbnail`;
      assert.equal((await upload(thumbnail, uploadForm('small', { type: 'image/png' }))).status, 204);
      const files = await storedFiles(small.dataDir);
      assert.equal((await upload(thumbnail, uploadForm(Buffer.alloc(200 * 1024), { type: 'image/png' }))).status, 413);
      assert.deepEqual(await storedFiles(small.dataDir), files);
      assert.equal((await download(thumbnail)).bytes.toString(), 'small');
    });

    it('holds a Blob to half the JSON body limit (its base64 lives in the submodel)', async () => {
      const blob = `${root}/submodel-elements/Raw/attachment`;
      const tooLarge = await upload(blob, uploadForm(Buffer.alloc(50 * 1024 + 1, 3)));
      assert.equal(tooLarge.status, 413);
      assert.equal((await request('GET', `${root}?extent=WithBlobValue`)).body.submodelElements[3].value, undefined);
      assert.equal((await upload(blob, uploadForm(Buffer.alloc(50 * 1024, 3)))).status, 204);
      assert.equal((await download(blob)).bytes.length, 50 * 1024);
    });
  });
});
