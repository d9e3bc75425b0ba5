// Readiness: the database answers and every migration shipped with this build is applied.
import type { Readiness } from '@letterbox/contracts';
import type pg from 'pg';
import { readMigrationsList } from '../db/schema-engine.ts';

/** A readiness probe must answer quickly even when the database hangs. */
export const READINESS_TIMEOUT_MS = 2_000;

/** The migrations this build ships: read once, they do not change while the process runs. */
let shipped: Promise<string[]> | undefined;

export async function checkReadiness(pool: pg.Pool): Promise<Readiness> {
  shipped ??= readMigrationsList().then((list) => list.migrationDirectories.map((d) => d.path));
  const expected = await shipped;
  let database = false;
  let migrations = false;
  try {
    const applied = await withTimeout(
      pool.query<{ migration_name: string }>(
        'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
      ),
      READINESS_TIMEOUT_MS,
    );
    database = true;
    const names = new Set(applied.rows.map((r) => r.migration_name));
    migrations = expected.every((name) => names.has(name));
  } catch {
    // database stays false
  }
  return { status: database && migrations ? 'ready' : 'not_ready', database, migrations };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
