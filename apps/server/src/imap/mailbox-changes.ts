// changes(sinceModseq): what happened in the selected mailbox after `sinceModseq`, read from the
// entries themselves. Every change stamps the entry with a new modseq (an expunge also sets the
// tombstone's expungedModseq), so `modseq > since` on the (mailboxId, modseq) index finds them all.
// An entry the session has not seen yet (uid >= its known UIDNEXT) is an arrival; an older one is
// a flag change or an expunge. Intermediate flag states collapse into the current one, except
// the session's own changes, which it remembers until they are reported (`own`).
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

export async function mailboxChanges(pool: pg.Pool, cursor: ChangeCursor, since: bigint): Promise<MailboxChanges> {
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
  return { highestModseq, changes: changes.sort((a, b) => (a.modseq < b.modseq ? -1 : a.modseq > b.modseq ? 1 : 0)) };
}

export function withRecent(flags: string[], recent: boolean): string[] {
  return recent ? [...flags, RECENT] : flags;
}
