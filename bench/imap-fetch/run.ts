/**
 * IMAP fetch benchmark: imap-core's in-memory server, Dovecot and Letterbox (IMAP served from
 * Postgres, bench/imap-fetch/letterbox-pg.ts), same messages, one connection each. Times SELECT
 * INBOX and `UID FETCH 1:* (UID FLAGS RFC822.SIZE ENVELOPE)` and reads the serving process's peak
 * RSS (VmHWM, reset after login so it covers exactly SELECT + FETCH).
 *
 *   pnpm exec tsx bench/imap-fetch/run.ts [--count 100000] [--runs 3] [--only imap-core|dovecot|letterbox-pg]
 *     [--pushes 1000]
 *
 * Then the IDLE push delay (idle-push.ts): an idling client's `* n EXISTS` after each of --pushes
 * deliveries, one at a time (Letterbox: SMTP `250`; Dovecot: dovecot-lda's exit); 0 skips it.
 *
 * Generated data and Dovecot's config/indexes live in bench/.work/imap-fetch (gitignored).
 * Each server is started fresh for every run and stopped afterwards; run 0 is a warm-up (Dovecot
 * builds its index and cache there) and is reported separately.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { generateMaildir } from './generate.ts';
import { dovecotImapPids, startDovecot } from './dovecot.ts';
import { RawClient } from './client.ts';
import { memKiB, resetPeak } from './proc.ts';
import { dovecotPushDelays, letterboxPushDelays, percentile } from './idle-push.ts';

/** The account the Letterbox target bulk-loads (bench/imap-fetch/letterbox-pg.ts). */
const LETTERBOX_USER = 'bench@bench.test';
/** Delivered to by the IDLE push measurement; a separate account, so INBOX of LETTERBOX_USER keeps COUNT messages. */
const PUSH_USER = 'push@bench.test';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? dflt : args[i + 1]!;
};
const COUNT = Number(opt('count', '100000'));
const RUNS = Number(opt('runs', '3'));
const ONLY = opt('only', '');
const PUSHES = Number(opt('pushes', '1000'));
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

/** A Letterbox node (IMAP from Postgres) as a child process; resolves once it printed READY. */
async function withLetterboxPg<T>(imapPort: number, smtpPort: number, use: (pid: number) => Promise<T>): Promise<T> {
  const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', join(WORK, 'profiles')] : [];
  const node = ['--expose-gc', ...prof, '--import', 'tsx', join(import.meta.dirname, 'letterbox-pg.ts'), MAILDIR, WORK, String(imapPort), String(smtpPort)];
  const child = spawn(process.execPath, node, { stdio: ['ignore', 'pipe', 'inherit'], cwd: ROOT });
  const exited = new Promise((r) => child.once('exit', r));
  try {
    await new Promise<void>((res, rej) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('READY')) res();
      });
      child.once('exit', (code) => rej(new Error(`letterbox-pg exited ${code}`)));
    });
    return await use(child.pid!);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

async function runLetterboxPg(port: number): Promise<RunResult> {
  return withLetterboxPg(port, port + 1, (pid) => measure('letterbox-pg', port, () => pid, LETTERBOX_USER, 'bench'));
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
    ['letterbox-pg', runLetterboxPg],
  ];
  const results = new Map<string, RunResult[]>();
  for (let run = 0; run <= RUNS; run++) {
    for (const [name, fn] of servers) {
      if (ONLY && ONLY !== name) continue;
      const load = loadavg()[0]!.toFixed(2);
      const r = await fn(name === 'dovecot' ? 14300 : name === 'letterbox-pg' ? 14320 : 14310);
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

/** Dovecot with an empty Maildir of its own (not the benchmark mailbox), fed by dovecot-lda. */
async function dovecotPush(port: number): Promise<number[]> {
  const work = join(WORK, 'push');
  const maildir = join(work, 'maildir');
  rmSync(work, { recursive: true, force: true });
  for (const d of ['cur', 'new', 'tmp']) mkdirSync(join(maildir, d), { recursive: true });
  // dovecot-lda delivers as the mail user (nobody), which must own the Maildir.
  spawnSync('chown', ['-R', 'nobody:nogroup', maildir]);
  const d = await startDovecot(work, maildir, port);
  try {
    return await dovecotPushDelays(port, join(work, 'dovecot', 'dovecot.conf'), 'bench', PUSHES);
  } finally {
    await d.stop();
  }
}

async function pushLatency(): Promise<void> {
  if (PUSHES <= 0) return;
  const rows: [string, number[]][] = [];
  if (!ONLY || ONLY === 'letterbox-pg') {
    rows.push(['letterbox-pg (SMTP 250)', await withLetterboxPg(14320, 14321, () => letterboxPushDelays(14320, 14321, PUSH_USER, PUSHES))]);
  }
  if (!ONLY || ONLY === 'dovecot') rows.push(['dovecot (dovecot-lda exit)', await dovecotPush(14302)]);
  console.log(`\nIDLE push: delivery acknowledged -> * n EXISTS at an idling client, ${PUSHES} deliveries one at a time:\n`);
  console.log('| server | p50 ms | p99 ms | max ms |');
  console.log('|---|---:|---:|---:|');
  for (const [name, delays] of rows) {
    const sorted = [...delays].sort((a, b) => a - b);
    console.log(`| ${name} | ${percentile(sorted, 50).toFixed(1)} | ${percentile(sorted, 99).toFixed(1)} | ${sorted.at(-1)!.toFixed(1)} |`);
  }
}

await main();
await pushLatency();
