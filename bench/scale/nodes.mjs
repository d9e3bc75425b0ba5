#!/usr/bin/env node
// One Letterbox node versus two on the same database (issue 7): the same N messages over the same
// C connections, all to one node, or split evenly over two nodes sharing node A's PostgreSQL.
// Every node and the database run on CPU 0, the generator on CPU 1, so both configurations get
// the same hardware: on this 2-core machine the question is whether two nodes contend (the
// catch-all INBOX row lock, UID allocation across nodes) rather than whether they scale.
// After each run: every acknowledged message stored once, catch-all UIDs unique and gap-free.
//
//   node bench/scale/nodes.mjs [-n 100000] [-c 100] [--size 2k] [--runs 3] [--load-test-mode on|off]
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { WORK_DIR, importFromServer } from '../smtp-ingest/lib/deps.mjs';
import { runLoad } from '../smtp-ingest/lib/load.mjs';
import { buildPayload } from '../smtp-ingest/lib/payloads.mjs';
import { cpuMsOf, pinProcess } from '../smtp-ingest/lib/proc.mjs';
import { startLetterbox } from '../smtp-ingest/targets/letterbox.mjs';
import { CpuTracker } from './lib/cpu-tracker.mjs';
import { startExtraNode } from './lib/extra-node.mjs';
import { lazyPayload } from './lib/lazy-payload.mjs';

const SERVER_CPU = 0;
const CLIENT_CPU = 1;
const WARMUP_PER_NODE = 2_000;
const TIMEOUT_MS = 30 * 60_000;

const { values: opts } = parseArgs({
  options: {
    n: { type: 'string', short: 'n', default: '100000' },
    c: { type: 'string', short: 'c', default: '100' },
    size: { type: 'string', default: '2k' },
    runs: { type: 'string', default: '3' },
    'load-test-mode': { type: 'string', default: 'on' },
  },
});
const total = Number(opts.n);
const connections = Number(opts.c);
pinProcess(CLIENT_CPU);
mkdirSync(join(WORK_DIR, 'logs'), { recursive: true });
mkdirSync(join(WORK_DIR, 'results'), { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const logFile = createWriteStream(join(WORK_DIR, 'logs', `scale-nodes-${stamp}.log`));
console.log(`# ${new Date().toISOString()} nodes: n=${total} c=${connections} size=${opts.size} runs=${opts.runs} ` +
  `load-test-mode=${opts['load-test-mode']}; ${os.cpus().length} CPUs, Node ${process.version}; servers + PostgreSQL on CPU ${SERVER_CPU}, generator on CPU ${CLIENT_CPU}`);

async function measure(nodeCount) {
  const env = { LETTERBOX_LOAD_TEST_MODE: opts['load-test-mode'] };
  // A flag, not only the environment: the target passes --load-test-mode itself, and flags win.
  const a = await startLetterbox({ cpus: SERVER_CPU, env, logFile, loadTestMode: opts['load-test-mode'] === 'on' });
  const nodes = [{ name: 'A', port: a.port, pid: a.pid }];
  let b = null;
  try {
    if (nodeCount === 2) {
      b = await startExtraNode({ databaseUrl: a.databaseUrl, cpus: SERVER_CPU, env, logFile });
      nodes.push({ name: 'B', port: b.port, pid: b.pid });
    }
    for (const node of nodes) {
      const w = await runLoad({ host: '127.0.0.1', port: node.port, payload: buildPayload(opts.size, WARMUP_PER_NODE, { warmup: true }),
        total: WARMUP_PER_NODE, connections: connections / nodeCount, timeoutMs: TIMEOUT_MS });
      if (w.accepted !== WARMUP_PER_NODE) throw new Error(`warm-up on ${node.name}: ${w.accepted} accepted ${JSON.stringify(w.errors)}`);
    }
    const share = total / nodeCount;
    const cpuBefore = nodes.map((n) => cpuMsOf(n.pid));
    const tracker = new CpuTracker(() => [...nodes.map((n) => n.pid), ...a.dbPids()]);
    const started = performance.now();
    const results = await Promise.all(nodes.map((node, i) => runLoad({
      host: '127.0.0.1', port: node.port, payload: lazyPayload(opts.size, i * share, `n${nodeCount}.test`),
      total: share, connections: connections / nodeCount, timeoutMs: TIMEOUT_MS,
    })));
    const seconds = (performance.now() - started) / 1000;
    const nodeCpuMs = nodes.map((n, i) => cpuMsOf(n.pid) - cpuBefore[i]);
    const totalCpuMs = tracker.totalMs();
    tracker.stop();
    const accepted = results.reduce((n, r) => n + r.accepted, 0);
    const check = await verify(a.databaseUrl, accepted + WARMUP_PER_NODE * nodeCount);
    return {
      nodes: nodeCount, accepted, seconds, rate: accepted / seconds, cpuMsPerMessage: totalCpuMs / accepted,
      perNode: results.map((r, i) => ({ node: nodes[i].name, accepted: r.accepted, rate: r.rate, p50: r.p50, p99: r.p99, errors: r.errors, cpuMs: nodeCpuMs[i] })),
      check,
    };
  } finally {
    await b?.stop();
    await a.stop();
  }
}

/** Every acknowledged message stored once; delivery numbers (messages.deliverySeq) unique and gap-free. */
async function verify(url, expected) {
  const pg = await importFromServer('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const row = (await client.query(
      `SELECT count(*)::bigint AS n, count(DISTINCT "deliverySeq")::bigint AS distinct_seqs,
              (max("deliverySeq") - min("deliverySeq") + 1)::bigint AS span FROM messages`)).rows[0];
    const stored = Number(row.n);
    const ok = stored === expected && Number(row.distinct_seqs) === expected && Number(row.span) === expected;
    return { ok, stored, expected, distinctDeliverySeqs: Number(row.distinct_seqs), deliverySeqSpan: Number(row.span) };
  } finally {
    await client.end();
  }
}

