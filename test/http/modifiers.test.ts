/**
 * Every GET content form of every element type with every level/extent combination, over HTTP: a request answers
 * 200 exactly when the modifier rules (checkModifiers, table-tested in test/unit/modifiers.test.ts) allow it, 400
 * otherwise; and the same for PATCH …/$value with `level`.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BadRequest } from '../../src/errors.js';
import { checkModifiers } from '../../src/model/modifiers.js';
import { everyElementSubmodel } from '../unit/element-fixture.js';
import { b64, request } from './fixtures.js';
import { startTestServer, type TestServer } from './test-server.js';

const CONTENTS = ['normal', '$metadata', '$value', '$reference', '$path'] as const;
const LEVELS = [undefined, 'deep', 'core', 'Core'];
const EXTENTS = [undefined, 'withoutBlobValue', 'withBlobValue', 'WithBLOBValue'];

function allowed(target: { modelType: string }, method: 'GET' | 'PATCH', content: (typeof CONTENTS)[number], level?: string, extent?: string): boolean {
  try {
    checkModifiers(target, { method, content, level, extent });
    return true;
  } catch (e) {
    if (e instanceof BadRequest) return false;
    throw e;
  }
}

describe('modifier combinations over HTTP', () => {
  let srv: TestServer;
  const sm = everyElementSubmodel();
  let root: string;
  before(async () => {
    srv = await startTestServer();
    root = `${srv.baseUrl}/submodels/${b64(sm.id)}`;
    assert.equal((await request('POST', `${srv.baseUrl}/submodels`, sm)).status, 201);
  });
  after(() => srv.close());

  it('answers every GET form of every element type as the rules say', async () => {
    let ok = 0;
    let refused = 0;
    const targets = [{ modelType: 'Submodel', url: root }, ...(sm.submodelElements ?? []).map((e) => ({ modelType: e.modelType, url: `${root}/submodel-elements/${e.idShort}` }))];
    for (const target of targets) {
      for (const content of CONTENTS) {
        for (const level of LEVELS) {
          for (const extent of EXTENTS) {
            const query = new URLSearchParams({ ...(level ? { level } : {}), ...(extent ? { extent } : {}) }).toString();
            const url = `${target.url}${content === 'normal' ? '' : `/${content}`}${query ? `?${query}` : ''}`;
            const expected = allowed(target, 'GET', content, level, extent) ? 200 : 400;
            const { status } = await request('GET', url);
            assert.equal(status, expected, `GET ${target.modelType} ${content} level=${level} extent=${extent}`);
            if (status === 200) ok++;
            else refused++;
          }
        }
      }
    }
    assert.ok(ok > 100 && refused > 100, `${ok} allowed, ${refused} refused`);
  });

  it('answers PATCH …/$value with each level as the rules say', async () => {
    const target = sm.submodelElements!.find((e) => e.modelType === 'Property')!;
    const url = `${root}/submodel-elements/${target.idShort}/$value`;
    const value = (await request('GET', url)).body;
    for (const level of LEVELS) {
      const expected = allowed(target, 'PATCH', '$value', level) ? 204 : 400;
      assert.equal((await request('PATCH', `${url}${level ? `?level=${level}` : ''}`, value)).status, expected, `level=${level}`);
    }
  });
});
