// An IMAP account's folders: created at first login (INBOX and the special-use folders, all
// subscribed, IMAP.md §0 item 6), listed, and created/renamed/deleted by the user.
import type pg from 'pg';
import { ImapError, type MailboxInfo, type SpecialUse } from '@letterbox/imap-core';
import { lockMailboxes, notifyMailboxesChanged } from './mailbox-lock.ts';
import { inTransaction } from './transaction.ts';

export const INBOX = 'INBOX';

/** Created at an account's first IMAP login; Thunderbird and Apple Mail look for these roles. */
export const DEFAULT_FOLDERS: readonly (readonly [string, SpecialUse | null])[] = [
  [INBOX, null],
  ['Sent', '\\Sent'],
  ['Drafts', '\\Drafts'],
  ['Trash', '\\Trash'],
  ['Junk', '\\Junk'],
  ['Archive', '\\Archive'],
];

const SPECIAL_USES = new Set<string>(['\\Sent', '\\Drafts', '\\Trash', '\\Junk', '\\Archive', '\\All', '\\Flagged']);

/**
 * The account's id, creating the account and (once, the first time IMAP sees it) its default
 * folders and subscriptions. A folder the user deletes later is not re-created; INBOX always is,
 * since delivery needs it (and then receives the account's mail: deliver-to-inbox.ts).
 */
export async function openAccount(pool: pg.Pool, address: string): Promise<string> {
  return inTransaction(pool, async ({ client }) => {
    await client.query('INSERT INTO accounts (address) VALUES ($1) ON CONFLICT (address) DO NOTHING', [address]);
    // FOR UPDATE: an INBOX is only created under its account's lock (see deliver-to-inbox.ts).
    const account = await client.query<{ id: string; created: Date | null }>(
      'SELECT id, "imapFoldersCreatedAt" AS created FROM accounts WHERE address = $1 FOR UPDATE',
      [address],
    );
    const row = account.rows[0];
    if (!row) throw new Error(`account ${address} could not be created`);
    // The row lock makes concurrent first logins create the folders once.
    const first = await client.query('UPDATE accounts SET "imapFoldersCreatedAt" = now() WHERE id = $1 AND "imapFoldersCreatedAt" IS NULL', [row.id]);
    const folders = first.rowCount === 1 ? DEFAULT_FOLDERS : DEFAULT_FOLDERS.filter(([name]) => name === INBOX);
    await createFolders(client, row.id, folders);
    if (first.rowCount === 1) {
      await client.query(
        'INSERT INTO subscriptions ("accountId", name) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING',
        [row.id, folders.map(([name]) => name)],
      );
    }
    return row.id;
  });
}

/** Inserts missing folders, each with a fresh UIDVALIDITY from the never-reused sequence. */
async function createFolders(client: pg.ClientBase, accountId: string, folders: readonly (readonly [string, SpecialUse | null])[]): Promise<void> {
  await client.query(
    `INSERT INTO mailboxes ("accountId", name, "uidValidity", "specialUse")
     SELECT $1, f.name, nextval('uid_validity_seq'), f.special_use
       FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS f(name, special_use, position)
      WHERE NOT EXISTS (SELECT 1 FROM mailboxes m WHERE m."accountId" = $1 AND m.name = f.name)
      ORDER BY f.position
     ON CONFLICT ("accountId", name) DO NOTHING`,
    [accountId, folders.map(([name]) => name), folders.map(([, use]) => use)],
  );
}

export async function listFolders(pool: pg.Pool, accountId: string): Promise<MailboxInfo[]> {
  const result = await pool.query<{ name: string; special_use: string | null }>(
    'SELECT name, "specialUse" AS special_use FROM mailboxes WHERE "accountId" = $1 ORDER BY name',
    [accountId],
  );
  return result.rows.map((r) => ({ name: r.name, specialUse: r.special_use !== null && SPECIAL_USES.has(r.special_use) ? (r.special_use as SpecialUse) : null }));
}