const runs = [];
for (let r = 0; r < Number(opts.runs); r++) {
  for (const nodeCount of [1, 2]) {
    const result = await measure(nodeCount);
    runs.push(result);
    console.log(`run ${r + 1}, ${nodeCount} node(s): ${result.rate.toFixed(0)} msgs/s over ${result.seconds.toFixed(1)} s, ` +
      `nodes+PostgreSQL CPU ${result.cpuMsPerMessage.toFixed(3)} ms/msg; ` +
      result.perNode.map((p) => `${p.node}: ${p.accepted} acked, p50 ${p.p50.toFixed(1)} ms, p99 ${p.p99.toFixed(1)} ms, CPU ${(p.cpuMs / 1000).toFixed(1)} s`).join('; ') +
      `; check ${result.check.ok ? 'ok' : `FAILED ${JSON.stringify(result.check)}`}`);
  }
}
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
const one = median(runs.filter((r) => r.nodes === 1).map((r) => r.rate));
const two = median(runs.filter((r) => r.nodes === 2).map((r) => r.rate));
const cpuOne = median(runs.filter((r) => r.nodes === 1).map((r) => r.cpuMsPerMessage));
const cpuTwo = median(runs.filter((r) => r.nodes === 2).map((r) => r.cpuMsPerMessage));
console.log(`\nmedian msgs/s: one node ${one.toFixed(0)}, two nodes ${two.toFixed(0)} (${((two / one) * 100).toFixed(0)}% of one node)`);
console.log(`median CPU ms/msg (nodes + PostgreSQL): one node ${cpuOne.toFixed(3)}, two nodes ${cpuTwo.toFixed(3)}`);
const out = join(WORK_DIR, 'results', `scale-nodes-${stamp}.json`);
writeFileSync(out, JSON.stringify({ opts, runs, median: { one, two, cpuOne, cpuTwo } }, null, 2));
console.log(`saved ${out}`);
logFile.end();
