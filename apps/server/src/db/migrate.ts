// Applies pending migrations from prisma/migrations at server start, recorded in Prisma's own
// `_prisma_migrations` table so `prisma migrate deploy` on a machine with Prisma's native engines
// agrees about what has been applied.
import pg from 'pg';
import { MIGRATIONS_DIR, NO_FILTER, openSchemaEngine, readMigrationsList } from './schema-engine.ts';

/**
 * Session-level advisory lock key that serialises migration runs of nodes starting at once.
 * Advisory locks are scoped to one database, so unrelated databases on a server don't wait on each
 * other. Deliberately not Prisma's own migrate lock key (72707369): if the schema engine takes
 * that one on its connection, holding it on ours would deadlock.
 */
export const MIGRATION_LOCK_KEY = 0x4c42_4d47; // "LBMG"

export interface ApplyMigrationsOptions {
  migrationsDir?: string;
  log?: (message: string) => void;
}

/** Applies every migration not yet recorded in the database; returns the names applied now. */
export async function applyMigrations(databaseUrl: string, options: ApplyMigrationsOptions = {}): Promise<string[]> {
  const migrationsList = await readMigrationsList(options.migrationsDir ?? MIGRATIONS_DIR);
  // A connection of its own: the lock must outlive the schema engine's pool and is released
  // by PostgreSQL if this process dies mid-migration.
  const lockClient = new pg.Client({ connectionString: databaseUrl });
  await lockClient.connect();
  try {
    await lockClient.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const { engine, close } = await openSchemaEngine(databaseUrl);
    try {
      const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: NO_FILTER });
      for (const name of appliedMigrationNames) options.log?.(`applied migration ${name}`);
      return appliedMigrationNames;
    } finally {
      await close();
    }
  } finally {
    await lockClient.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => {});
    await lockClient.end();
  }
}
