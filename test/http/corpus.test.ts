/**
 * Acceptance against the aas-core 3.1 test corpus: every Expected case is accepted and every Unexpected case is
 * rejected with 400 and a message naming a JSON path. Shells, submodels and concept descriptions go through
 * the HTTP API (POST); other classes are validated directly by the same validator the services use.
 * Also every aas-core 3.0 ContainedInEnvironment/Expected environment is accepted.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ValidationFailed } from '../../src/errors.js';
import type { ValidationClass } from '../../src/validation/schema-check.js';
import { Validator } from '../../src/validation/validator.js';
import { b64, resultText } from './fixtures.js';
import { startTestServer, type TestServer } from './test-server.js';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const testdata = resolve(process.env.AAS_TESTDATA ?? join(repoRoot, '../shared/spec/testdata'));
const corpus31 = join(testdata, 'aas-core3.1/Json');
const corpus30 = join(testdata, 'aas-core3.0/Json/ContainedInEnvironment/Expected');
const present = existsSync(corpus31) && existsSync(corpus30);
const requireAll = process.env.AAS_TEST_REQUIRE_ALL === '1';

const COLLECTIONS: Partial<Record<string, string>> = {
  AssetAdministrationShell: 'shells',
  Submodel: 'submodels',
  ConceptDescription: 'concept-descriptions',
};

async function jsonFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.json')).map((e) => join(e.parentPath ?? e.path, e.name)).sort();
}

type Verdict = { accepted: true } | { accepted: false; status: number; text: string };

describe('aas-core test corpus', { skip: !present && !requireAll ? `test corpus not found at ${testdata} (set AAS_TESTDATA)` : false }, () => {
  let srv: TestServer;
  const validator = new Validator('strict');
  before(async () => {
    assert.ok(present, `AAS_TEST_REQUIRE_ALL=1 but the test corpus is missing at ${testdata}`);
    srv = await startTestServer();
  });
  after(() => srv?.close());

  /** POST for top-level Identifiables (deleting again, since cases share ids), direct validation otherwise. */
  async function judge(cls: string, file: string): Promise<Verdict> {
    const text = await readFile(file, 'utf8');
    const collection = COLLECTIONS[cls];
    if (collection) {
      const res = await fetch(`${srv.baseUrl}/${collection}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: text });
      const body = await res.text();
      if (res.status === 201) {
        const id = (JSON.parse(body) as { id: string }).id;
        const del = await fetch(`${srv.baseUrl}/${collection}/${b64(id)}`, { method: 'DELETE' });
        assert.equal(del.status, 204);
        return { accepted: true };
      }
      return { accepted: false, status: res.status, text: body === '' ? '' : resultText(JSON.parse(body)) };
    }
    try {
      validator.validate(cls as ValidationClass, JSON.parse(text));
      return { accepted: true };
    } catch (e) {
      if (e instanceof ValidationFailed) return { accepted: false, status: 400, text: e.details.map((d) => d.text).join('\n') };
      return { accepted: false, status: 500, text: String(e) };
    }
  }

  it('accepts every Expected case of aas-core 3.1', async (t) => {
    const files = await jsonFiles(join(corpus31, 'Expected'));
    const failures: string[] = [];
    for (const file of files) {
      const cls = relative(join(corpus31, 'Expected'), file).split(/[\\/]/)[0];
      const v = await judge(cls, file);
      if (!v.accepted) failures.push(`${relative(corpus31, file)} → ${v.status}: ${v.text.split('\n').slice(0, 3).join(' | ')}`);
    }
    t.diagnostic(`Expected (3.1): ${files.length - failures.length}/${files.length} accepted`);
    assert.deepEqual(failures.slice(0, 20), [], `${failures.length} rejected`);
  });

  it('rejects every Unexpected case of aas-core 3.1 with 400 naming a JSON path', async (t) => {
    const files = await jsonFiles(join(corpus31, 'Unexpected'));
    const failures: string[] = [];
    let serverErrors = 0;
    for (const file of files) {
      const cls = relative(join(corpus31, 'Unexpected'), file).split(/[\\/]/)[2];
      const v = await judge(cls, file);
      if (!v.accepted && v.status >= 500) serverErrors++;
      if (v.accepted) failures.push(`${relative(corpus31, file)} → accepted`);
      else if (v.status !== 400 || !/\$[.[]|^\$:|\$ /m.test(v.text)) failures.push(`${relative(corpus31, file)} → ${v.status}: ${v.text.slice(0, 200)}`);
    }
    t.diagnostic(`Unexpected (3.1): ${files.length - failures.length}/${files.length} rejected with 400 and a JSON path; ${serverErrors} 5xx`);
    assert.equal(serverErrors, 0);
    assert.deepEqual(failures.slice(0, 20), [], `${failures.length} not rejected as they should be`);
  });

  it('accepts every aas-core 3.0 ContainedInEnvironment/Expected environment', async (t) => {
    const files = await jsonFiles(corpus30);
    const failures: string[] = [];
    for (const file of files) {
      const v = await judge('Environment', file);
      if (!v.accepted) failures.push(`${relative(corpus30, file)} → ${v.text.split('\n').slice(0, 3).join(' | ')}`);
    }
    t.diagnostic(`ContainedInEnvironment/Expected (3.0): ${files.length - failures.length}/${files.length} accepted`);
    assert.deepEqual(failures.slice(0, 20), [], `${failures.length} rejected`);
  });
});
