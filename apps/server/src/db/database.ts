// The server's one entry point to PostgreSQL: an external server named by DATABASE_URL or the
// embedded one, migrated before anything else touches it.
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.ts';
import { startEmbeddedPostgres } from './embedded-postgres.ts';
import { applyMigrations } from './migrate.ts';

export { listen, type Listener } from './listen.ts';

/**
 * Connections per node. Ingest commits in groups and IMAP/API reads are short, so a small pool
 * keeps several nodes within a server's max_connections.
 */
export const DEFAULT_POOL_SIZE = 20;

export interface OpenDatabaseOptions {
  /** An existing PostgreSQL server; without it the embedded one is started. */
  databaseUrl?: string;
  /** Data directory of the embedded server (ignored with databaseUrl). */
  dataDir: string;
  /** Port of the embedded server; see DEFAULT_EMBEDDED_PORT. 0 = any free port. */
  embeddedPort?: number;
  poolSize?: number;
  log?: (message: string) => void;
}

export interface Database {
  url: string;
  pool: pg.Pool;
  /** Prisma over the same pool, so both see the same connection limits. */
  prisma: PrismaClient;
  embedded: boolean;
  /**
   * A further pool of at most `max` connections to the same database, for work that must not
   * wait for a connection of the shared pool (ingest); closed with the rest.
   */
  openPool(max: number): pg.Pool;
  /** Closes the pools, then stops the embedded server (if ours). Idempotent. */
  close(): Promise<void>;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const log = options.log ?? (() => {});
  const embedded = options.databaseUrl
    ? undefined
    : await startEmbeddedPostgres({ dataDir: options.dataDir, port: options.embeddedPort, log });
  const url = options.databaseUrl ?? embedded!.url;
  try {
    await applyMigrations(url, { log });
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  const pools: pg.Pool[] = [];
  const openPool = (max: number) => {
    const pool = new pg.Pool({ connectionString: url, max });
    // An idle client losing its connection (server restart) must not crash the process.
    pool.on('error', (error) => log(`database pool: ${error.message}`));
    // A checked-out client whose connection dies (server restart, pg_terminate_backend) fails its
    // query and also emits 'error'; pg-pool listens only on idle clients, and an 'error' event
    // nobody listens to is an uncaught exception that would take the whole node down.
    pool.on('connect', (client) => client.on('error', (error) => log(`database connection lost: ${error.message}`)));
    pools.push(pool);
    return pool;
  };
  const pool = openPool(options.poolSize ?? DEFAULT_POOL_SIZE);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });

  let closing: Promise<void> | undefined;
  const close = async () => {
    try {
      await prisma.$disconnect();
      await Promise.all(pools.map((p) => p.end()));
    } finally {
      await embedded?.stop();
    }
  };
  return { url, pool, prisma, embedded: embedded !== undefined, openPool, close: () => (closing ??= close()) };
}
