#!/usr/bin/env node
// The million-address ingest run (issue 7): N messages, each to a never-seen address, through the
// SMTP ingest benchmark's pipelined generator (../smtp-ingest/lib/load.mjs) into one Letterbox
// (default configuration, embedded PostgreSQL, retention off), in windows of W messages. Per
// window: throughput, reply latency, Node RSS, PostgreSQL memory, database size and bytes per
// message. The floor: the last window's throughput within 80% of the first's, and flat memory.
//
//   node bench/scale/million.mjs [-n 1000000] [--window 100000] [-c 100] [--size 2k]
//                                [--load-test-mode on|off] [--retention-max-messages N] [--settle S] [--no-pin]
//                                [--pg-stats]
//
// Like ../smtp-ingest/run.mjs, the generator is pinned to CPU 1 and the server with its
// PostgreSQL to CPU 0. Each window reconnects its C connections (the clock starts once all are
// ready); the gap between windows is one size query.
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { WORK_DIR } from '../smtp-ingest/lib/deps.mjs';
import { runLoad } from '../smtp-ingest/lib/load.mjs';
import { buildPayload } from '../smtp-ingest/lib/payloads.mjs';
import { cpuBusyShare, cpuTimes, memoryOf, pinProcess, pssOf } from '../smtp-ingest/lib/proc.mjs';
import { RssSampler } from '../smtp-ingest/lib/rss-sampler.mjs';
import { startLetterbox } from '../smtp-ingest/targets/letterbox.mjs';
import { CpuTracker } from './lib/cpu-tracker.mjs';
import { openDb } from './lib/db-size.mjs';
import { lazyPayload } from './lib/lazy-payload.mjs';

const SERVER_CPU = 0;
const CLIENT_CPU = 1;
/** Warm-up messages before the clock: JIT and caches warm, so window 1 is not handicapped. */
const WARMUP = 5_000;
/** The floor: throughput of the last window at least this share of the first's. */
const FLOOR = 0.8;
const WINDOW_TIMEOUT_MS = 30 * 60_000;
const MB = 1024 * 1024;

const { values: opts } = parseArgs({
  options: {
    n: { type: 'string', short: 'n', default: '1000000' },
    window: { type: 'string', default: '100000' },
    c: { type: 'string', short: 'c', default: '100' },
    size: { type: 'string', default: '2k' },
    'load-test-mode': { type: 'string', default: 'on' },
    'retention-max-messages': { type: 'string', default: 'off' },
    'no-pin': { type: 'boolean', default: false },
    /** PostgreSQL with pg_stat_statements (the bench's own, not the embedded one): top statements at the end. */
    'pg-stats': { type: 'boolean', default: false },
    /** Seconds to wait after the load before the last size reading (retention catching up). */
    settle: { type: 'string', default: '0' },
  },
});
const total = Number(opts.n);
const window = Number(opts.window);
const connections = Number(opts.c);
const pinned = !opts['no-pin'] && os.cpus().length >= 2;
if (pinned) pinProcess(CLIENT_CPU);

mkdirSync(join(WORK_DIR, 'logs'), { recursive: true });
mkdirSync(join(WORK_DIR, 'results'), { recursive: true });
const stamp = new Date().toISOString().replace(/[:.]/g, '-');
const logFile = createWriteStream(join(WORK_DIR, 'logs', `scale-million-${stamp}.log`));
console.log(`# ${new Date().toISOString()} million: n=${total} window=${window} c=${connections} size=${opts.size} ` +
  `load-test-mode=${opts['load-test-mode']} retention=${opts['retention-max-messages']}; ${os.cpus().length} CPUs, Node ${process.version}; ` +
  (pinned ? `server on CPU ${SERVER_CPU}, generator on CPU ${CLIENT_CPU}` : 'not pinned'));

