// An in-process Letterbox on 127.0.0.1 port 0 over a fresh migrated database, plus queries the
// SMTP tests share.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { DEFAULT_CATCH_ALL_ADDRESS, type LetterboxConfig } from '../../../src/config.ts';
import { deliverToInbox } from '../../../src/imap/deliver-to-inbox.ts';
import { testLetterboxConfig } from '../../helpers/letterbox-config.ts';
import { startLetterbox, type RunningLetterbox } from '../../../src/letterbox.ts';
import { createTestDatabase } from '../../helpers/database.ts';

export interface TestLetterbox {
  letterbox: RunningLetterbox;
  config: LetterboxConfig;
  url: string;
  /** A pool of the test's own, independent of the server's. */
  db: pg.Pool;
  stop(): Promise<void>;
}

export async function startTestLetterbox(overrides: Partial<LetterboxConfig> = {}): Promise<TestLetterbox> {
  const database = await createTestDatabase();
  try {
    return await startOn(database, overrides);
  } catch (error) {
    await database.drop();
    throw error;
  }
}

/** Another node on the same database as `first` (DESIGN invariant 7); stopping it leaves the database. */
export async function startSecondNode(first: TestLetterbox): Promise<TestLetterbox> {
  return startOn({ url: first.url, drop: async () => {} }, {});
}

async function startOn(database: { url: string; drop(): Promise<void> }, overrides: Partial<LetterboxConfig>): Promise<TestLetterbox> {
  const dataDir = await mkdtemp(join(tmpdir(), 'letterbox-smtp-test-'));
  const config = testLetterboxConfig(database.url, dataDir, overrides);
  const letterbox = await startLetterbox(config);
  const db = new pg.Pool({ connectionString: database.url, max: 4 });
  // Dropping the database at the end terminates whatever connection is still closing.
  db.on('error', () => {});
  return {
    letterbox,
    config,
    url: database.url,
    db,
    stop: async () => {
      await letterbox.stop();
      await db.end();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export interface StoredRow {
  id: string;
  raw: Buffer;
  size: number;
  /** Null until the background parser has run. */
  sha256: string | null;
  mailFrom: string;
  rcptTo: string[];
  authUser: string | null;
  tls: boolean;
  run: string | null;
  parseState: 'pending' | 'parsed' | 'failed';
  parseError: string | null;
}

export async function storedMessages(db: pg.Pool): Promise<StoredRow[]> {
  const result = await db.query<StoredRow>(
    `SELECT id, raw, size, sha256, "mailFrom", "rcptTo", "authUser", tls, run, "parseState", "parseError"
       FROM messages ORDER BY id`,
  );
  return result.rows;
}

/** Messages per account address, via the account's INBOX, filled first as IMAP does (deliver-to-inbox.ts). */
export async function inboxMessageIds(db: pg.Pool, address: string, catchAllAddress = DEFAULT_CATCH_ALL_ADDRESS): Promise<string[]> {
  await deliverToInbox(db, address, catchAllAddress);
  const result = await db.query<{ messageId: string }>(
    `SELECT e."messageId" FROM mailbox_messages e
       JOIN mailboxes m ON m.id = e."mailboxId" AND m.name = 'INBOX'
       JOIN accounts a ON a.id = m."accountId"
      WHERE a.address = $1 ORDER BY e.uid`,
    [address],
  );
  return result.rows.map((r) => r.messageId);
}
