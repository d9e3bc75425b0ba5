// The Postgres ImapBackend: every node runs one, sharing the database with ingest, retention and
// the HTTP API. Sessions hold no mailbox contents, only the selected mailbox's cursor; changes
// from any node arrive through the backend's LISTEN connection (change-feed.ts).
import type pg from 'pg';
import type { ConnectionInfo, ImapBackend, ImapSession } from '@letterbox/imap-core';
import { startMailboxChangeFeed, type MailboxChangeFeed } from './change-feed.ts';
import type { ImapAuthPolicy } from './imap-auth.ts';
import { PostgresSession } from './postgres-session.ts';

export interface PostgresBackendOptions {
  pool: pg.Pool;
  /** For the LISTEN connection (outside the pool: it is held for the node's lifetime). */
  databaseUrl: string;
  auth: ImapAuthPolicy;
  log?: (message: string) => void;
}

export interface PostgresBackend extends ImapBackend {
  close(): Promise<void>;
}

export async function createPostgresBackend(options: PostgresBackendOptions): Promise<PostgresBackend> {
  const feed: MailboxChangeFeed = await startMailboxChangeFeed(options.databaseUrl, options.log);
  const context = { pool: options.pool, auth: options.auth, feed };
  return {
    createSession: async (_conn: ConnectionInfo): Promise<ImapSession> => new PostgresSession(context),
    close: () => feed.close(),
  };
}
