// One benchmark run: start a fresh server, drive the load, sample its memory, check that every
// acknowledged message is stored exactly once, stop the server (always).
import { buildPayload } from './payloads.mjs';
import { runLoad } from './load.mjs';
import { RssSampler } from './rss-sampler.mjs';
import { verifyStored } from './verify.mjs';
import { cpuBusyShare, cpuMsOf, cpuTimes } from './proc.mjs';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { WORK_DIR } from './deps.mjs';
import { startBare } from '../targets/bare.mjs';
import { startMaildev } from '../targets/maildev.mjs';
import { startLetterbox } from '../targets/letterbox.mjs';

export const TARGETS = {
  bare: startBare,
  maildev: startMaildev,
  letterbox: startLetterbox,
  // Letterbox's documented load-testing switch: no background MIME parse.
  'letterbox-ltm': (o) => startLetterbox({ ...o, loadTestMode: true }),
};

/**
 * @param {object} o { target, size, n, c, warmup, serverCpus, timeoutMs, progressMs, nodeArgs, env, pgStats, onStarted, onProgress }
 */
export async function benchOnce(o) {
  const start = TARGETS[o.target];
  if (!start) throw new Error(`unknown target ${o.target} (use ${Object.keys(TARGETS).join(', ')})`);
  const payload = buildPayload(o.size, o.n);
  mkdirSync(join(WORK_DIR, 'logs'), { recursive: true });
  const logPath = join(WORK_DIR, 'logs', `${o.target}-${o.size}-${Date.now()}.log`);
  const logFile = createWriteStream(logPath);
  const server = await start({ cpus: o.serverCpus, nodeArgs: o.nodeArgs, env: o.env, pgStats: o.pgStats, logFile });
  try {
    await o.onStarted?.(server);
    if (o.warmup > 0) {
      // Same path, other recipients, before the clock and the samplers start: JIT and caches warm.
      const w = await runLoad({ host: '127.0.0.1', port: server.port, payload: buildPayload(o.size, o.warmup, { warmup: true }),
        total: o.warmup, connections: o.c, timeoutMs: o.timeoutMs });
      if (w.accepted !== o.warmup) throw new Error(`warm-up: only ${w.accepted} of ${o.warmup} accepted (${JSON.stringify(w.errors)})`);
    }
    const sampler = new RssSampler(server.pid, server.dbPids);
    const progress = o.progressMs ? (p) => o.onProgress?.({ ...p, rssMB: sampler.timeline.at(-1)?.rssMB }) : undefined;
    await server.dbStats?.reset();
    const cpuBefore = cpuSnapshot(server);
    const windowStartUs = Number(process.hrtime.bigint() / 1000n);
    const load = await runLoad({
      host: '127.0.0.1', port: server.port, payload, total: o.n, connections: o.c,
      timeoutMs: o.timeoutMs, progressMs: o.progressMs, onProgress: progress,
    });
    // Same clock as V8's profile timestamps (CLOCK_MONOTONIC), so a CPU profile can be cut to it.
    const loadWindowUs = { start: windowStartUs, end: Number(process.hrtime.bigint() / 1000n) };
    const cpuAfterLoad = cpuSnapshot(server);
    const cpu = cpuPerMessage(cpuBefore, cpuAfterLoad, load.accepted);
    const loadPeakRssMB = sampler.peakRssMB;
    const sqlStats = server.dbStats ? { load: await server.dbStats.read() } : null;
    await server.dbStats?.reset();
    // Sampling goes on while a background MIME-parsing backlog (Letterbox) drains. The CPU spent
    // while it drains, per message parsed then, is the parser's cost per message.
    const parse = await server.parseBacklog?.();
    if (parse && parse.pendingAfterWait === 0 && parse.pendingAtEnd > 0) {
      const { serverMsPerMsg, dbMsPerMsg } = cpuPerMessage(cpuAfterLoad, cpuSnapshot(server), parse.pendingAtEnd);
      Object.assign(parse, { serverMsPerMsg, dbMsPerMsg });
    }
    // Rate counting until the last message was also parsed (polled every 0.5 s).
    if (parse && parse.pendingAfterWait === 0) parse.parsedRate = load.accepted / (load.seconds + parse.waitedSeconds);
    const memory = { ...sampler.stop(), loadPeakRssMB };
    if (sqlStats) sqlStats.drain = await server.dbStats.read();
    const check = verifyStored(load.acked, await server.storedRecipients());
    const { acked, ...figures } = load;
    return { target: o.target, server: server.name, size: o.size, n: o.n, c: o.c, warmup: o.warmup, ...figures, memory, cpu, check, parse, sqlStats, loadWindowUs, serverLog: logPath };
  } finally {
    await server.stop();
    logFile.end();
  }
}

function cpuSnapshot(server) {
  const db = new Map((server.dbPids?.() ?? []).map((pid) => [pid, cpuMsOf(pid)]));
  return { server: cpuMsOf(server.pid), client: process.cpuUsage(), db, cpus: cpuTimes(), at: performance.now() };
}

/** CPU ms per accepted message of the server, its database processes and this load generator. */
function cpuPerMessage(before, after, accepted) {
  const clientUs = (u) => u.user + u.system;
  let dbMs = 0;
  for (const [pid, ms] of after.db) dbMs += ms - (before.db.get(pid) ?? 0);
  const per = (ms) => (accepted ? ms / accepted : NaN);
  const wallMs = after.at - before.at;
  return {
    // How busy each CPU was (everything on it, not only the benchmark), and the share of the wall
    // time the server (+ database) itself was on a CPU: together they tell whether it was CPU-bound.
    cpuBusy: cpuBusyShare(before.cpus, after.cpus),
    serverShare: (after.server - before.server + dbMs) / wallMs,
    serverMsPerMsg: per(after.server - before.server),
    dbMsPerMsg: after.db.size ? per(dbMs) : null,
    clientMsPerMsg: per((clientUs(after.client) - clientUs(before.client)) / 1000),
  };
}
