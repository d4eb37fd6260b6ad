/**
 * The constraint checker against the aas-core test data (../shared/spec/testdata, or $AAS_TESTDATA):
 * - every 3.1 `Expected/<Class>/**.json` and every 3.0 `ContainedInEnvironment/Expected/**.json` (3.0
 *   documents the server must still accept) gives no constraint issue;
 * - every 3.1 `Unexpected/Invalid/<Cause>/<Class>/**.json` for the causes that are the checker's job gives at
 *   least one issue, naming every constraint id its `.json.errors` file names;
 * - nothing in the corpus, including the Unserializable cases, makes it throw or emit a malformed issue.
 * Pattern and length violations are the schema's job; how many of them the checker flags anyway is printed.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { test, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { checkConstraints } from '../../src/validation/constraints/index.js';
import type { ValidationIssue } from '../../src/validation/issues.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const testdata = resolve(repoRoot, process.env.AAS_TESTDATA ?? '../shared/spec/testdata');
const v31 = join(testdata, 'aas-core3.1', 'Json');
const v30 = join(testdata, 'aas-core3.0', 'Json');

/** Causes whose cases the constraint checker (not the schema) must flag. */
const CONSTRAINT_CAUSES = ['ConstraintViolation', 'InvalidValueExample', 'InvalidRangeExample', 'DateTimeUtcViolationOnFebruary29th'];
const SCHEMA_CAUSES = ['PatternViolation', 'MinLengthViolation', 'MaxLengthViolation'];

function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir).sort()) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) out.push(...jsonFiles(path));
    else if (entry.endsWith('.json')) out.push(path);
  }
  return out;
}

/** The class of a case: the first folder under `base` (`Expected/<Class>/…`, `Invalid/<Cause>/<Class>/…`). */
function classOf(base: string, file: string): string {
  return relative(base, file).split(sep)[0];
}

function check(cls: string, file: string): ValidationIssue[] {
  return checkConstraints(cls, JSON.parse(readFileSync(file, 'utf8')) as unknown);
}

/** Constraint ids as the `.errors` files spell them; aas-core writes AASc-3a-002 as "AASc-002". */
function constraintIds(text: string): string[] {
  return [...new Set((text.match(/AAS[dc]-(?:3a-)?\d+/g) ?? []).map((id) => (id === 'AASc-002' ? 'AASc-3a-002' : id)))];
}

function requireTestdata(t: TestContext): boolean {
  if (existsSync(v31) && existsSync(v30)) return true;
  const reason = `aas-core test data not found at ${testdata} (set AAS_TESTDATA)`;
  if (process.env.AAS_TEST_REQUIRE_ALL === '1') assert.fail(`${reason}; AAS_TEST_REQUIRE_ALL=1 demands it`);
  t.skip(reason);
  return false;
}

function summarize(failures: string[]): string {
  return `${failures.length} case(s), first ones:\n${failures.slice(0, 10).join('\n')}`;
}

test('3.1 Expected cases have no constraint issue', (t) => {
  if (!requireTestdata(t)) return;
  const base = join(v31, 'Expected');
  const files = jsonFiles(base);
  assert.ok(files.length > 2000, `expected the full corpus, found ${files.length} files`);
  const failures: string[] = [];
  for (const file of files) {
    const issues = check(classOf(base, file), file);
    if (issues.length > 0) failures.push(`${relative(testdata, file)}: ${JSON.stringify(issues)}`);
  }
  t.diagnostic(`3.1 Expected: ${files.length - failures.length}/${files.length} without issues`);
  assert.equal(failures.length, 0, summarize(failures));
});

test('3.0 ContainedInEnvironment Expected documents (class Environment) have no constraint issue', (t) => {
  if (!requireTestdata(t)) return;
  const files = jsonFiles(join(v30, 'ContainedInEnvironment', 'Expected'));
  assert.ok(files.length > 2000, `expected the full corpus, found ${files.length} files`);
  const failures: string[] = [];
  for (const file of files) {
    const issues = check('Environment', file);
    if (issues.length > 0) failures.push(`${relative(testdata, file)}: ${JSON.stringify(issues)}`);
  }
  t.diagnostic(`3.0 Expected: ${files.length - failures.length}/${files.length} without issues`);
  assert.equal(failures.length, 0, summarize(failures));
});

for (const cause of CONSTRAINT_CAUSES) {
  test(`3.1 Invalid/${cause} cases are flagged, with the constraint ids their .errors name`, (t) => {
    if (!requireTestdata(t)) return;
    const base = join(v31, 'Unexpected', 'Invalid', cause);
    const files = jsonFiles(base);
    assert.ok(files.length > 0, `no cases under ${base}`);
    const unflagged: string[] = [];
    const wrongIds: string[] = [];
    for (const file of files) {
      const issues = check(classOf(base, file), file);
      if (issues.length === 0) unflagged.push(relative(testdata, file));
      const errorsFile = `${file}.errors`;
      if (!existsSync(errorsFile)) continue;
      const named = new Set(issues.flatMap((i) => i.message.match(/^AAS[dc]-(?:3a-)?\d+/) ?? []));
      const missing = constraintIds(readFileSync(errorsFile, 'utf8')).filter((id) => !named.has(id));
      if (missing.length > 0) wrongIds.push(`${relative(testdata, file)}: missing ${missing.join(', ')} in ${JSON.stringify(issues)}`);
    }
    t.diagnostic(`${cause}: ${files.length - unflagged.length}/${files.length} flagged`);
    assert.equal(unflagged.length, 0, summarize(unflagged));
    assert.equal(wrongIds.length, 0, summarize(wrongIds));
  });
}

test('no corpus case makes the checker throw or emit a malformed issue; schema-only causes counted', (t) => {
  if (!requireTestdata(t)) return;
  const roots = [join(v31, 'Unexpected'), join(v30, 'ContainedInEnvironment', 'Unexpected'), join(v30, 'SelfContained')];
  let checked = 0;
  for (const root of roots) {
    for (const file of jsonFiles(root)) {
      // Unserializable/<Cause>/<Class>/… and Invalid/<Cause>/<Class>/… (3.1); 3.0 documents are Environments.
      const parts = relative(root, file).split(sep);
      const cls = root.startsWith(v31) ? parts[2] : file.includes(`${sep}EventPayload${sep}`) ? 'EventPayload' : 'Environment';
      let value: unknown;
      try {
        value = JSON.parse(readFileSync(file, 'utf8'));
      } catch {
        continue; // not JSON at all: nothing to check
      }
      const issues = checkConstraints(cls, value);
      checked++;
      for (const issue of issues) {
        assert.equal(issue.kind, 'constraint', file);
        assert.match(issue.path, /^\$/, file);
        assert.ok(issue.message.length > 0, file);
        assert.ok(!issue.message.startsWith('constraint check could not finish'), `${file}: ${issue.message}`);
      }
    }
  }
  assert.ok(checked > 3000, `expected the full corpus, checked ${checked} files`);

  for (const cause of SCHEMA_CAUSES) {
    const base = join(v31, 'Unexpected', 'Invalid', cause);
    const files = jsonFiles(base);
    const flagged = files.filter((file) => check(classOf(base, file), file).length > 0).length;
    t.diagnostic(`${cause} (the schema's job): ${flagged}/${files.length} flagged by constraints too`);
  }
});
