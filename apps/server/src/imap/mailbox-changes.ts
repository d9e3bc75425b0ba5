// changes(sinceModseq): what happened in the selected mailbox after `sinceModseq`, read from the
// entries themselves. Every change stamps the entry with a new modseq (an expunge also sets the
// tombstone's expungedModseq), so `modseq > since` on the (mailboxId, modseq) index finds them all.
// An entry the session has not seen yet (uid >= its known UIDNEXT) is an arrival; an older one is
// a flag change or an expunge. Intermediate flag states collapse into the current one, except
// the session's own changes, which it remembers until they are reported (`own`).
//
// Tombstones do not live forever: messages deleted for good (retention, the HTTP API) take their
// entries along. A session that had not read the tombstone by then would keep the UID; so after
// any purge the session compares the UIDs it has reported (`uids`) with the entries still there
// and reports the missing ones as expunged.
import type pg from 'pg';
import type { MailboxChange, MailboxChanges } from '@letterbox/imap-core';
import { claimRecent } from './select-mailbox.ts';
import { RECENT } from './system-flags.ts';

/** The selected-mailbox state changes() reads and advances. */
export interface ChangeCursor {
  mailboxId: string;
  readOnly: boolean;
  /** Entries with a UID at or above this are new to the session. */
  knownUidNext: number;
  recentUids: Set<number>;
  /** Flag changes this session made and has not been told about yet: uid -> [modseq, flags]. */
  ownFlagChanges: OwnFlagChange[];
  /** Live UIDs as reported to the library, ascending. */
  uids: number[];
  /** The change feed's purge count when `uids` was last checked against the database. */
  checkedPurges: number;
}

export interface OwnFlagChange {
  uid: number;
  modseq: bigint;
  flags: string[];
}

interface ChangeRow {
  highest_modseq: string;
  uid: number | null;
  modseq: string | null;
  flags: string[] | null;
  expunged: boolean | null;
  recent: boolean | null;
}

export async function mailboxChanges(pool: pg.Pool, cursor: ChangeCursor, since: bigint, purges: number): Promise<MailboxChanges> {
  const result = await pool.query<ChangeRow>(
    `SELECT mb."highestModseq" AS highest_modseq, mm.uid, mm.modseq, mm.flags,
            mm."expungedModseq" IS NOT NULL AS expunged, mm.recent
       FROM mailboxes mb
       LEFT JOIN mailbox_messages mm ON mm."mailboxId" = mb.id AND mm.modseq > $2
      WHERE mb.id = $1
      ORDER BY mm.modseq, mm.uid`,
    [cursor.mailboxId, since.toString()],
  );
  cursor.ownFlagChanges = cursor.ownFlagChanges.filter((c) => c.modseq > since);
  if (result.rows.length === 0) {
    return { highestModseq: since + 1n, changes: [{ kind: 'gone', modseq: since + 1n }] };
  }
  const highestModseq = BigInt(result.rows[0]!.highest_modseq);
  const entries = result.rows.filter((r): r is ChangeRow & { uid: number; modseq: string } => r.uid !== null);

  const arrivals = entries.filter((r) => !r.expunged && r.uid >= cursor.knownUidNext).sort((a, b) => a.uid - b.uid);
  if (arrivals.length > 0 && !cursor.readOnly) {
    const claimable = arrivals.filter((r) => r.recent).map((r) => r.uid);
    if (claimable.length > 0) {
      for (const uid of await claimRecent(pool, cursor.mailboxId, arrivals[arrivals.length - 1]!.uid + 1, claimable)) cursor.recentUids.add(uid);
    }
  }

  const changes: MailboxChange[] = [];
  for (const r of arrivals) changes.push({ kind: 'added', uid: r.uid, modseq: BigInt(r.modseq), recent: cursor.recentUids.has(r.uid) });
  const own = new Map(cursor.ownFlagChanges.map((c) => [`${c.uid}:${c.modseq}`, c]));
  const updates: MailboxChange[] = [];
  for (const r of entries) {
    const modseq = BigInt(r.modseq);
    if (r.uid >= cursor.knownUidNext) continue; // an arrival (above) or one that came and went unseen
    if (r.expunged) {
      updates.push({ kind: 'expunged', uid: r.uid, modseq });
      cursor.recentUids.delete(r.uid);
    } else {
      const isOwn = own.delete(`${r.uid}:${r.modseq}`);
      updates.push({ kind: 'flags', uid: r.uid, modseq, flags: withRecent(r.flags ?? [], cursor.recentUids.has(r.uid)), own: isOwn });
    }
  }
  // Own changes superseded by a later one (theirs or ours) still count as reported to the caller.
  for (const c of own.values()) updates.push({ kind: 'flags', uid: c.uid, modseq: c.modseq, flags: c.flags, own: true });
  updates.sort((a, b) => (a.modseq < b.modseq ? -1 : a.modseq > b.modseq ? 1 : 0));
  changes.push(...updates);

  const lastUid = entries.reduce((max, r) => Math.max(max, r.uid), 0);
  if (lastUid >= cursor.knownUidNext) cursor.knownUidNext = lastUid + 1;
  cursor.ownFlagChanges = [];
  trackUids(cursor, changes);
  if (cursor.checkedPurges !== purges) {
    cursor.checkedPurges = purges;
    const vanished: MailboxChange[] = (await vanishedUids(pool, cursor)).map((uid) => ({ kind: 'expunged', uid, modseq: highestModseq }));
    trackUids(cursor, vanished);
    changes.push(...vanished);
  }
  return { highestModseq, changes: changes.sort((a, b) => (a.modseq < b.modseq ? -1 : a.modseq > b.modseq ? 1 : 0)) };
}

/** Keeps `cursor.uids` equal to what the library has been told (arrivals come first, ascending, above every known UID). */
function trackUids(cursor: ChangeCursor, changes: readonly MailboxChange[]): void {
  const gone = new Set<number>();
  for (const c of changes) {
    if (c.kind === 'added') cursor.uids.push(c.uid);
    else if (c.kind === 'expunged') gone.add(c.uid);
  }
  if (gone.size > 0) cursor.uids = cursor.uids.filter((uid) => !gone.has(uid));
}

/** Reported UIDs without any entry left (live or tombstone): purged before their tombstone was read. */
async function vanishedUids(pool: pg.Pool, cursor: ChangeCursor): Promise<number[]> {
  if (cursor.uids.length === 0) return [];
  const present = await pool.query<{ uids: string | null }>(
    `SELECT string_agg(uid::text, ',') AS uids FROM mailbox_messages WHERE "mailboxId" = $1 AND uid < $2`,
    [cursor.mailboxId, cursor.knownUidNext],
  );
  const still = new Set((present.rows[0]?.uids ?? '').split(',').filter(Boolean).map(Number));
  return cursor.uids.filter((uid) => !still.has(uid));
}

export function withRecent(flags: string[], recent: boolean): string[] {
  return recent ? [...flags, RECENT] : flags;
}
