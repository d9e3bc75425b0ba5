// A Letterbox server as its own process (so its RSS is its own), with a fresh embedded
// PostgreSQL under bench/.work/api, on free loopback ports.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

const REPO_ROOT = resolve(new URL('../..', import.meta.url).pathname);
export const WORK_DIR = join(REPO_ROOT, 'bench/.work/api');
const START_TIMEOUT_MS = 120_000;

export interface BenchServer {
  child: ChildProcess;
  pid: number;
  baseUrl: string;
  smtpPort: number;
  databaseUrl: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once('error', fail);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });
}

export async function startServer(extraArgs: string[] = []): Promise<BenchServer> {
  const dataDir = join(WORK_DIR, 'data');
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  // PostgreSQL runs as its own user when we are root: it must be able to enter the directories.
  chmodSync(WORK_DIR, 0o755);
  chmodSync(dataDir, 0o755);
  const [smtp, http, imap, imaps, postgres] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
  const child = spawn(
    process.execPath,
    ['apps/server/scripts/start.mjs', '--host', '127.0.0.1', '--smtp-port', String(smtp), '--http-port', String(http),
      '--imap-port', String(imap), '--imaps-port', String(imaps), '--data-dir', dataDir, '--embedded-postgres-port', String(postgres),
      '--log-level', 'warn', ...extraArgs],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, DATABASE_URL: '' } },
  );
  const baseUrl = `http://127.0.0.1:${http}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    if (Date.now() - started > START_TIMEOUT_MS) throw new Error('server did not become ready');
    try {
      if ((await fetch(`${baseUrl}/readyz`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    child,
    pid: child.pid!,
    baseUrl,
    smtpPort: smtp,
    // The embedded server's superuser and fixed loopback-only password (apps/server/src/db/embedded-postgres.ts).
    databaseUrl: `postgresql://postgres:letterbox@127.0.0.1:${postgres}/letterbox`,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
