// The lazy_inboxes migration on a database written by the eager version: messages get their
// recipients as account addresses, recipient INBOXes are marked delivered through the catch-all's
// last UID (they were delivered to eagerly), the catch-all INBOX keeps 0, and the three
// mostly-empty indexes become partial. Then the delivery_order migration: each message's
// deliverySeq is its catch-all UID, the catch-all INBOX is marked and holds everything, and the
// delivery counter continues from there.
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { applyMigrations } from '../../src/db/migrate.ts';
import { MIGRATIONS_DIR } from '../../src/db/schema-engine.ts';
import { deliverToInbox } from '../../src/imap/deliver-to-inbox.ts';
import { createEmptyDatabase, type TestDatabase } from '../helpers/database.ts';

const LAZY = /_lazy_inboxes$/;
const DELIVERY_ORDER = /_delivery_order$/;

const databases: TestDatabase[] = [];
afterAll(async () => {
  await Promise.all(databases.map((db) => db.drop()));
});

describe('the lazy_inboxes migration', () => {
  it('backfills recipients and delivery watermarks of an eagerly delivered store', async () => {
    const db = await createEmptyDatabase();
    databases.push(db);
    const names = (await readdir(MIGRATIONS_DIR, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
    const lazyIndex = names.findIndex((n) => LAZY.test(n));
    expect(lazyIndex).toBeGreaterThan(0);
    const dir = await mkdtemp(join(tmpdir(), 'letterbox-lazy-migration-'));
    const pool = new pg.Pool({ connectionString: db.url, max: 2 });
    try {
      await cp(join(MIGRATIONS_DIR, 'migration_lock.toml'), join(dir, 'migration_lock.toml'));
      for (const name of names.slice(0, lazyIndex)) await cp(join(MIGRATIONS_DIR, name), join(dir, name), { recursive: true });
      await applyMigrations(db.url, { migrationsDir: dir });

      // As the eager version stored them: two messages, each in the catch-all and each recipient INBOX.
      await pool.query(`
        INSERT INTO accounts (address) VALUES ('catchall'), ('Ann@example.test'), ('bob@example.test');
        INSERT INTO mailboxes ("accountId", name, "uidValidity", "uidNext", "highestModseq")
          SELECT id, 'INBOX', nextval('uid_validity_seq'), CASE address WHEN 'catchall' THEN 3 WHEN 'bob@example.test' THEN 2 ELSE 3 END, 3 FROM accounts;
        INSERT INTO messages (raw, size, sha256, "rcptTo", "references") VALUES
          ('\\x00', 1, repeat('0', 64), ARRAY['Ann@Example.TEST', 'bob@example.test', 'ann@example.test', 'Ann@example.test'], '{}'),
          ('\\x00', 1, repeat('0', 64), ARRAY['Ann@EXAMPLE.test'], '{}');
        INSERT INTO mailbox_messages ("mailboxId", uid, "messageId", modseq, flags, "internalDate")
          SELECT mb.id, m.n, m.id, m.n + 1, '{}', now()
            FROM mailboxes mb JOIN accounts a ON a.id = mb."accountId"
            JOIN (SELECT id, row_number() OVER (ORDER BY id)::int AS n FROM messages) m
              ON a.address <> 'bob@example.test' OR m.n = 1;
      `);

      await cp(join(MIGRATIONS_DIR, names[lazyIndex]!), join(dir, names[lazyIndex]!), { recursive: true });
      expect(await applyMigrations(db.url, { migrationsDir: dir })).toEqual([names[lazyIndex]]);

      const recipients = await pool.query<{ recipients: string[] }>('SELECT recipients FROM messages ORDER BY id');
      expect(recipients.rows.map((r) => r.recipients)).toEqual([['Ann@example.test', 'bob@example.test', 'ann@example.test'], ['Ann@example.test']]);
      const watermarks = await pool.query<{ address: string; through: number }>(
        `SELECT a.address, mb."deliveredThrough" AS through FROM mailboxes mb JOIN accounts a ON a.id = mb."accountId" ORDER BY a.address`,
      );
      expect(watermarks.rows).toEqual([
        { address: 'Ann@example.test', through: 2 },
        { address: 'bob@example.test', through: 2 },
        { address: 'catchall', through: 0 },
      ]);

      const orderIndex = names.findIndex((n) => DELIVERY_ORDER.test(n));
      expect(orderIndex).toBeGreaterThan(lazyIndex);
      for (const name of names.slice(lazyIndex + 1, orderIndex + 1)) await cp(join(MIGRATIONS_DIR, name), join(dir, name), { recursive: true });
      expect(await applyMigrations(db.url, { migrationsDir: dir })).toEqual(names.slice(lazyIndex + 1, orderIndex + 1));
      const order = await pool.query<{ seq: string }>('SELECT "deliverySeq" AS seq FROM messages ORDER BY id');
      expect(order.rows.map((r) => r.seq)).toEqual(['1', '2']);
      const marked = await pool.query<{ address: string; through: string; is_catch_all: boolean }>(
        `SELECT a.address, mb."deliveredThrough" AS through, mb."isCatchAll" AS is_catch_all
           FROM mailboxes mb JOIN accounts a ON a.id = mb."accountId" ORDER BY a.address`,
      );
      expect(marked.rows).toEqual([
        { address: 'Ann@example.test', through: '2', is_catch_all: false },
        { address: 'bob@example.test', through: '2', is_catch_all: false },
        { address: 'catchall', through: '2', is_catch_all: true },
      ]);
      expect((await pool.query('SELECT id, last FROM delivery_counter')).rows).toEqual([{ id: 1, last: '2' }]);
      // Already delivered: filling the INBOXes adds nothing.
      expect(await deliverToInbox(pool, 'Ann@example.test', 'catchall')).toMatchObject({ delivered: 0 });
      expect(await deliverToInbox(pool, 'catchall', 'catchall')).toMatchObject({ delivered: 0 });
      const indexes = await pool.query<{ name: string; predicate: string | null }>(
        `SELECT c.relname AS name, pg_get_expr(i.indpred, i.indrelid) AS predicate
           FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
          WHERE c.relname IN ('messages_deletedAt_idx', 'messages_parseState_id_idx', 'messages_run_id_idx') ORDER BY 1`,
      );
      expect(indexes.rows).toEqual([
        { name: 'messages_deletedAt_idx', predicate: '("deletedAt" IS NOT NULL)' },
        { name: 'messages_parseState_id_idx', predicate: `("parseState" = 'pending'::parse_state)` },
        { name: 'messages_run_id_idx', predicate: '(run IS NOT NULL)' },
      ]);
    } finally {
      await pool.end();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