export async function createFolder(pool: pg.Pool, accountId: string, name: string): Promise<void> {
  await inTransaction(pool, async ({ client }) => {
    const inserted = await client.query(
      `INSERT INTO mailboxes ("accountId", name, "uidValidity") VALUES ($1, $2, nextval('uid_validity_seq'))
       ON CONFLICT ("accountId", name) DO NOTHING`,
      [accountId, name],
    );
    if (inserted.rowCount !== 1) throw ImapError.alreadyExists();
    await client.query('INSERT INTO subscriptions ("accountId", name) VALUES ($1, $2) ON CONFLICT DO NOTHING', [accountId, name]);
  });
}

/** Deletes the folder and its entries; sessions that have it selected learn it is gone. */
export async function deleteFolder(pool: pg.Pool, accountId: string, name: string): Promise<void> {
  await inTransaction(pool, async (tx) => {
    const found = await tx.client.query<{ id: string }>('SELECT id FROM mailboxes WHERE "accountId" = $1 AND name = $2', [accountId, name]);
    const id = found.rows[0]?.id;
    if (id === undefined) throw ImapError.nonexistent();
    const locked = await lockMailboxes(tx, [id]);
    await tx.client.query('DELETE FROM mailboxes WHERE id = $1', [id]);
    await tx.client.query('DELETE FROM subscriptions WHERE "accountId" = $1 AND name = $2', [accountId, name]);
    notifyMailboxesChanged(tx, [...locked.values()]);
  });
}

/** Renames the folder and everything below it, keeping UIDVALIDITY (the messages stay the same). */
export async function renameFolder(pool: pg.Pool, accountId: string, from: string, to: string): Promise<void> {
  await inTransaction(pool, async ({ client }) => {
    const names = await client.query<{ name: string }>(
      `SELECT name FROM mailboxes WHERE "accountId" = $1 AND (name = $2 OR left(name, length($2) + 1) = $2 || '/')
        ORDER BY name FOR UPDATE`,
      [accountId, from],
    );
    if (!names.rows.some((r) => r.name === from)) throw ImapError.nonexistent();
    const oldNames = names.rows.map((r) => r.name);
    const newNames = oldNames.map((n) => to + n.slice(from.length));
    const clash = await client.query('SELECT 1 FROM mailboxes WHERE "accountId" = $1 AND name = ANY($2::text[]) LIMIT 1', [accountId, newNames]);
    if (clash.rowCount !== 0) throw ImapError.alreadyExists();
    await client.query(
      `UPDATE mailboxes m SET name = r.new_name
         FROM unnest($2::text[], $3::text[]) AS r(old_name, new_name)
        WHERE m."accountId" = $1 AND m.name = r.old_name`,
      [accountId, oldNames, newNames],
    );
    await client.query('DELETE FROM subscriptions WHERE "accountId" = $1 AND name = ANY($2::text[])', [accountId, oldNames]);
    await client.query('INSERT INTO subscriptions ("accountId", name) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING', [accountId, newNames]);
  });
}

export async function listSubscriptions(pool: pg.Pool, accountId: string): Promise<string[]> {
  const result = await pool.query<{ name: string }>('SELECT name FROM subscriptions WHERE "accountId" = $1 ORDER BY name', [accountId]);
  return result.rows.map((r) => r.name);
}

export async function setSubscribed(pool: pg.Pool, accountId: string, name: string, subscribed: boolean): Promise<void> {
  if (subscribed) {
    await pool.query('INSERT INTO subscriptions ("accountId", name) VALUES ($1, $2) ON CONFLICT DO NOTHING', [accountId, name]);
  } else {
    await pool.query('DELETE FROM subscriptions WHERE "accountId" = $1 AND name = $2', [accountId, name]);
  }
}

export interface FolderRow {
  id: string;
  uidValidity: number;
}

/** The folder's id and UIDVALIDITY, or null. */
export async function findFolder(db: pg.Pool | pg.ClientBase, accountId: string, name: string): Promise<FolderRow | null> {
  const result = await db.query<{ id: string; uid_validity: number }>(
    'SELECT id, "uidValidity" AS uid_validity FROM mailboxes WHERE "accountId" = $1 AND name = $2',
    [accountId, name],
  );
  const row = result.rows[0];
  return row ? { id: row.id, uidValidity: row.uid_validity } : null;
}
