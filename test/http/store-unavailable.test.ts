/**
 * A MongoDB store that cannot be reached at start (nothing listens on its port): the server starts anyway,
 * `/health` answers, `/ready` says why it is not ready, and API requests get 503 with a Result body.
 * No MongoDB is involved or imitated: the driver meets a closed port on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { freePort } from '../free-port.js';
import { request } from './fixtures.js';
import { startTestServer, type TestServer } from './test-server.js';

describe('MongoDB unreachable at start', () => {
  let server: TestServer;
  before(async () => {
    const port = await freePort();
    server = await startTestServer({
      demo: true,
      config: { store: 'mongodb', mongodbUri: `mongodb://127.0.0.1:${port}/?directConnection=true`, mongodbTimeout: 500 },
    });
  });
  after(() => server?.close());

  it('starts, is alive, and is not ready, saying why', async () => {
    assert.equal((await request('GET', `${server.origin}/health`)).status, 200);
    const ready = await request('GET', `${server.origin}/ready`);
    assert.equal(ready.status, 503);
    assert.match((ready.body as { messages: { text: string }[] }).messages[0].text, /^Not ready: /);
  });

  it('answers API requests with 503 and a Result', async () => {
    for (const [method, path] of [['GET', '/shells'], ['POST', '/submodels']] as const) {
      const res = await request(method, server.baseUrl + path, method === 'POST' ? { modelType: 'Submodel', id: 'urn:x' } : undefined);
      assert.equal(res.status, 503, `${method} ${path}`);
    }
  });
});
