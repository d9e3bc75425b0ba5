#!/usr/bin/env node
// The whole test suite, as the README's Quick start runs it and CI (.ci/run) calls it:
// typecheck and lint every package, run every package's vitest suite, then print one line
// `N passed, N failed` summed over every package (a failed typecheck or lint counts as a failure).
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const resultsDir = join(root, '.test-results');
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

// Started as `npx pnpm@10 test` on a machine without a global pnpm, nothing named `pnpm` is on
// PATH, yet turbo runs each package's script through it: put a shim to this very pnpm first.
if (process.env.npm_execpath?.includes('pnpm')) {
  const shimDir = join(resultsDir, 'bin');
  mkdirSync(shimDir, { recursive: true });
  const shim = join(shimDir, 'pnpm');
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${process.env.npm_execpath}" "$@"\n`);
  chmodSync(shim, 0o755);
  process.env.PATH = `${shimDir}${delimiter}${process.env.PATH}`;
}

const turbo = (task, { logs = 'errors-only', extra = [] } = {}) =>
  spawnSync('turbo', ['run', task, `--output-logs=${logs}`, ...extra], {
    cwd: root,
    stdio: 'inherit',
  }).status === 0;

let checkFailures = 0;
for (const task of ['typecheck', 'lint']) {
  if (!turbo(task)) {
    console.error(`\n${task} failed (counted as one failure)`);
    checkFailures += 1;
  }
}

// Packages' suites run one after another: each starts its own servers and Postgres, and CI has 2 cores.
const suitesOk = turbo('test', { logs: 'full', extra: ['--concurrency=1', '--continue'] });

const expectedReports = readdirSync(join(root, 'apps'))
  .concat(readdirSync(join(root, 'packages')))
  .filter((name) => existsSync(join(root, 'apps', name, 'vitest.config.ts')) || existsSync(join(root, 'packages', name, 'vitest.config.ts')));

let passed = 0;
let failed = checkFailures;
const reports = existsSync(resultsDir) ? readdirSync(resultsDir).filter((f) => f.endsWith('.json')) : [];
for (const file of reports) {
  const report = JSON.parse(readFileSync(join(resultsDir, file), 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  // A file that failed to load (syntax error, failing hook) has no tests counted: count it once.
  failed += report.testResults.filter((r) => r.status === 'failed' && r.assertionResults.length === 0).length;
}
const missing = expectedReports.length - reports.length;
if (missing > 0) {
  console.error(`\n${missing} package suite(s) wrote no report (crashed before reporting)`);
  failed += missing;
}
if (!suitesOk && failed === 0) failed = 1;

console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failed === 0 && suitesOk ? 0 : 1);
