// UID sets as two parallel int4 arrays, joined in SQL as
//   JOIN unnest($starts::int[], $ends::int[]) AS r(s, e) ON mm.uid BETWEEN r.s AND r.e
// so every range becomes an index range scan on the (mailboxId, uid) primary key.
import type { UidSet } from '@letterbox/imap-core';

/** The largest UID IMAP allows (RFC 3501: nz-number is a 32-bit unsigned integer). */
export const MAX_UID = 4_294_967_295;
/** UIDs live in an int4 column; bounds beyond it are clamped (no stored UID is that large). */
const MAX_INT4 = 2_147_483_647;

export interface UidRangeArrays {
  starts: number[];
  ends: number[];
}

export function uidRangeArrays(uids: UidSet): UidRangeArrays {
  const starts: number[] = [];
  const ends: number[] = [];
  for (const r of uids) {
    if (r.start > MAX_INT4) continue;
    starts.push(r.start);
    ends.push(Math.min(r.end, MAX_INT4));
  }
  return { starts, ends };
}

/** A join restricting `alias` (a mailbox_messages row) to the ranges; see the file comment. */
export const JOIN_UID_RANGES = (alias: string, startsParam: string, endsParam: string): string =>
  `JOIN unnest(${startsParam}::int[], ${endsParam}::int[]) AS r(s, e) ON ${alias}.uid BETWEEN r.s AND r.e`;
