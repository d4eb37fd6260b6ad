import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { SETTINGS } from '../../src/config.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('lists every setting with its variable and flag in the configuration table', () => {
    const rows = readme.split('\n').filter((line) => line.startsWith('| `'));
    for (const s of SETTINGS) {
      const row = rows.find((r) => r.startsWith(`| \`${s.env}\` |`));
      assert.ok(row, `${s.env} is missing from the README's configuration table`);
      assert.ok(row.includes(`\`--${s.flag}\``), `${s.env}: flag --${s.flag} not in its row`);
    }
  });

  it('has the two quick-start commands', () => {
    assert.match(readme, /npm install && npm start/);
    assert.match(readme, /^npm test\b/m);
  });
});