const server = await startLetterbox({
  cpus: pinned ? SERVER_CPU : null,
  logFile,
  // A flag, not the environment: the target passes --load-test-mode itself, and flags win.
  loadTestMode: opts['load-test-mode'] === 'on',
  pgStats: opts['pg-stats'],
  env: { LETTERBOX_RETENTION_MAX_MESSAGES: opts['retention-max-messages'] },
});
const db = await openDb(server.databaseUrl);
const windows = [];
let sampler;
let cpu;
try {
  const warm = await runLoad({ host: '127.0.0.1', port: server.port, payload: buildPayload(opts.size, WARMUP, { warmup: true }),
    total: WARMUP, connections, timeoutMs: WINDOW_TIMEOUT_MS });
  if (warm.accepted !== WARMUP) throw new Error(`warm-up: ${warm.accepted} of ${WARMUP} accepted ${JSON.stringify(warm.errors)}`);
  const base = await db.size();
  await server.dbStats?.reset();
  sampler = new RssSampler(server.pid, server.dbPids);
  cpu = new CpuTracker(() => [server.pid, ...server.dbPids()]);
  console.log('window | messages so far | msgs/s | p50 ms | p99 ms | server+PG CPU ms/msg | CPU0/CPU1 busy % | Node RSS MB | Postgres PSS MB | DB MB | DB bytes/message | message rows (live) | accounts');
  for (let offset = 0; offset < total; offset += window) {
    const count = Math.min(window, total - offset);
    const cpuBefore = cpu.totalMs();
    const machineBefore = cpuTimes();
    const r = await runLoad({ host: '127.0.0.1', port: server.port, payload: lazyPayload(opts.size, offset),
      total: count, connections, timeoutMs: WINDOW_TIMEOUT_MS });
    const cpuMsPerMessage = (cpu.totalMs() - cpuBefore) / r.accepted;
    const busy = cpuBusyShare(machineBefore, cpuTimes()).map((b) => Math.round(b * 100));
    const size = await db.size();
    const stored = size.messages - base.messages;
    const row = {
      window: windows.length + 1, to: offset + count, accepted: r.accepted, errors: r.errors,
      seconds: r.seconds, rate: r.rate, p50: r.p50, p99: r.p99, cpuMsPerMessage, machineBusyPercent: busy,
      rssMB: memoryOf(server.pid)?.rssMB ?? null,
      pgPssMB: server.dbPids().reduce((sum, pid) => sum + pssOf(pid), 0),
      dbMB: size.bytes / MB, stored, bytesPerMessage: (size.bytes - base.bytes) / stored,
    };
    windows.push(row);
    console.log(`${row.window} | ${row.to} | ${row.rate.toFixed(0)} | ${row.p50.toFixed(1)} | ${row.p99.toFixed(1)} | ${cpuMsPerMessage.toFixed(3)} | ${busy.join('/')} | ` +
      `${row.rssMB?.toFixed(0)} | ${row.pgPssMB.toFixed(0)} | ${row.dbMB.toFixed(0)} | ${row.bytesPerMessage.toFixed(0)} | ` +
      `${size.messages} (${size.live}) | ${size.accounts}` +
      (r.accepted !== count ? ` | NOT ALL ACCEPTED ${JSON.stringify(r.errors)}` : ''));
  }
  const memory = sampler.stop();
  sampler = null;
  const final = await db.size();
  const accepted = windows.reduce((n, w) => n + w.accepted, 0);
  const first = windows[0];
  const last = windows.at(-1);
  const summary = {
    accepted, storedAfterWarmup: final.messages - base.messages, accounts: final.accounts,
    lastOverFirst: last.rate / first.rate, floorMet: last.rate >= FLOOR * first.rate,
    cpuLastOverFirst: last.cpuMsPerMessage / first.cpuMsPerMessage,
    rssFirstMB: first.rssMB, rssLastMB: last.rssMB, peakRssMB: memory.peakRssMB, peakPgPssMB: memory.peakDbMB,
  };
  console.log(`\naccepted ${accepted}, stored ${summary.storedAfterWarmup} (must be equal), accounts ${final.accounts}`);
  console.log(`last/first window throughput ${(summary.lastOverFirst * 100).toFixed(0)}% (floor ${FLOOR * 100}%: ${summary.floorMet ? 'met' : 'NOT met'})`);
  console.log(`server+PostgreSQL CPU per message, last/first window: ${(summary.cpuLastOverFirst * 100).toFixed(0)}%`);
  console.log(`Node RSS after window 1 ${first.rssMB?.toFixed(0)} MB, after the last ${last.rssMB?.toFixed(0)} MB, peak ${memory.peakRssMB.toFixed(0)} MB`);
  const settleS = Number(opts.settle);
  if (settleS > 0) {
    await new Promise((resolve) => setTimeout(resolve, settleS * 1000));
    const settled = await db.size();
    summary.afterSettle = { seconds: settleS, ...settled };
    console.log(`${settleS} s after the load: ${settled.messages} message rows (${settled.live} live), ${settled.accounts} accounts, DB ${(settled.bytes / MB).toFixed(0)} MB`);
  }
  if (server.dbStats) {
    const stats = await server.dbStats.read();
    summary.statements = stats;
    console.log(`PostgreSQL execution ${stats.total.execMs.toFixed(0)} ms, WAL ${(stats.total.walBytes / MB).toFixed(0)} MB; top statements:`);
    for (const st of stats.statements) {
      console.log(`  ${st.exec_ms.toFixed(0).padStart(8)} ms ${String(st.calls).padStart(7)} calls ${String(st.rows).padStart(8)} rows ` +
        `${(st.wal_bytes / MB).toFixed(0).padStart(5)} MB WAL  ${st.statement}`);
    }
  }
  const tables = await db.tables();
  console.log('bytes per message by table (all messages incl. warm-up): ' +
    tables.filter((t) => t.bytes > MB).map((t) => `${t.name} ${(t.bytes / final.messages).toFixed(0)}`).join(', '));
  summary.tables = tables;
  const out = join(WORK_DIR, 'results', `scale-million-${stamp}.json`);
  writeFileSync(out, JSON.stringify({ opts, windows, summary, rssTimeline: memory.timeline.filter((_, i) => i % 20 === 0) }, null, 2));
  console.log(`saved ${out}`);
} finally {
  sampler?.stop();
  cpu?.stop();
  await db.close();
  await server.stop();
  logFile.end();
}
