// The migration process started by migrate.ts: takes the migration lock, runs the Wasm schema
// engine, reports to its parent over IPC and exits, taking the engine's memory with it.
import pg from 'pg';
import { MIGRATE_CHILD_ENV, MIGRATION_LOCK_KEY, type MigrateChildMessage } from './migrate.ts';
import { NO_FILTER, openSchemaEngine, readMigrationsList } from './schema-engine.ts';

async function applyUnderLock(databaseUrl: string, migrationsDir: string, log: (message: string) => void): Promise<string[]> {
  const migrationsList = await readMigrationsList(migrationsDir);
  // A connection of its own: the lock must outlive the schema engine's pool and is released
  // by PostgreSQL if this process dies mid-migration.
  const lockClient = new pg.Client({ connectionString: databaseUrl });
  await lockClient.connect();
  try {
    await lockClient.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const { engine, close } = await openSchemaEngine(databaseUrl);
    try {
      const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: NO_FILTER });
      for (const name of appliedMigrationNames) log(`applied migration ${name}`);
      return appliedMigrationNames;
    } finally {
      await close();
    }
  } finally {
    await lockClient.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    await lockClient.end();
  }
}

function send(message: MigrateChildMessage): Promise<void> {
  return new Promise((resolve) => process.send!(message, undefined, {}, () => resolve()));
}

async function main(): Promise<void> {
  const databaseUrl = process.env[MIGRATE_CHILD_ENV.databaseUrl];
  const migrationsDir = process.env[MIGRATE_CHILD_ENV.migrationsDir];
  if (!process.send || !databaseUrl || !migrationsDir) {
    process.stderr.write('migrate-child: started by migrate.ts only (IPC channel and environment)\n');
    process.exit(2);
  }
  const logs: Promise<void>[] = [];
  let result: MigrateChildMessage;
  try {
    const names = await applyUnderLock(databaseUrl, migrationsDir, (message) => logs.push(send({ kind: 'log', message })));
    result = { kind: 'applied', names };
  } catch (error) {
    result = { kind: 'failed', message: error instanceof Error ? error.message : String(error) };
  }
  await Promise.all(logs);
  await send(result);
  // The engine's unref'd timers and freed pool hold nothing open, but exit regardless.
  process.exit(0);
}

void main();
