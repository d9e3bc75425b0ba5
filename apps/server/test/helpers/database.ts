// A fresh, migrated database per test file, cloned from the template that global-setup.ts built.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
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

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
