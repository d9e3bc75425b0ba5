// Text and Markdown output of benchmark results.
import { median } from './stats.mjs';

const fmt = (x, digits = 0) => (Number.isFinite(x) ? x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }) : '-');
const errorCount = (r) => Object.values(r.errors).reduce((s, n) => s + n, 0);
const describeErrors = (errors) => Object.entries(errors).map(([k, n]) => `${k}: ${n}`).join(', ') || 'none';

/** One line per run. */
export function runLine(r) {
  const db = r.memory.peakDbMB == null ? '' : `, Postgres PSS peak ${fmt(r.memory.peakDbMB)} MB`;
  return `${r.target} ${r.size} n=${r.n} c=${r.c}: ${fmt(r.rate)} msgs/s (${r.accepted} accepted in ${fmt(r.seconds, 2)} s), ` +
    `p50 ${fmt(r.p50, 2)} ms, p99 ${fmt(r.p99, 2)} ms, errors ${describeErrors(r.errors)}, ` +
    `server RSS peak ${fmt(r.memory.peakRssMB)} MB (sampled during load ${fmt(r.memory.loadPeakRssMB)} MB)${db}; stored ${r.check.stored}, lost ${r.check.lost}, ` +
    `duplicated ${r.check.duplicated}, stored-not-acked ${r.check.storedNotAcked}, foreign ${r.check.foreign}; ` +
    `CPU ms/msg server ${fmt(r.cpu.serverMsPerMsg, 3)}${r.cpu.dbMsPerMsg == null ? '' : ` + Postgres ${fmt(r.cpu.dbMsPerMsg, 3)}`}, load generator ${fmt(r.cpu.clientMsPerMsg, 3)}; ` +
    `server${r.cpu.dbMsPerMsg == null ? '' : ' + Postgres'} on CPU ${fmt(100 * r.cpu.serverShare)}% of the time, CPUs busy ${r.cpu.cpuBusy.map((b) => `${fmt(100 * b)}%`).join(' / ')}` +
    `${r.pipelining ? '' : ' (server did not advertise PIPELINING)'}` +
    `${r.parse ? `; MIME parsing backlog at the last 250: ${r.parse.pendingAtEnd} messages, ${r.parse.pendingAfterWait} left after ${fmt(r.parse.waitedSeconds, 1)} s` +
      `${r.parse.serverMsPerMsg ? ` (parser CPU ms/msg: server ${fmt(r.parse.serverMsPerMsg, 3)} + Postgres ${fmt(r.parse.dbMsPerMsg, 3)})` : ''}` : ''}` +
    `${Object.keys(r.errors).length ? `; server log: ${r.serverLog}` : ''}`;
}

const cpuCell = (node, db) => (db == null ? fmt(node, 3) : `${fmt(node + db, 3)} (${fmt(node, 3)} + ${fmt(db, 3)})`);

/** Markdown table of medians, one row per (target, size) group. */
export function medianTable(groups) {
  const head = ['target', 'size', 'N', 'C', 'runs', 'msgs/s (median)', 'runs msgs/s', 'msgs/s until parsed', 'p50 ms', 'p99 ms', 'errors',
    'peak RSS MB (Node)', 'Postgres PSS MB', 'lost / duplicated', 'server CPU ms/msg (Node + Postgres)', 'server on CPU'];
  const rows = groups.map(({ runs }) => {
    const r0 = runs[0];
    const m = (f) => median(runs.map(f));
    const lost = runs.reduce((s, r) => s + r.check.lost, 0);
    const dup = runs.reduce((s, r) => s + r.check.duplicated, 0);
    const db = runs.some((r) => r.memory.peakDbMB != null) ? fmt(m((r) => r.memory.peakDbMB)) : '-';
    const parsed = runs.some((r) => r.parse?.parsedRate) ? fmt(m((r) => r.parse?.parsedRate ?? NaN)) : '-';
    return [r0.server, r0.size, r0.n, r0.c, runs.length, fmt(m((r) => r.rate)), runs.map((r) => fmt(r.rate)).join(' / '), parsed,
      fmt(m((r) => r.p50), 1), fmt(m((r) => r.p99), 1), runs.reduce((s, r) => s + errorCount(r), 0),
      fmt(m((r) => r.memory.peakRssMB)), db, `${lost} / ${dup}`,
      cpuCell(m((r) => r.cpu.serverMsPerMsg), runs.some((r) => r.cpu.dbMsPerMsg != null) ? m((r) => r.cpu.dbMsPerMsg) : null),
      `${fmt(100 * m((r) => r.cpu.serverShare))}%`];
  });
  return [head, head.map(() => '---'), ...rows].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** Ratios of Letterbox's median rate to MailDev's (and to bare), per size. */
export function ratioLines(groups) {
  const rateOf = (target, size) => median(groups.find((g) => g.target === target && g.size === size)?.runs.map((r) => r.rate) ?? []);
  const lines = [];
  for (const [size, floor] of [['2k', 3], ['50k', 2]]) {
    const lb = rateOf('letterbox', size);
    const ltm = rateOf('letterbox-ltm', size);
    const md = rateOf('maildev', size);
    if (Number.isFinite(ltm) && Number.isFinite(md)) lines.push(`${size}: Letterbox --load-test-mode / MailDev = ${fmt(ltm / md, 2)}x`);
    const bare = rateOf('bare', size);
    if (!Number.isFinite(md)) continue;
    if (Number.isFinite(lb)) lines.push(`${size}: Letterbox / MailDev = ${fmt(lb / md, 2)}x (floor ${floor}x)` + (Number.isFinite(bare) ? `; Letterbox / bare = ${fmt(lb / bare, 2)}` : ''));
    if (Number.isFinite(bare)) lines.push(`${size}: bare / MailDev = ${fmt(bare / md, 2)}x`);
    // CPU per message is what other load on the machine disturbs least.
    const cpuOf = (target) => median(groups.find((g) => g.target === target && g.size === size)?.runs
      .map((r) => r.cpu.serverMsPerMsg + (r.cpu.dbMsPerMsg ?? 0)) ?? []);
    for (const t of ['letterbox', 'letterbox-ltm']) {
      if (Number.isFinite(cpuOf(t))) lines.push(`${size}: server CPU per message, MailDev / ${t} = ${fmt(cpuOf('maildev') / cpuOf(t), 2)}x`);
    }
  }
  return lines;
}
