// STORE: one atomic UPDATE per command under the mailbox row lock, the +/- forms computed in SQL
// from the row's current flags so concurrent sessions never clobber each other (IMAP.md M42).
// Entries whose flags actually change get the command's one new modseq; then the current flags of
// every addressed message stream to the sink in keyset pages, outside the transaction.
import type pg from 'pg';
import type { Sink, StoreRequest, StoredFlags } from '@letterbox/imap-core';
import { bumpModseq, lockMailboxes, notifyMailboxesChanged } from './mailbox-lock.ts';
import { withRecent, type OwnFlagChange } from './mailbox-changes.ts';
import { inTransaction } from './transaction.ts';
import { JOIN_UID_RANGES, uidRangeArrays } from './uid-ranges.ts';

const PAGE_ROWS = 2_000;

const CURRENT = `coalesce(mm.flags, '{}')`;

/** New flags and "would this change anything" per mode; $4 is the (deduplicated) flag list. */
const UPDATES = {
  add: {
    flags: `${CURRENT} || ARRAY(SELECT f FROM unnest($4::text[]) AS f WHERE NOT f = ANY(${CURRENT}))`,
    changes: `NOT ${CURRENT} @> $4::text[]`,
  },
  remove: {
    flags: `ARRAY(SELECT f FROM unnest(${CURRENT}) AS f WHERE NOT f = ANY($4::text[]))`,
    changes: `${CURRENT} && $4::text[]`,
  },
  replace: {
    flags: `$4::text[]`,
    changes: `NOT (${CURRENT} @> $4::text[] AND ${CURRENT} <@ $4::text[])`,
  },
} as const;

export interface StoreScope {
  mailboxId: string;
  recentUids: ReadonlySet<number>;
}

/** Returns the session's own flag changes (for `changes()` to mark them `own`). */
export async function storeFlags(pool: pg.Pool, scope: StoreScope, request: StoreRequest, sink: Sink<StoredFlags>): Promise<OwnFlagChange[]> {
  const { starts, ends } = uidRangeArrays(request.uids);
  const flags = [...new Set(request.flags)];
  const update = UPDATES[request.mode];
  const own = await inTransaction(pool, async (tx) => {
    const mailbox = (await lockMailboxes(tx, [scope.mailboxId])).get(scope.mailboxId);
    if (!mailbox) return [];
    const modseq = mailbox.highestModseq + 1n;
    const changed = await tx.client.query<{ uid: number; flags: string[] }>(
      `UPDATE mailbox_messages mm SET flags = ${update.flags}, modseq = $5
         FROM (SELECT mm.uid FROM mailbox_messages mm ${JOIN_UID_RANGES('mm', '$2', '$3')}
                WHERE mm."mailboxId" = $1 AND mm."expungedModseq" IS NULL) AS target
        WHERE mm."mailboxId" = $1 AND mm.uid = target.uid AND ${update.changes}
        RETURNING mm.uid, mm.flags`,
      [scope.mailboxId, starts, ends, flags, modseq.toString()],
    );
    if (changed.rows.length === 0) return [];
    await bumpModseq(tx, mailbox);
    notifyMailboxesChanged(tx, [mailbox]);
    return changed.rows.map((r) => ({ uid: r.uid, modseq, flags: withRecent(r.flags, scope.recentUids.has(r.uid)) }));
  });
  await streamFlags(pool, scope, starts, ends, sink);
  return own;
}

async function streamFlags(pool: pg.Pool, scope: StoreScope, starts: number[], ends: number[], sink: Sink<StoredFlags>): Promise<void> {
  for (let i = 0; i < starts.length; i++) {
    let after = starts[i]! - 1;
    for (;;) {
      const page = await pool.query<{ uid: number; flags: string[] | null; modseq: string }>(
        `SELECT uid, flags, modseq FROM mailbox_messages
          WHERE "mailboxId" = $1 AND uid > $2 AND uid <= $3 AND "expungedModseq" IS NULL
          ORDER BY uid LIMIT $4`,
        [scope.mailboxId, after, ends[i]!, PAGE_ROWS],
      );
      for (const r of page.rows) {
        await sink({ uid: r.uid, flags: withRecent(r.flags ?? [], scope.recentUids.has(r.uid)), modseq: BigInt(r.modseq) });
      }
      if (page.rows.length < PAGE_ROWS) break;
      after = page.rows[page.rows.length - 1]!.uid;
    }
  }
}
