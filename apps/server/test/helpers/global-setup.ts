// Starts ONE PostgreSQL for the whole test run (or uses DATABASE_URL's server), migrates a template
// database once, and tells the test files where it is; each file then clones the template
// (test/helpers/database.ts), which takes a fraction of a second.
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { createScratchDir, startEmbeddedPostgres } from '../../src/db/embedded-postgres.ts';
import { applyMigrations } from '../../src/db/migrate.ts';
import { databaseUrl } from './database-url.ts';

export interface TestDatabaseServer {
  /** A URL on the server whose role may CREATE DATABASE; its database is only used to connect. */
  adminUrl: string;
  /** The migrated database every test database is created from. */
  template: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    letterboxDatabase: TestDatabaseServer;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.DATABASE_URL;
  let dataRoot: string | undefined;
  let stopServer = async () => {};
  let adminUrl: string;
  if (external) {
    adminUrl = external;
  } else {
    dataRoot = await createScratchDir('letterbox-test-pg-');
    const server = await startEmbeddedPostgres({ dataDir: join(dataRoot, 'data'), port: 0 });
    adminUrl = server.adminUrl;
    stopServer = server.stop;
  }
  // Unique per run, so two runs against one external server don't trip over each other.
  const template = `letterbox_template_${randomBytes(4).toString('hex')}`;
  try {
    await admin(adminUrl, `CREATE DATABASE "${template}"`);
    await applyMigrations(databaseUrl(adminUrl, template));
    // Marking it a template lets any role with CREATEDB clone it and stops accidental logins.
    await admin(adminUrl, `ALTER DATABASE "${template}" WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
  } catch (error) {
    await stopServer();
    if (dataRoot) await rm(dataRoot, { recursive: true, force: true });
    throw error;
  }
  project.provide('letterboxDatabase', { adminUrl, template });

  return async () => {
    await admin(adminUrl, `ALTER DATABASE "${template}" WITH IS_TEMPLATE false`).catch(() => {});
    await admin(adminUrl, `DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`).catch(() => {});
    await stopServer();
    if (dataRoot) await rm(dataRoot, { recursive: true, force: true });
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
