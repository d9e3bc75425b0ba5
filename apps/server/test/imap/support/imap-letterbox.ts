// Letterbox nodes for the IMAP tests: in-process, 127.0.0.1, every port 0, one fresh database
// per test file; nodes can be stopped and started again on the same database and data dir.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { ImapFlow } from 'imapflow';
import type { LetterboxConfig } from '../../../src/config.ts';
import { testLetterboxConfig } from '../../helpers/letterbox-config.ts';
import { startLetterbox, type RunningLetterbox } from '../../../src/letterbox.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';

export interface ImapTestEnv {
  database: TestDatabase;
  dataDir: string;
  /** The test's own pool, for reading what is stored. */
  db: pg.Pool;
  startNode(overrides?: Partial<LetterboxConfig>): Promise<RunningLetterbox>;
  /** Stops every node still running, then drops the database. */
  close(): Promise<void>;
}

export async function createImapTestEnv(): Promise<ImapTestEnv> {
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(join(tmpdir(), 'letterbox-imap-test-'));
  const db = new pg.Pool({ connectionString: database.url, max: 4 });
  db.on('error', () => {});
  const nodes = new Set<RunningLetterbox>();
  return {
    database,
    dataDir,
    db,
    async startNode(overrides = {}) {
      const config = testLetterboxConfig(database.url, dataDir, overrides);
      const node = await startLetterbox(config);
      nodes.add(node);
      const stop = node.stop;
      node.stop = async () => {
        nodes.delete(node);
        await stop();
      };
      return node;
    },
    async close() {
      for (const node of [...nodes]) await node.stop();
      await db.end();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function sendMail(node: RunningLetterbox, to: string[], raw: string | Buffer): Promise<void> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: node.smtpPort, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail({ envelope: { from: 'sender@example.test', to }, raw });
  } finally {
    transport.close();
  }
}

export function testMessage(n: number, to = 'alice@example.test'): string {
  return [
    `From: Sender <sender@example.test>`,
    `To: ${to}`,
    `Subject: Interop ${n}`,
    `Message-ID: <interop-${n}@example.test>`,
    'Date: Sun, 22 Nov 2026 03:00:00 +0000',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    `Hello number ${n}.`,
    'Second line.',
    '',
  ].join('\r\n');
}

/** The stored octets of the message with this Message-ID. */
export async function storedRaw(db: pg.Pool, messageId: string): Promise<Buffer> {
  const result = await db.query<{ raw: Buffer }>(
    `SELECT raw FROM messages WHERE position($1 IN convert_from(substring(raw from 1 for 4096), 'UTF8')) > 0 ORDER BY id LIMIT 1`,
    [`<${messageId}>`],
  );
  if (!result.rows[0]) throw new Error(`no stored message ${messageId}`);
  return result.rows[0].raw;
}

export function imapFlow(port: number, user: string, options: { secure?: boolean; pass?: string; autoIdle?: boolean } = {}): ImapFlow {
  return new ImapFlow({
    disableAutoIdle: options.autoIdle === false,
    host: '127.0.0.1',
    port,
    secure: options.secure ?? false,
    auth: { user, pass: options.pass ?? 'any password' },
    // The self-signed certificate is for localhost; these tests connect to 127.0.0.1.
    tls: { rejectUnauthorized: false },
    logger: false,
  });
}
