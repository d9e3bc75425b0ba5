// Child processes for the servers under test: CPU pinning, readiness, memory, clean shutdown.
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

const KB_PER_MB = 1024;
const READY_POLL_MS = 200;
const STOP_GRACE_MS = 15_000;

/** Pins every thread of a process (default: this one) to the given CPU list, e.g. "1". */
export function pinProcess(cpus, pid = process.pid) {
  execFileSync('taskset', ['-a', '-p', '-c', String(cpus), String(pid)], { stdio: 'ignore' });
}

/** Spawns `cmd args` pinned to `cpus` (taskset execs, so child.pid is the server's own pid). */
export function spawnServer(cmd, args, { cpus, env, cwd, ipc = false, logFile } = {}) {
  const argv = cpus == null ? [cmd, ...args] : ['taskset', '-c', String(cpus), cmd, ...args];
  const child = spawn(argv[0], argv.slice(1), {
    env: { ...process.env, ...env },
    cwd,
    stdio: ['ignore', 'pipe', 'pipe', ...(ipc ? ['ipc'] : [])],
  });
  child.output = '';
  const keep = (d) => {
    child.output += d.toString();
    if (child.output.length > 64_000) child.output = child.output.slice(-32_000);
    logFile?.write(d);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return child;
}

/** Resolves once `host:port` answers with an SMTP 220 greeting. */
export async function waitForSmtp(port, { host = '127.0.0.1', timeoutMs = 60_000, child } = {}) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (child && child.exitCode !== null) throw new Error(`server exited early:\n${child.output}`);
    if (await greets(host, port)) return;
    await sleep(READY_POLL_MS);
  }
  throw new Error(`no SMTP greeting on ${host}:${port} after ${timeoutMs} ms\n${child?.output ?? ''}`);
}

function greets(host, port) {
  return new Promise((resolve) => {
    const s = net.connect({ host, port });
    s.setTimeout(2_000, () => { s.destroy(); resolve(false); });
    s.once('data', (d) => { s.end('QUIT\r\n'); resolve(d.toString().startsWith('220')); });
    s.once('error', () => resolve(false));
  });
}

/** A free TCP port on loopback (bound and released; good enough on a quiet host). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** SIGTERM, then SIGKILL if it has not exited within the grace period. */
export async function stopChild(child, { graceMs = STOP_GRACE_MS, signal = 'SIGTERM' } = {}) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  const timeout = sleep(graceMs).then(() => 'timeout');
  if ((await Promise.race([child.exited, timeout])) === 'timeout') {
    child.kill('SIGKILL');
    await child.exited;
  }
}

/** Every live descendant pid of `pid` (from /proc/<pid>/stat). */
export function descendants(pid) {
  const children = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch { /* exited meanwhile */ }
  }
  const out = [];
  const queue = [pid];
  while (queue.length) {
    for (const c of children.get(queue.shift()) ?? []) { out.push(c); queue.push(c); }
  }
  return out;
}

/** { rssMB, hwmMB } of a live process from /proc/<pid>/status, or null. */
export function memoryOf(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'latin1');
    const kb = (key) => Number(status.match(new RegExp(`^${key}:\\s+(\\d+)`, 'm'))?.[1] ?? NaN);
    return { rssMB: kb('VmRSS') / KB_PER_MB, hwmMB: kb('VmHWM') / KB_PER_MB, name: status.match(/^Name:\s+(\S+)/m)?.[1] };
  } catch {
    return null;
  }
}

/** Proportional set size in MB (shared pages split between sharers), or 0. */
export function pssOf(pid) {
  try {
    const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'latin1');
    return Number(rollup.match(/^Pss:\s+(\d+)/m)?.[1] ?? 0) / KB_PER_MB;
  } catch {
    return 0;
  }
}

const CLOCK_TICKS_PER_S = 100;

/** User + system CPU time of a live process in ms (0 if gone), from /proc/<pid>/stat. */
export function cpuMsOf(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_S;
  } catch {
    return 0;
  }
}

/** Per-CPU busy and total jiffies from /proc/stat (for utilisation over an interval). */
export function cpuTimes() {
  const out = [];
  for (const line of readFileSync('/proc/stat', 'latin1').split('\n')) {
    const m = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const f = m[2].split(' ').map(Number);
    const idle = f[3] + f[4];
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    out[Number(m[1])] = { busy: total - idle, total };
  }
  return out;
}

/** Busy share (0..1) of each CPU between two cpuTimes() snapshots. */
export function cpuBusyShare(before, after) {
  return after.map((a, i) => (a.total - before[i].total ? (a.busy - before[i].busy) / (a.total - before[i].total) : 0));
}

const IDLE_SAMPLE_MS = 2_000;

/**
 * Waits until every CPU was less than `threshold` busy over a 2 s sample, or `maxMs` passed.
 * @returns {Promise<{ waitedMs: number, busy: number[], idle: boolean }>}
 */
export async function waitForIdleCpus({ threshold, maxMs }) {
  const started = Date.now();
  for (;;) {
    const before = cpuTimes();
    await sleep(IDLE_SAMPLE_MS);
    const busy = cpuBusyShare(before, cpuTimes());
    const idle = busy.every((b) => b < threshold);
    if (idle || Date.now() - started >= maxMs) return { waitedMs: Date.now() - started, busy, idle };
  }
}
