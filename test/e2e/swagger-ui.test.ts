/**
 * Swagger UI as a person uses it, in real headless Chromium: open /api-docs, expand GET /shells, "Try it out",
 * "Execute", and read the live response. Also /health, whose path-level server (`/`) must win over the API
 * base path. Every request the page makes must stay on this server (no CDN, no validator badge).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { startTestServer } from '../http/test-server.js';

type Server = Awaited<ReturnType<typeof startTestServer>>;

const CHROMIUM = '/usr/bin/chromium';
const REQUIRE_ALL = process.env.AAS_TEST_REQUIRE_ALL === '1';
const TIMEOUT = 30_000;
const SCREENSHOT = join(tmpdir(), 'aas-swagger-ui-get-shells.png');

/** Swagger UI's element id of an operation: `operations-<tag with spaces as _>-<operationId>`. */
const operationId = (tag: string, id: string) => `#operations-${tag.replace(/\s/g, '_')}-${id}`;

/** Expands an operation, arms it and executes it; returns the rendered live response. */
async function tryItOut(page: Page, selector: string): Promise<{ op: Locator; status: string; body: string; requestUrl: string }> {
  const op = page.locator(selector);
  await op.locator('.opblock-summary-control').click();
  await op.getByRole('button', { name: 'Try it out' }).click();
  await op.getByRole('button', { name: 'Execute' }).click();
  const live = op.locator('.live-responses-table');
  await live.waitFor({ timeout: TIMEOUT });
  const status = (await live.locator('tbody .response-col_status').first().textContent()) ?? '';
  const body = (await live.locator('.response-col_description pre.microlight, .response-col_description code').first().textContent()) ?? '';
  const requestUrl = (await op.locator('.request-url pre').first().textContent()) ?? '';
  return { op, status: status.trim(), body, requestUrl: requestUrl.trim() };
}

describe('Swagger UI in headless Chromium', { skip: !existsSync(CHROMIUM) && !REQUIRE_ALL && `${CHROMIUM} is not installed (apt-get install chromium)` }, () => {
  let server: Server;
  let browser: Browser;
  let page: Page;
  const foreignRequests: string[] = [];
  const pageErrors: string[] = [];

  before(async () => {
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is required when AAS_TEST_REQUIRE_ALL=1`);
    server = await startTestServer({ demo: true });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
    page.setDefaultTimeout(TIMEOUT);
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (url.protocol !== 'data:' && url.origin !== server.origin) foreignRequests.push(r.url());
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${server.origin}/api-docs`);
    await page.locator('.swagger-ui .info .title').waitFor();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('the page shows the document: title, every tag, the operations', async () => {
    assert.match((await page.locator('.swagger-ui .info .title').textContent()) ?? '', /AAS Server/);
    for (const tag of ['Asset Administration Shell Repository API', 'Submodel Repository API', 'Concept Description Repository API', 'Description API', 'Serialization API', 'Operations']) {
      assert.equal(await page.locator(`.opblock-tag[data-tag="${tag}"]`).count(), 1, tag);
    }
    assert.ok((await page.locator('.opblock').count()) >= 38);
  });

  test('GET /shells: Try it out → Execute renders 200 and the demo shells', async () => {
    const shells = (await (await fetch(`${server.baseUrl}/shells`)).json()) as { result: { id: string }[] };
    assert.ok(shells.result.length > 0, 'demo data has shells');
    const { op, status, body, requestUrl } = await tryItOut(page, operationId('Asset Administration Shell Repository API', 'GetAllAssetAdministrationShells'));
    assert.equal(status, '200');
    // Only the documented default (limit=100) may be pre-filled; an example filter would hide the shells.
    const sent = new URL(requestUrl);
    assert.equal(`${sent.origin}${sent.pathname}`, `${server.baseUrl}/shells`);
    assert.deepEqual([...sent.searchParams.keys()].filter((k) => k !== 'limit'), []);
    const shown = JSON.parse(body) as { result: { id: string }[] };
    assert.deepEqual(shown.result.map((s) => s.id), shells.result.map((s) => s.id));
    assert.ok(body.includes(shells.result[0].id));
    await op.scrollIntoViewIfNeeded();
    await page.screenshot({ path: SCREENSHOT, fullPage: false });
  });

  test('GET /health (served from the root, outside the base path) works from the page too', async () => {
    const { status, body, requestUrl } = await tryItOut(page, operationId('Operations', 'GetHealth'));
    assert.equal(requestUrl, `${server.origin}/health`);
    assert.equal(status, '200');
    const health = JSON.parse(body) as { status: string; assetConnections: { total: number } };
    assert.equal(health.status, 'ok');
    assert.equal(health.assetConnections.total, 1, 'the demo has one asset connection');
  });

  test('no request left this server and the page raised no errors', () => {
    assert.deepEqual(foreignRequests, []);
    assert.deepEqual(pageErrors, []);
  });
});
