// A fresh, migrated database per test file, cloned from the template that global-setup.ts built.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { databaseUrl } from './database-url.ts';

export interface TestDatabase {
  url: string;
  /** Drops the database, closing any connections still open to it. */
  drop(): Promise<void>;
}

export function createTestDatabase(): Promise<TestDatabase> {
  return create(inject('letterboxDatabase').template);
}

/** A database with no tables at all, for tests of migrations themselves. */
export function createEmptyDatabase(): Promise<TestDatabase> {
  return create('template0');
}

async function create(template: string): Promise<TestDatabase> {
  const { adminUrl } = inject('letterboxDatabase');
  const name = `letterbox_test_${randomBytes(6).toString('hex')}`;
  await admin(adminUrl, `CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  let dropped: Promise<void> | undefined;
  return {
    url: databaseUrl(adminUrl, name),
    drop: () => (dropped ??= admin(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)),
  };
}

/** One statement on a connection of its own, opened and closed around it. */
export async function queryOnce(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

async function admin(url: string, sql: string): Promise<void> {
  await queryOnce(url, sql);
}

/**
 * A fresh database and a pool on it for the whole test file (created in beforeAll, closed and
 * dropped in afterAll); `pool` is set once beforeAll has run.
 */
export function useTestDatabasePool(max: number): { pool: pg.Pool } {
  const handle = {} as { pool: pg.Pool };
  let database: TestDatabase | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
    handle.pool = new pg.Pool({ connectionString: database.url, max });
  });
  afterAll(async () => {
    await handle.pool?.end();
    await database?.drop();
  });
  return handle;
}
