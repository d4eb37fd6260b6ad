/**
 * The demo environment must also pass the server's own metamodel 3.1 validation (schema and AASd/AASc
 * constraints), since the server validates every write the same way and serves 3.1.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { checkConstraints } from '../../src/validation/constraints/index.js';
import type { ValidationIssue } from '../../src/validation/issues.js';
import { checkSchema } from '../../src/validation/schema-check.js';

function readDemoEnvironment(): unknown {
  return JSON.parse(readFileSync(new URL('../../src/demo/environment.json', import.meta.url), 'utf8'));
}

const render = (issues: readonly ValidationIssue[]) => issues.map((i) => `${i.kind} ${i.path}: ${i.message}`);

test('the demo environment conforms to the metamodel 3.1 schema', () => {
  assert.deepEqual(render(checkSchema('Environment', readDemoEnvironment())), []);
});

test('the demo environment satisfies the metamodel 3.1 constraints', () => {
  assert.deepEqual(render(checkConstraints('Environment', readDemoEnvironment())), []);
});
