#!/usr/bin/env node
// SMTP ingest benchmark. See bench/README.md.
//
//   node bench/smtp-ingest/run.mjs --target bare|maildev|letterbox -n N -c C --size 2k|50k [--runs R]
//   node bench/smtp-ingest/run.mjs compare  [--runs 3] [--n2k N] [--n50k N] [-c C] [--targets a,b,c]
//   node bench/smtp-ingest/run.mjs memory   [-n 200000] [-c C]           (Letterbox, 2 KB, RSS over time)
//   node bench/smtp-ingest/run.mjs profile  [--target letterbox] [--size 2k] [-n N] [-c C]  (under --cpu-prof)
//
// By default the load generator (this process) is pinned to CPU 1 and the server (with its
// PostgreSQL, for Letterbox) to CPU 0, so each side has one core; --no-pin turns that off.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH_DIR, WORK_DIR } from './lib/deps.mjs';
import { benchOnce } from './lib/bench-once.mjs';
import { pinProcess, waitForIdleCpus } from './lib/proc.mjs';
import { medianTable, ratioLines, runLine } from './lib/report.mjs';
import { profileTarget } from './lib/profile.mjs';

const SERVER_CPU = 0;
const CLIENT_CPU = 1;
const DEFAULTS = { n: 20_000, c: 100, size: '2k', runs: 1, timeoutS: 1_800, warmup: 2_000 };
const COMPARE_DEFAULTS = { runs: 3, n2k: 20_000, n50k: 5_000, targets: 'bare,maildev,letterbox' };
const MEMORY_DEFAULTS = { n: 200_000, progressS: 5 };
const RESULTS_DIR = join(WORK_DIR, 'results');
/** --wait-idle S: before each run wait up to S seconds for both CPUs to be under this busy share. */
const IDLE_THRESHOLD = 0.2;

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    target: { type: 'string' },
    n: { type: 'string', short: 'n' },
    c: { type: 'string', short: 'c' },
    size: { type: 'string' },
    runs: { type: 'string' },
    n2k: { type: 'string' },
    n50k: { type: 'string' },
    targets: { type: 'string' },
    sizes: { type: 'string', default: '2k,50k' },
    timeout: { type: 'string' },
    progress: { type: 'string' },
    'no-pin': { type: 'boolean', default: false },
    'wait-idle': { type: 'string', default: '0' },
    warmup: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
const mode = positionals[0] ?? 'run';
const num = (v, d) => (v === undefined ? d : Number(v));

if (opts.help) {
  console.log(readUsage());
  process.exit(0);
}

const pinned = !opts['no-pin'] && os.cpus().length >= 2;
if (pinned) pinProcess(CLIENT_CPU);
const common = {
  c: num(opts.c, DEFAULTS.c),
  serverCpus: pinned ? SERVER_CPU : null,
  timeoutMs: num(opts.timeout, DEFAULTS.timeoutS) * 1000,
  warmup: num(opts.warmup, DEFAULTS.warmup),
};

mkdirSync(RESULTS_DIR, { recursive: true });
console.log(`# ${new Date().toISOString()} ${mode}; ${os.cpus().length} CPUs (${os.cpus()[0]?.model}), Node ${process.version}; ` +
  `${pinned ? `server on CPU ${SERVER_CPU}, load generator on CPU ${CLIENT_CPU}` : 'not pinned'}`);

const modes = { run: runMode, compare: compareMode, memory: memoryMode, profile: profileMode };
if (!modes[mode]) {
  console.error(`unknown mode ${mode}\n${readUsage()}`);
  process.exit(2);
}
await modes[mode]();

async function measure(o) {
  const maxIdleWaitMs = num(opts['wait-idle'], 0) * 1000;
  if (maxIdleWaitMs > 0) {
    const w = await waitForIdleCpus({ threshold: IDLE_THRESHOLD, maxMs: maxIdleWaitMs });
    console.log(`- waited ${(w.waitedMs / 1000).toFixed(0)} s for idle CPUs: ${w.idle ? 'idle' : 'still busy'} (${w.busy.map((b) => `${(100 * b).toFixed(0)}%`).join(' / ')})`);
  }
  console.log(`- load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; starting ${o.target} ${o.size} n=${o.n} c=${common.c} warm-up ${o.warmup ?? common.warmup}`);
  const result = await benchOnce({ ...common, ...o });
  result.loadavg = os.loadavg();
  console.log(`  ${runLine(result)}`);
  return result;
}

