import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig, parseSize } from '../../src/config.js';

describe('configuration', () => {
  it('has the documented defaults', () => {
    const c = loadConfig({}, []);
    assert.equal(c.port, 8081);
    assert.equal(c.basePath, '/api/v3.0');
    assert.equal(c.store, 'embedded');
    assert.equal(c.dataDir, './data');
    assert.equal(c.demo, true);
    assert.equal(c.validation, 'strict');
    assert.equal(c.maxPageLimit, 1000);
    assert.equal(c.bodyLimit, 10 * 1024 * 1024);
  });

  it('reads environment variables, and CLI flags win', () => {
    const env = { AAS_PORT: '9000', AAS_BASE_PATH: '/api/', AAS_DEMO: 'false', AAS_VALIDATION: 'lenient', AAS_BODY_LIMIT: '2mb' };
    const c = loadConfig(env, ['--port', '9001', '--preload-dir', '/tmp/x']);
    assert.equal(c.port, 9001);
    assert.equal(c.basePath, '/api');
    assert.equal(c.demo, false);
    assert.equal(c.validation, 'lenient');
    assert.equal(c.bodyLimit, 2 * 1024 * 1024);
    assert.equal(c.preloadDir, '/tmp/x');
    assert.equal(loadConfig({ AAS_DEMO: 'true' }, ['--no-demo']).demo, false);
  });

  it('allows an empty base path', () => {
    assert.equal(loadConfig({ AAS_BASE_PATH: '' }, []).basePath, '');
    assert.equal(loadConfig({}, ['--base-path', '/']).basePath, '');
  });

  it('names the setting when a value is malformed', () => {
    assert.throws(() => loadConfig({ AAS_PORT: 'eighty' }, []), (e: unknown) => e instanceof ConfigError && /AAS_PORT/.test((e as Error).message));
    assert.throws(() => loadConfig({ AAS_STORE: 'postgres' }, []), /AAS_STORE.*embedded, mongodb/);
    assert.throws(() => loadConfig({}, ['--bogus']), ConfigError);
  });

  it('parses sizes', () => {
    assert.equal(parseSize('512kb'), 512 * 1024);
    assert.equal(parseSize('1048576'), 1048576);
    assert.throws(() => parseSize('ten'), ConfigError);
  });
});
