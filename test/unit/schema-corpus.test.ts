/**
 * The schema against the aas-core test data (aas-core3.1 and the aas-core3.0 environments): every expected example
 * conforms, every unserializable one and every pattern/length violation is reported. The other Invalid causes
 * (ConstraintViolation, InvalidValueExample, ...) are the constraint checker's business, not the schema's.
 *
 * The data lives outside the repository: AAS_TESTDATA (default ../shared/spec/testdata from the repository root).
 * Without it the suite skips and says why; with AAS_TEST_REQUIRE_ALL=1 it fails instead.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkSchema, VALIDATION_CLASSES, type ValidationClass } from '../../src/validation/schema-check.js';

const repositoryRoot = fileURLToPath(new URL('../../', import.meta.url));
const testdata = resolve(repositoryRoot, process.env.AAS_TESTDATA ?? '../shared/spec/testdata');
const core31 = join(testdata, 'aas-core3.1', 'Json');
const core30Environments = join(testdata, 'aas-core3.0', 'Json', 'ContainedInEnvironment', 'Expected');

/** Skips (or, with AAS_TEST_REQUIRE_ALL=1, fails) when a data folder is missing; true when the test may go on. */
function requireFolder(t: TestContext, folder: string): boolean {
  if (existsSync(folder)) return true;
  const reason = `aas-core test data not found at ${folder} (set AAS_TESTDATA to the folder holding aas-core3.1/ and aas-core3.0/)`;
  if (process.env.AAS_TEST_REQUIRE_ALL === '1') assert.fail(`${reason}; AAS_TEST_REQUIRE_ALL=1 requires it`);
  t.skip(reason);
  return false;
}

/** Every *.json below `folder` (the `.json.errors` files beside them are aas-core's expected messages). */
function jsonFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return jsonFiles(path);
    return entry.name.endsWith('.json') ? [path] : [];
  });
}

function asValidationClass(name: string): ValidationClass {
  assert.ok((VALIDATION_CLASSES as readonly string[]).includes(name), `no validation class for test folder ${name}`);
  return name as ValidationClass;
}

function issuesOf(cls: ValidationClass, file: string) {
  return checkSchema(cls, JSON.parse(readFileSync(file, 'utf8')));
}

/** Files of `<folder>/<Class>/**`, with the class their folder names. */
function filesByClass(folder: string): { cls: ValidationClass; file: string }[] {
  return readdirSync(folder).flatMap((name) =>
    jsonFiles(join(folder, name)).map((file) => ({ cls: asValidationClass(name), file })),
  );
}

/** Checks that every file conforms (`expectIssues` false) or has at least one issue; returns how many it checked. */
function assertCorpus(folder: string, expectIssues: boolean, cases = filesByClass(folder)): number {
  const wrong: string[] = [];
  for (const { cls, file } of cases) {
    const issues = issuesOf(cls, file);
    if (expectIssues && issues.length === 0) wrong.push(`${relative(testdata, file)}: accepted`);
    if (!expectIssues && issues.length > 0) {
      wrong.push(`${relative(testdata, file)}: ${issues[0].path} ${issues[0].message}`);
    }
  }
  assert.ok(cases.length > 0, `no test files under ${folder}`);
  assert.deepEqual(wrong.slice(0, 20), [], `${wrong.length} of ${cases.length} files judged wrongly`);
  return cases.length;
}

test('aas-core3.1 Expected: every example conforms to its class', (t) => {
  if (!requireFolder(t, core31)) return;
  const count = assertCorpus(join(core31, 'Expected'), false);
  t.diagnostic(`${count} files`);
});

test('aas-core3.1 Unexpected/Unserializable: every example has a schema issue', (t) => {
  if (!requireFolder(t, core31)) return;
  const root = join(core31, 'Unexpected', 'Unserializable');
  let count = 0;
  for (const cause of readdirSync(root)) count += assertCorpus(join(root, cause), true);
  t.diagnostic(`${count} files`);
});

for (const cause of ['PatternViolation', 'MinLengthViolation', 'MaxLengthViolation']) {
  test(`aas-core3.1 Unexpected/Invalid/${cause}: every example has a schema issue`, (t) => {
    if (!requireFolder(t, core31)) return;
    const count = assertCorpus(join(core31, 'Unexpected', 'Invalid', cause), true);
    t.diagnostic(`${count} files`);
  });
}

test('aas-core3.0 ContainedInEnvironment/Expected: every environment conforms to the V3.1 schema', (t) => {
  if (!requireFolder(t, core30Environments)) return;
  const cases = jsonFiles(core30Environments).map((file) => ({ cls: 'Environment' as const, file }));
  const count = assertCorpus(core30Environments, false, cases);
  t.diagnostic(`${count} files`);
});
