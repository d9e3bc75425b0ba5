// Profile mode: one run of a target (Letterbox by default) under `node --cpu-prof`, then a
// self-time summary of the load phase (per function and per origin) with CPU milliseconds per
// accepted message. For Letterbox, pg-timing-preload.mjs also counts and times every SQL round
// trip, so the summary shows round trips per message, batch sizes and transaction times.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_DIR, WORK_DIR } from './deps.mjs';
import { summariseProfile } from './cpuprofile.mjs';

const PG_TIMING_PRELOAD = join(BENCH_DIR, 'lib', 'pg-timing-preload.mjs');
const MESSAGE_INSERT = /^INSERT INTO messages \(raw/;
const MESSAGE_COLUMNS = 11;

export async function profileTarget({ target, size, n, measure }) {
  const dir = join(WORK_DIR, 'profiles', `${target}-${size}-${Date.now()}`);
  mkdirSync(dir, { recursive: true });
  const pgTimingFile = join(dir, 'pg-timing.json');
  const letterbox = target === 'letterbox';
  const nodeArgs = ['--cpu-prof', '--cpu-prof-dir', dir, ...(letterbox ? ['--import', PG_TIMING_PRELOAD] : [])];
  const result = await measure({ target, size, n, nodeArgs, env: { BENCH_PG_TIMING_FILE: pgTimingFile }, pgStats: letterbox });
  const files = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) throw new Error(`no .cpuprofile written in ${dir} (did the server exit cleanly?)`);
  const summaries = files.map((f) => ({ file: join(dir, f), ...summariseProfile(join(dir, f), result.loadWindowUs) }));
  for (const s of summaries.filter((x) => x.busyMs > 0)) printSummary(s, result.accepted);
  const pgTiming = existsSync(pgTimingFile) ? JSON.parse(readFileSync(pgTimingFile, 'utf8')) : null;
  if (pgTiming) printPgTiming(pgTiming, result.accepted);
  if (result.sqlStats) {
    printSqlStats('during the load (ingest, plus whatever the parser did meanwhile)', result.sqlStats.load, result.accepted);
    printSqlStats('while the parse backlog drained after the load', result.sqlStats.drain, result.parse?.pendingAtEnd);
  }
  return { result, summaries, pgTiming };
}

function printSummary(s, accepted) {
  const perMsg = (ms) => (accepted ? (ms / accepted).toFixed(3) : '-');
  console.log(`\nprofile ${s.file}${s.windowed ? ' (load phase only)' : ' (whole process)'}: ` +
    `${s.busyMs.toFixed(0)} ms on CPU of ${s.totalMs.toFixed(0)} ms, ${perMsg(s.busyMs)} ms per accepted message`);
  console.log('\n| self ms | ms/msg | % busy | function | where |\n|---|---|---|---|---|');
  for (const f of s.functions) {
    console.log(`| ${f.ms.toFixed(0)} | ${perMsg(f.ms)} | ${((100 * f.ms) / s.busyMs).toFixed(1)} | ${f.name} | ${f.where} |`);
  }
  console.log('\n| self ms | ms/msg | % busy | origin (native frames counted to their caller) |\n|---|---|---|---|');
  for (const o of s.origins) console.log(`| ${o.ms.toFixed(0)} | ${perMsg(o.ms)} | ${((100 * o.ms) / s.busyMs).toFixed(1)} | ${o.origin} |`);
}

/** Whole-process SQL figures (includes the background parser and startup, not only the load). */
function printPgTiming(t, accepted) {
  const inserts = t.statements.find((s) => MESSAGE_INSERT.test(s.key));
  const trips = t.statements.reduce((s, k) => s + k.count, 0);
  console.log(`\nSQL round trips (whole process): ${trips}, ${(trips / accepted).toFixed(2)} per accepted message; ` +
    `transactions ${t.transactions.count} (BEGIN..COMMIT p50 ${t.transactions.p50?.toFixed(1)} ms, p99 ${t.transactions.p99?.toFixed(1)} ms); ` +
    `pool.connect ${t.poolConnect.count} times, ${t.poolConnect.totalMs.toFixed(0)} ms waiting in total`);
  if (inserts) {
    console.log(`message INSERTs: ${inserts.count}, mean batch ${(inserts.params / MESSAGE_COLUMNS / inserts.count).toFixed(1)} messages`);
  }
  console.log('\n| statement (first 70 chars) | count | total ms | mean ms |\n|---|---|---|---|');
  for (const s of t.statements.slice(0, 15)) {
    console.log(`| \`${s.key.replaceAll('|', '\\|')}\` | ${s.count} | ${s.ms.toFixed(0)} | ${(s.ms / s.count).toFixed(2)} |`);
  }
}

/** pg_stat_statements: PostgreSQL-side execution time and WAL per statement. */
function printSqlStats(phase, stats, messages) {
  const per = (x) => (messages ? x / messages : NaN);
  console.log(`\nPostgreSQL statements ${phase}: ${stats.total.execMs.toFixed(0)} ms executing ` +
    `(${per(stats.total.execMs).toFixed(3)} ms/msg over ${messages} messages), WAL ${(per(stats.total.walBytes) / 1024).toFixed(1)} KB/msg`);
  console.log('\n| statement | calls | rows | exec ms | exec ms/msg | WAL KB/msg |\n|---|---|---|---|---|---|');
  for (const s of stats.statements) {
    console.log(`| \`${s.statement.replaceAll('|', '\\|')}\` | ${s.calls} | ${s.rows} | ${s.exec_ms.toFixed(0)} | ${per(s.exec_ms).toFixed(3)} | ${(per(s.wal_bytes) / 1024).toFixed(2)} |`);
  }
}
