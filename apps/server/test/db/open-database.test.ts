import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.ts';
import { createScratchDir } from '../../src/db/embedded-postgres.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';

describe('openDatabase with a database URL', () => {
  let testDb: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = await openDatabase({ databaseUrl: testDb.url, dataDir: '/nonexistent/not-used' });
  });
  afterAll(async () => {
    await db?.close();
    await testDb?.drop();
  });

  it('uses that server, not an embedded one', () => {
    expect(db.embedded).toBe(false);
    expect(db.url).toBe(testDb.url);
  });

  it('writes and reads through Prisma and the shared pool', async () => {
    const account = await db.prisma.account.create({ data: { address: 'alice@example.test' } });
    const { rows } = await db.pool.query('SELECT address FROM accounts WHERE id = $1', [account.id]);
    expect(rows).toEqual([{ address: 'alice@example.test' }]);
  });

  it('hands out UIDVALIDITY values from the hand-written sequence, starting near now', async () => {
    const { rows } = await db.pool.query<{ v: string }>(`SELECT nextval('uid_validity_seq')::text AS v`);
    const nowSeconds = Math.floor(Date.now() / 1000);
    expect(Number(rows[0]!.v)).toBeGreaterThan(nowSeconds - 24 * 3600);
    expect(Number(rows[0]!.v)).toBeLessThanOrEqual(nowSeconds + 1);
  });
});

describe('openDatabase without a database URL', () => {
  let dataRoot: string;
  beforeAll(async () => {
    dataRoot = await createScratchDir('letterbox-open-db-');
  });
  afterAll(async () => {
    await rm(dataRoot, { recursive: true, force: true });
  });

  it('starts the embedded server, migrates it and stops it on close', async () => {
    const db = await openDatabase({ dataDir: join(dataRoot, 'pg'), embeddedPort: 0 });
    try {
      expect(db.embedded).toBe(true);
      const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM _prisma_migrations WHERE finished_at IS NOT NULL`);
      expect(rows[0].n).toBeGreaterThan(0);
      await db.prisma.account.create({ data: { address: 'bob@example.test' } });
    } finally {
      await db.close();
    }
    await expect(db.pool.query('SELECT 1')).rejects.toThrow();
  });
});
