/**
 * What a running server serves about itself: /openapi.json and /openapi.yaml (the same document, with the
 * configured base path as server URL) and Swagger UI at /api-docs, built from local assets only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import YAML from 'yaml';
import { startTestServer } from './test-server.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;
type Json = Record<string, unknown>;

describe('OpenAPI and Swagger UI endpoints', () => {
  let server: Server;
  let other: Server;

  before(async () => {
    [server, other] = await Promise.all([
      startTestServer(),
      startTestServer({ config: { basePath: '' } }),
    ]);
  });
  after(async () => {
    await Promise.all([server?.close(), other?.close()]);
  });

  test('/openapi.json and /openapi.yaml serve the same document', async () => {
    const jsonRes = await fetch(`${server.origin}/openapi.json`);
    assert.equal(jsonRes.status, 200);
    assert.match(jsonRes.headers.get('content-type') ?? '', /^application\/json/);
    const fromJson = (await jsonRes.json()) as Json;
    const yamlRes = await fetch(`${server.origin}/openapi.yaml`);
    assert.equal(yamlRes.status, 200);
    assert.match(yamlRes.headers.get('content-type') ?? '', /^application\/yaml/);
    assert.deepEqual(YAML.parse(await yamlRes.text()), fromJson);
    assert.equal(fromJson.openapi, '3.1.0');
    assert.ok((fromJson.paths as Json)['/shells']);
  });

  test('the server URL is the configured base path, relative; "/" when the base path is empty', async () => {
    const servers = async (s: Server) => (((await (await fetch(`${s.origin}/openapi.json`)).json()) as Json).servers as Json[]).map((x) => x.url);
    assert.deepEqual(await servers(server), [new URL(server.baseUrl).pathname]);
    assert.deepEqual(await servers(other), ['/']);
    // With an empty base path the API sits at the root, where the document says it is.
    assert.equal((await fetch(`${other.origin}/shells`)).status, 200);
  });

  test('/api-docs redirects to /api-docs/, which is the Swagger UI page with local assets only', async () => {
    const redirect = await fetch(`${server.origin}/api-docs?x=1`, { redirect: 'manual' });
    assert.equal(redirect.status, 301);
    assert.equal(redirect.headers.get('location'), '/api-docs/?x=1');
    const page = await fetch(`${server.origin}/api-docs/`);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /<div id="swagger-ui">/);
    const assets = [...html.matchAll(/(?:src|href)=["']([^"']+)["']/g)].map((m) => m[1]);
    assert.ok(assets.includes('./swagger-ui-bundle.js') && assets.includes('./swagger-ui.css'), assets.join(' '));
    assert.deepEqual(assets.filter((a) => /^(https?:)?\/\//.test(a)), [], 'no asset from another host');
    for (const asset of ['swagger-ui-bundle.js', 'swagger-ui.css', 'swagger-ui-standalone-preset.js']) {
      const res = await fetch(`${server.origin}/api-docs/${asset}`);
      assert.equal(res.status, 200, asset);
      await res.arrayBuffer();
    }
  });

  test('the init script embeds this server\'s document and turns the public validator off', async () => {
    /** The options object swagger-ui-express writes into the script (plain JSON: we pass no functions). */
    const optionsOf = async (s: Server) => {
      const script = await (await fetch(`${s.origin}/api-docs/swagger-ui-init.js`)).text();
      const m = /var options = (\{[\s\S]*?\});\n/.exec(script);
      assert.ok(m, 'options object in swagger-ui-init.js');
      return JSON.parse(m[1]) as { swaggerDoc: Json; customOptions: Json };
    };
    const [mine, theirs] = await Promise.all([optionsOf(server), optionsOf(other)]);
    // Two servers in one process keep their own documents (swagger-ui-express `serve` would share one).
    assert.deepEqual((mine.swaggerDoc.servers as Json[]).map((x) => x.url), [new URL(server.baseUrl).pathname]);
    assert.deepEqual((theirs.swaggerDoc.servers as Json[]).map((x) => x.url), ['/']);
    assert.deepEqual(mine.swaggerDoc, await (await fetch(`${server.origin}/openapi.json`)).json());
    assert.equal(mine.customOptions.validatorUrl, null);
    assert.equal(mine.customOptions.tryItOutEnabled, false);
  });

  test('the Petstore page and initializer of swagger-ui-dist are not served', async () => {
    for (const file of ['index.html', 'swagger-initializer.js']) {
      const res = await fetch(`${server.origin}/api-docs/${file}`);
      assert.equal(res.status, 404, file);
      const body = (await res.json()) as { messages: { text: string }[] };
      assert.match(body.messages[0].text, /^No route for /);
    }
  });
});

describe('OpenAPI fragments', () => {
  test('merges paths and components of a part, and refuses to redefine either', async () => {
    const { mergePart } = await import('../../src/http/openapi-document.js');
    const doc: Record<string, unknown> = { paths: { '/a': { get: { responses: {} } } }, components: { schemas: { A: {} } } };
    mergePart(doc, 'x.yaml', { paths: { '/a': { post: { responses: {} } }, '/b': { get: {} } }, components: { schemas: { B: {} }, parameters: { P: {} } } });
    assert.deepEqual(Object.keys((doc.paths as Record<string, object>)['/a']), ['get', 'post']);
    assert.ok((doc.paths as Record<string, object>)['/b']);
    assert.deepEqual(Object.keys((doc.components as Record<string, object>).schemas), ['A', 'B']);
    assert.throws(() => mergePart(doc, 'y.yaml', { paths: { '/a': { get: {} } } }), /defined twice/);
    assert.throws(() => mergePart(doc, 'y.yaml', { components: { schemas: { A: {} } } }), /defined twice/);
  });
});