function save(name, data) {
  const file = join(RESULTS_DIR, `${name}-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, JSON.stringify(data, null, 1));
  console.log(`raw results: ${file}`);
}

async function runMode() {
  const runs = [];
  for (let i = 0; i < num(opts.runs, DEFAULTS.runs); i += 1) {
    runs.push(await measure({ target: opts.target ?? 'bare', size: opts.size ?? DEFAULTS.size, n: num(opts.n, DEFAULTS.n) }));
  }
  if (runs.length > 1) console.log(`\n${medianTable([{ runs }])}`);
  save(`run-${opts.target ?? 'bare'}-${opts.size ?? DEFAULTS.size}`, runs);
}

async function compareMode() {
  const targets = (opts.targets ?? COMPARE_DEFAULTS.targets).split(',');
  const sizes = opts.sizes.split(',');
  const runs = num(opts.runs, COMPARE_DEFAULTS.runs);
  const nFor = { '2k': num(opts.n2k, COMPARE_DEFAULTS.n2k), '50k': num(opts.n50k, COMPARE_DEFAULTS.n50k) };
  const groups = [];
  for (const size of sizes) for (const target of targets) groups.push({ target, size, runs: [] });
  // Rounds interleave the targets, so a burst of load from elsewhere on the machine hits all alike.
  for (let round = 0; round < runs; round += 1) {
    for (const g of groups) g.runs.push(await measure({ target: g.target, size: g.size, n: nFor[g.size] }));
  }
  console.log(`\n${medianTable(groups)}\n`);
  for (const line of ratioLines(groups)) console.log(line);
  save('compare', groups);
}

async function memoryMode() {
  const probeFile = join(RESULTS_DIR, `memory-probe-${Date.now()}.jsonl`);
  const result = await measure({
    target: 'letterbox', size: '2k', n: num(opts.n, MEMORY_DEFAULTS.n), warmup: num(opts.warmup, 0),
    nodeArgs: ['--import', join(BENCH_DIR, 'lib', 'memory-probe-preload.mjs')],
    env: { BENCH_MEMORY_PROBE_FILE: probeFile },
    progressMs: num(opts.progress, MEMORY_DEFAULTS.progressS) * 1000,
    onProgress: (p) => console.log(`  t=${p.seconds.toFixed(0)}s accepted ${p.accepted} (${p.intervalRate.toFixed(0)}/s), Node RSS ${p.rssMB?.toFixed(0)} MB`),
  });
  const { timeline } = result.memory;
  const every = Math.max(1, Math.floor(timeline.length / 40));
  console.log('\nt (s) | Node RSS (MB) | Postgres PSS (MB)');
  for (const p of timeline.filter((_, i) => i % every === 0)) console.log(`${p.t.toFixed(0)} | ${p.rssMB.toFixed(0)} | ${p.dbMB?.toFixed(0) ?? ''}`);
  if (existsSync(probeFile)) {
    result.memoryProbe = readFileSync(probeFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const probe = result.memoryProbe;
    const step = Math.max(1, Math.floor(probe.length / 25));
    console.log('\nThe server\'s own view (process.memoryUsage, MB), t from server start:\nt (s) | rss | heapTotal | heapUsed | external | arrayBuffers');
    for (const p of probe.filter((_, i) => i % step === 0)) console.log(`${p.t} | ${p.rss} | ${p.heapTotal} | ${p.heapUsed} | ${p.external} | ${p.arrayBuffers}`);
  }
  save('memory', result);
}

async function profileMode() {
  const size = opts.size ?? DEFAULTS.size;
  const target = opts.target ?? 'letterbox';
  const out = await profileTarget({ target, size, n: num(opts.n, DEFAULTS.n), measure });
  save(`profile-${target}-${size}`, out);
}

function readUsage() {
  return 'usage: see the header of bench/smtp-ingest/run.mjs and bench/README.md';
}
