// imap-core's backend contract suite against the Postgres backend (credentials mode, so that a
// wrong password and an unknown user fail as the contract requires; open mode is tested in
// auth.test.ts).
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { describeBackendContract } from '@letterbox/imap-core/testing/backend-contract';
import { createPostgresBackend } from '../../src/imap/postgres-backend.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/database.ts';
import { deliver, TEST_CATCH_ALL } from './support/deliver.ts';

/** Enough connections for the contract's 50 concurrent deliveries to queue briefly, not time out. */
const POOL_SIZE = 20;

let database: TestDatabase;
let pool: pg.Pool;
let userCount = 0;

beforeAll(async () => {
  database = await createTestDatabase();
  pool = new pg.Pool({ connectionString: database.url, max: POOL_SIZE });
  // Dropping the database at the end terminates connections still closing.
  pool.on('error', () => {});
});

afterAll(async () => {
  await pool.end();
  await database.drop();
});

describeBackendContract('postgres', async () => {
  // A fresh account per test keeps tests independent on one database.
  const username = `contract-${++userCount}@example.test`;
  const password = 'secret';
  const backend = await createPostgresBackend({
    pool,
    databaseUrl: database.url,
    auth: { mode: 'required', credentials: [{ username, password }], catchAllAddress: TEST_CATCH_ALL },
  });
  return {
    backend,
    username,
    password,
    deliver: async (mailbox, raw) => {
      if (mailbox !== 'INBOX') throw new Error('SMTP delivers to INBOX only');
      await deliver(pool, [username], raw);
    },
    cleanup: () => backend.close(),
  };
});
