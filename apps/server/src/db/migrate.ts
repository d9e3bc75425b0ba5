// Applies pending migrations from prisma/migrations at server start, recorded in Prisma's own
// `_prisma_migrations` table so `prisma migrate deploy` on a machine with Prisma's native engines
// agrees about what has been applied.
//
// The Wasm schema engine runs in a short-lived child process (migrate-child.ts): once loaded it
// stays in a process's memory (~40 MB of Wasm and its heap), and a server needs it only at start.
// When the database already records every migration, no child is started at all.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { MIGRATIONS_DIR, readMigrationsList } from './schema-engine.ts';

/**
 * Session-level advisory lock key that serialises migration runs of nodes starting at once.
 * Advisory locks are scoped to one database, so unrelated databases on a server don't wait on each
 * other. Deliberately not Prisma's own migrate lock key (72707369): if the schema engine takes
 * that one on its connection, holding it on ours would deadlock.
 */
export const MIGRATION_LOCK_KEY = 0x4c42_4d47; // "LBMG"

/** The child's tail of stderr kept for the error when it dies without reporting. */
const CHILD_STDERR_KEPT_CHARS = 4_000;

export interface ApplyMigrationsOptions {
  migrationsDir?: string;
  log?: (message: string) => void;
}

/** What migrate-child.ts sends its parent over the IPC channel. */
export type MigrateChildMessage =
  | { kind: 'log'; message: string }
  | { kind: 'applied'; names: string[] }
  | { kind: 'failed'; message: string };

/** Environment variables that hand migrate-child.ts its job (not argv: the URL holds a password). */
export const MIGRATE_CHILD_ENV = { databaseUrl: 'LETTERBOX_MIGRATE_DATABASE_URL', migrationsDir: 'LETTERBOX_MIGRATE_DIR' } as const;

// Set by scripts/build-server.mjs to the bundled child; unset when running from TypeScript sources.
declare const __LETTERBOX_MIGRATE_CHILD__: string | undefined;

/** Applies every migration not yet recorded in the database; returns the names applied now. */
export async function applyMigrations(databaseUrl: string, options: ApplyMigrationsOptions = {}): Promise<string[]> {
  const migrationsDir = options.migrationsDir ?? MIGRATIONS_DIR;
  if (await allRecorded(databaseUrl, migrationsDir)) return [];
  return runMigrateChild(databaseUrl, migrationsDir, options.log);
}

/**
 * True when `_prisma_migrations` records every local migration as applied with the same checksum
 * and holds no failed or unfinished one: the engine would then apply nothing and report nothing.
 * Anything else (no table yet, a new or edited migration, a failure to report) goes to the engine.
 */
async function allRecorded(databaseUrl: string, migrationsDir: string): Promise<boolean> {
  const { migrationDirectories } = await readMigrationsList(migrationsDir);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const exists = await client.query<{ table: string | null }>(`SELECT to_regclass('_prisma_migrations')::text AS table`);
    if (exists.rows[0]?.table == null) return false;
    const { rows } = await client.query<{ name: string; checksum: string; finished: boolean; rolledBack: boolean }>(
      `SELECT migration_name AS name, checksum, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS "rolledBack"
         FROM _prisma_migrations`,
    );
    if (rows.some((row) => !row.finished && !row.rolledBack)) return false;
    const applied = new Set(rows.filter((row) => row.finished && !row.rolledBack).map((row) => `${row.name}\0${row.checksum}`));
    return migrationDirectories.every(({ path, migrationFile }) => {
      const script = migrationFile.content;
      if (script.tag !== 'ok') return false;
      return applied.has(`${path}\0${createHash('sha256').update(script.value).digest('hex')}`);
    });
  } finally {
    await client.end();
  }
}

function childCommand(): string[] {
  if (typeof __LETTERBOX_MIGRATE_CHILD__ === 'string') return [__LETTERBOX_MIGRATE_CHILD__];
  // From sources (tests, `tsx src/main.ts`): the child needs tsx to load TypeScript too.
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return ['--import', tsx, fileURLToPath(new URL('./migrate-child.ts', import.meta.url))];
}

function runMigrateChild(databaseUrl: string, migrationsDir: string, log?: (message: string) => void): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, childCommand(), {
      env: { ...process.env, [MIGRATE_CHILD_ENV.databaseUrl]: databaseUrl, [MIGRATE_CHILD_ENV.migrationsDir]: migrationsDir },
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    let stderr = '';
    let outcome: MigrateChildMessage | undefined;
    child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-CHILD_STDERR_KEPT_CHARS)));
    child.on('message', (message: MigrateChildMessage) => {
      if (message.kind === 'log') log?.(message.message);
      else outcome = message;
    });
    child.on('error', (error) => reject(new Error(`migrations: cannot start the migration process: ${error.message}`, { cause: error })));
    child.on('close', (code, signal) => {
      if (outcome?.kind === 'applied') resolve(outcome.names);
      else if (outcome?.kind === 'failed') reject(new Error(outcome.message));
      else reject(new Error(`migrations: the migration process exited (${signal ?? `code ${code}`}) without a result${stderr ? `:\n${stderr}` : ''}`));
    });
  });
}
