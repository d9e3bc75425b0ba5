// The driver adapter factory handed to the Wasm schema engine: PrismaPg for the database itself,
// plus shadow databases whose connections are closed before the database is dropped, and a
// close() that releases whatever the engine left open.
import { randomUUID } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import {
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlResultSet,
} from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';

/** The engine runs one statement at a time; a couple of connections is plenty. */
const ENGINE_POOL_SIZE = 2;
/** Prisma's own prefix, so a leftover shadow database is recognisable to anyone who knows Prisma. */
const SHADOW_PREFIX = 'prisma_migrate_shadow_db_';

/**
 * The engine's schema describer selects pg_catalog columns of PostgreSQL's one-byte "char" type
 * and reads them as Prisma's `Character` column type, which @prisma/adapter-pg 7.10 cannot produce:
 * it rejects the column (UnsupportedNativeDataType 'char'). PostgreSQL 18 even lists every NOT
 * NULL as a constraint, so describing any table failed. We cast those columns to text in the SQL
 * (a cast keeps the column name) and label the text column `Character` in the result.
 */
const CHAR_COLUMNS = ['contype', 'confdeltype', 'confupdtype', 'confmatchtype'];
const CHAR_COLUMN_REFERENCE = new RegExp(`\\b((?:\\w+\\.)?(?:${CHAR_COLUMNS.join('|')}))\\b(?!::)`, 'g');
/** Result column names those "char" columns come back under (`contype AS constraint_type`). */
const CHAR_RESULT_COLUMNS = new Set([...CHAR_COLUMNS, 'constraint_type']);

export function castCharColumns(sql: string): string {
  return sql.replace(CHAR_COLUMN_REFERENCE, '$1::text');
}

function labelCharColumns(result: SqlResultSet): SqlResultSet {
  const columnTypes = result.columnTypes.map((type, index) =>
    type === ColumnTypeEnum.Text && CHAR_RESULT_COLUMNS.has(result.columnNames[index] ?? '') ? ColumnTypeEnum.Character : type,
  );
  return { ...result, columnTypes };
}

export class EngineAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres' as const;
  readonly adapterName = '@prisma/adapter-pg';
  readonly #config: pg.PoolConfig;
  readonly #open = new Set<SqlDriverAdapter>();

  constructor(databaseUrl: string) {
    // A parsed config, not { connectionString }: pg lets a connection string override the
    // `database` field, so a shadow database could silently be the real one.
    this.#config = { ...(parseIntoClientConfig(databaseUrl) as pg.PoolConfig), max: ENGINE_POOL_SIZE };
  }

  connect(): Promise<SqlDriverAdapter> {
    return this.#track(this.#config);
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const database = `${SHADOW_PREFIX}${randomUUID()}`;
    await this.#admin(`CREATE DATABASE "${database}"`);
    try {
      return await this.#track({ ...this.#config, database }, () => this.#admin(`DROP DATABASE IF EXISTS "${database}"`));
    } catch (error) {
      await this.#admin(`DROP DATABASE IF EXISTS "${database}"`);
      throw error;
    }
  }

  /** Disposes every adapter the engine did not dispose itself. */
  async close(): Promise<void> {
    for (const adapter of [...this.#open]) await adapter.dispose();
  }

  async #track(config: pg.PoolConfig, afterDispose?: () => Promise<void>): Promise<SqlDriverAdapter> {
    const adapter = await new PrismaPg(config, { onPoolError: () => {} }).connect();
    // adapter-pg splits scripts on every ';' (breaking DO blocks, and comments or strings that
    // contain one) and runs the pieces one by one. Sent whole as one simple-protocol query,
    // PostgreSQL runs a migration in a single implicit transaction, as Prisma's native engine does.
    adapter.executeScript = async (script) => {
      try {
        await adapter.underlyingDriver().query(script);
      } catch (error) {
        (adapter as unknown as { onError(error: unknown): never }).onError(error);
      }
    };
    const queryRaw = adapter.queryRaw.bind(adapter);
    adapter.queryRaw = async (query) => labelCharColumns(await queryRaw({ ...query, sql: castCharColumns(query.sql) }));
    const dispose = adapter.dispose.bind(adapter);
    let disposed: Promise<void> | undefined;
    adapter.dispose = () =>
      (disposed ??= (async () => {
        this.#open.delete(adapter);
        await dispose();
        await afterDispose?.();
      })());
    this.#open.add(adapter);
    return adapter;
  }

  async #admin(sql: string): Promise<void> {
    const client = new pg.Client(this.#config);
    client.on('error', () => {});
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  }
}
