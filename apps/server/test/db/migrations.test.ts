import { createHash } from 'node:crypto';
import { cp, mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATION_LOCK_KEY, applyMigrations } from '../../src/db/migrate.ts';
import { MIGRATIONS_DIR } from '../../src/db/schema-engine.ts';
import { createEmptyDatabase, queryOnce, type TestDatabase } from '../helpers/database.ts';

/** Long enough for an unserialised run to have created its tables on a slow machine. */
const LOCK_WAIT_OBSERVATION_MS = 1_500;

const migrationNames = async () =>
  (await readdir(MIGRATIONS_DIR, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();

describe('applyMigrations', () => {
  const databases: TestDatabase[] = [];
  const emptyDatabase = async () => {
    const db = await createEmptyDatabase();
    databases.push(db);
    return db;
  };
  afterEach(async () => {
    await Promise.all(databases.splice(0).map((db) => db.drop()));
  });

  it('applies every migration to an empty database, and nothing the second time', async () => {
    const db = await emptyDatabase();
    const expected = await migrationNames();
    expect(expected.length).toBeGreaterThan(0);
    expect(await applyMigrations(db.url)).toEqual(expected);
    expect(await applyMigrations(db.url)).toEqual([]);
    const tables = await queryOnce(db.url, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`);
    expect(tables.map((r) => r.tablename)).toEqual(
      ['_prisma_migrations', 'accounts', 'attachments', 'delivery_counter', 'fault_rules', 'mailbox_messages', 'mailboxes', 'message_imap_structures', 'messages', 'subscriptions'],
    );
  });

  it("records them in _prisma_migrations as Prisma's own migrate deploy does", async () => {
    const db = await emptyDatabase();
    await applyMigrations(db.url);
    const rows = await queryOnce(db.url, 'SELECT * FROM _prisma_migrations ORDER BY migration_name');
    const names = await migrationNames();
    expect(rows.map((r) => r.migration_name)).toEqual(names);
    for (const [index, row] of rows.entries()) {
      const script = await readFile(join(MIGRATIONS_DIR, names[index]!, 'migration.sql'));
      expect(row).toMatchObject({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        // Prisma compares this with the file to detect edited migrations.
        checksum: createHash('sha256').update(script).digest('hex'),
        logs: null,
        rolled_back_at: null,
        applied_steps_count: 1,
      });
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.started_at).toBeInstanceOf(Date);
    }
  });

  it('applies each migration once when five nodes start at the same moment', async () => {
    const db = await emptyDatabase();
    const results = await Promise.all(Array.from({ length: 5 }, () => applyMigrations(db.url)));
    const names = await migrationNames();
    expect(results.flat().sort()).toEqual(names);
    const rows = await queryOnce(db.url, 'SELECT migration_name, count(*)::int AS n FROM _prisma_migrations GROUP BY 1 ORDER BY 1');
    expect(rows).toEqual(names.map((name) => ({ migration_name: name, n: 1 })));
  });

  it('waits for the migration lock held by another node before touching the database', async () => {
    const db = await emptyDatabase();
    const otherNode = new pg.Client({ connectionString: db.url });
    await otherNode.connect();
    try {
      await otherNode.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      let finished = false;
      const applying = applyMigrations(db.url).finally(() => (finished = true));
      await new Promise((resolve) => setTimeout(resolve, LOCK_WAIT_OBSERVATION_MS));
      expect(finished).toBe(false);
      const [table] = await queryOnce(db.url, `SELECT to_regclass('_prisma_migrations')::text AS name`);
      expect(table).toEqual({ name: null });
      await otherNode.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      expect(await applying).toEqual(await migrationNames());
    } finally {
      await otherNode.end();
    }
  });

  it('leaves a recorded failed migration to the engine, which refuses to go on', async () => {
    const db = await emptyDatabase();
    const [first] = await migrationNames();
    await applyMigrations(db.url);
    await queryOnce(db.url, `UPDATE _prisma_migrations SET finished_at = NULL, logs = 'failed here' WHERE migration_name = '${first}'`);
    await expect(applyMigrations(db.url)).rejects.toThrow(/failed migrations/i);
  });

  it('applies a migration added after the others were recorded', async () => {
    const db = await emptyDatabase();
    await applyMigrations(db.url);
    const dir = await mkdtemp(join(tmpdir(), 'letterbox-added-migration-'));
    try {
      await cp(MIGRATIONS_DIR, dir, { recursive: true });
      await mkdir(join(dir, '29991231000000_added'));
      await writeFile(join(dir, '29991231000000_added', 'migration.sql'), 'CREATE TABLE added (id int);\n');
      const logged: string[] = [];
      expect(await applyMigrations(db.url, { migrationsDir: dir, log: (message) => logged.push(message) })).toEqual(['29991231000000_added']);
      expect(logged).toEqual(['applied migration 29991231000000_added']);
      expect(await applyMigrations(db.url, { migrationsDir: dir })).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('leaves nothing half-applied when a migration fails midway', async () => {
    const db = await emptyDatabase();
    const dir = await mkdtemp(join(tmpdir(), 'letterbox-failing-migration-'));
    try {
      await cp(join(MIGRATIONS_DIR, 'migration_lock.toml'), join(dir, 'migration_lock.toml'));
      await mkdir(join(dir, '20000101000000_breaks'));
      await writeFile(join(dir, '20000101000000_breaks', 'migration.sql'), 'CREATE TABLE half (id int);\nSELECT 1 / 0;\n');
      await expect(applyMigrations(db.url, { migrationsDir: dir })).rejects.toThrow(/division by zero/);
      const [table] = await queryOnce(db.url, `SELECT to_regclass('half')::text AS name`);
      expect(table).toEqual({ name: null });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stores raw message bytes with lz4, or uncompressed where PostgreSQL lacks lz4', async () => {
    const db = await emptyDatabase();
    await applyMigrations(db.url);
    const [column] = await queryOnce(
      db.url,
      `SELECT attcompression::text AS compression, attstorage::text AS storage
         FROM pg_attribute WHERE attrelid = 'messages'::regclass AND attname = 'raw'`,
    );
    expect([{ compression: 'l', storage: 'x' }, { compression: '', storage: 'e' }]).toContainEqual(column);
  });
});

