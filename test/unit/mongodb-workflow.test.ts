/**
 * The CI workflow (.github/workflows/ci.yml) parses and does what the MongoDB store's tests need: the whole suite
 * with a mongo:7 service container named by AAS_TEST_MONGODB_URI, and a single-node replica set job that runs the
 * MongoDB store suite against it. A broken workflow file fails here, not only on GitHub.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { projectFile } from '../../src/project-files.js';

interface Step {
  run?: string;
  uses?: string;
  with?: Record<string, unknown>;
}
interface Job {
  'runs-on': string;
  env?: Record<string, string>;
  services?: Record<string, { image: string; ports?: string[] }>;
  steps: Step[];
}

const workflow = parse(readFileSync(projectFile('.github/workflows/ci.yml'), 'utf8')) as { on: unknown; jobs: Record<string, Job> };
const runs = (job: Job) => job.steps.map((s) => s.run ?? '').join('\n');

describe('CI workflow', () => {
  it('runs on pushes and pull requests, every job on ubuntu-latest with Node 20', () => {
    assert.ok(workflow.on && typeof workflow.on === 'object' && 'push' in workflow.on && 'pull_request' in workflow.on);
    for (const [name, job] of Object.entries(workflow.jobs)) {
      assert.equal(job['runs-on'], 'ubuntu-latest', name);
      const node = job.steps.find((s) => s.uses?.startsWith('actions/setup-node'));
      assert.equal(node?.with?.['node-version'], 20, name);
    }
  });

  it('builds, type-checks, lints and runs the whole suite against a mongo:7 service container', () => {
    const job = Object.values(workflow.jobs).find((j) => Object.values(j.services ?? {}).some((s) => s.image === 'mongo:7'));
    assert.ok(job, 'no job with a mongo:7 service');
    const script = runs(job);
    for (const command of ['npm ci', 'npm run build', 'npm run typecheck', 'npm run lint', 'npm test']) assert.ok(script.includes(command), command);
    assert.match(job.env?.AAS_TEST_MONGODB_URI ?? '', /^mongodb:\/\/127\.0\.0\.1:27017\//);
    const service = Object.values(job.services!).find((s) => s.image === 'mongo:7')!;
    assert.ok(service.ports?.includes('27017:27017'));
  });

  it('runs the MongoDB store suite on a single-node replica set', () => {
    const job = Object.values(workflow.jobs).find((j) => /--replSet rs0/.test(runs(j)));
    assert.ok(job, 'no job starts mongod --replSet rs0');
    const script = runs(job);
    assert.match(script, /mongo:7/);
    assert.match(script, /rs\.initiate\(/);
    assert.match(script, /test\/store\/mongodb\.test\.ts/);
    assert.match(job.env?.AAS_TEST_MONGODB_URI ?? '', /replicaSet=rs0/);
    assert.equal(job.env?.AAS_TEST_MONGODB_TOPOLOGY, 'replicaSet');
  });

  it('does not demand components these runners do not install', () => {
    assert.doesNotMatch(JSON.stringify(workflow), /AAS_TEST_REQUIRE_ALL/);
  });
});
