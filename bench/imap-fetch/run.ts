/**
 * IMAP fetch benchmark: imap-core's in-memory server vs Dovecot, same messages, one connection
 * each. Times SELECT INBOX and `UID FETCH 1:* (UID FLAGS RFC822.SIZE ENVELOPE)` and reads the
 * serving process's peak RSS (VmHWM, reset after login so it covers exactly SELECT + FETCH).
 *
 *   pnpm exec tsx bench/imap-fetch/run.ts [--count 100000] [--runs 3] [--only imap-core|dovecot]
 *
 * Generated data and Dovecot's config/indexes live in bench/.work/imap-fetch (gitignored).
 * Each server is started fresh for every run and stopped afterwards; run 0 is a warm-up (Dovecot
 * builds its index and cache there) and is reported separately.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { generateMaildir } from './generate.ts';
import { dovecotImapPids, startDovecot } from './dovecot.ts';
import { RawClient } from './client.ts';
import { memKiB, resetPeak } from './proc.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? dflt : args[i + 1]!;
};
const COUNT = Number(opt('count', '100000'));
const RUNS = Number(opt('runs', '3'));
const ONLY = opt('only', '');
const ROOT = resolve(import.meta.dirname, '../..');
const WORK = join(ROOT, 'bench/.work/imap-fetch');
const MAILDIR = join(WORK, `maildir-${COUNT}`);

interface RunResult {
  server: string;
  selectMs: number;
  fetchMs: number;
  fetches: number;
  fetchBytes: number;
  baseRssMiB: number;
  peakRssMiB: number;
}

async function measure(server: string, port: number, pidOf: () => number, user: string, pass: string): Promise<RunResult> {
  const { client } = await RawClient.open(port);
  const login = await client.command('a1', `LOGIN ${user} ${pass}`);
  if (!/^a1 OK/.test(login.tagged)) throw new Error(`${server}: ${login.tagged}`);
  const pid = pidOf();
  resetPeak(pid);
  const base = memKiB(pid);
  const sel = await client.command('a2', 'SELECT INBOX', true);
  if (!/^a2 OK/.test(sel.tagged)) throw new Error(`${server}: ${sel.tagged}`);
  const exists = Number(/\* (\d+) EXISTS/.exec(sel.untagged.join(''))?.[1]);
  if (exists !== COUNT) throw new Error(`${server}: ${exists} EXISTS, expected ${COUNT}`);
  const f = await client.command('a3', 'UID FETCH 1:* (UID FLAGS RFC822.SIZE ENVELOPE)');
  if (!/^a3 OK/.test(f.tagged)) throw new Error(`${server}: ${f.tagged}`);
  const mem = memKiB(pid);
  await client.command('a4', 'LOGOUT');
  client.close();
  return {
    server,
    selectMs: sel.ms,
    fetchMs: f.ms,
    fetches: f.fetches,
    fetchBytes: f.bytes,
    baseRssMiB: base.rss / 1024,
    peakRssMiB: mem.hwm / 1024,
  };
}

async function runDovecot(port: number): Promise<RunResult> {
  const d = await startDovecot(WORK, MAILDIR, port);
  try {
    return await measure('dovecot', port, () => {
      const pids = dovecotImapPids(d.masterPid);
      if (pids.length !== 1) throw new Error(`expected one dovecot imap process, found ${pids.length}`);
      return pids[0]!;
    }, 'bench', 'bench');
  } finally {
    await d.stop();
  }
}

async function runImapCore(port: number): Promise<RunResult> {
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', join(WORK, 'profiles')] : [];
  const node = ['--expose-gc', ...prof, '--import', 'tsx', join(import.meta.dirname, 'memserver.ts'), MAILDIR, String(port)];
  const child = spawn(process.execPath, node, {
    stdio: ['ignore', 'pipe', 'inherit'],
    cwd: ROOT,
  });
  const exited = new Promise((r) => child.once('exit', r));
  try {
    await new Promise<void>((res, rej) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('READY')) res();
      });
      child.once('exit', (code) => rej(new Error(`memserver exited ${code}`)));
    });
    return await measure('imap-core', port, () => child.pid!, 'bench', 'bench');
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

async function main(): Promise<void> {
  mkdirSync(WORK, { recursive: true });
  const t0 = Date.now();
  const gen = generateMaildir(MAILDIR, COUNT);
  console.log(`mailbox: ${COUNT} messages, ${(gen.bytes / 2 ** 20).toFixed(1)} MiB (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  const servers: [string, (port: number) => Promise<RunResult>][] = [
    ['imap-core', runImapCore],
    ['dovecot', runDovecot],
  ];
  const results = new Map<string, RunResult[]>();
  for (let run = 0; run <= RUNS; run++) {
    for (const [name, fn] of servers) {
      if (ONLY && ONLY !== name) continue;
      const load = loadavg()[0]!.toFixed(2);
      const r = await fn(name === 'dovecot' ? 14300 : 14310);
      console.log(
        `${run === 0 ? 'warm-up' : `run ${run}`} ${name}: SELECT ${r.selectMs.toFixed(0)} ms, FETCH ${r.fetchMs.toFixed(0)} ms ` +
          `(${r.fetches} responses, ${(r.fetchBytes / 2 ** 20).toFixed(1)} MiB), RSS ${r.baseRssMiB.toFixed(0)} -> peak ${r.peakRssMiB.toFixed(0)} MiB (load ${load})`,
      );
      if (r.fetches !== COUNT) throw new Error(`${name}: ${r.fetches} FETCH responses, expected ${COUNT}`);
      if (run > 0) results.set(name, [...(results.get(name) ?? []), r]);
    }
  }
  console.log(`\nmachine: ${cpus().length} x ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}`);
  console.log(`medians of ${RUNS} runs, ${COUNT} messages:\n`);
  console.log('| server | SELECT ms | UID FETCH 1:* ms | response MiB | RSS before SELECT MiB | peak RSS MiB | peak − before MiB |');
  console.log('|---|---:|---:|---:|---:|---:|---:|');
  for (const [name, rs] of results) {
    const m = (f: (r: RunResult) => number): number => median(rs.map(f));
    console.log(
      `| ${name} | ${m((r) => r.selectMs).toFixed(0)} | ${m((r) => r.fetchMs).toFixed(0)} | ${(m((r) => r.fetchBytes) / 2 ** 20).toFixed(1)} | ` +
        `${m((r) => r.baseRssMiB).toFixed(0)} | ${m((r) => r.peakRssMiB).toFixed(0)} | ${m((r) => r.peakRssMiB - r.baseRssMiB).toFixed(0)} |`,
    );
  }
}

await main();
