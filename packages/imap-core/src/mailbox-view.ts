/**
 * One session's view of its selected mailbox (IMAP.md M26–M30): the sequence-number→UID map (a
 * sorted UID array, the only per-message state the library keeps) and the updates other sessions
 * caused that this client has not been told about yet.
 *
 * Updates are queued by `apply()` and released by `flush()` only where IMAP allows:
 * - new messages (`* n EXISTS`) after any command;
 * - other sessions' expunges only when `allowExpunge` (NOOP, CHECK, IDLE, EXPUNGE, MOVE, STATUS of
 *   this mailbox) — until then the message keeps its sequence number and can be read ("ghost", M29);
 * - other sessions' flag changes as `* n FETCH (FLAGS …)`.
 */
import type { MailboxChanges, UidSet } from './backend.ts';
import { ImapError } from './errors.ts';
import type { NumSet } from './wire/num-set.ts';
import { atom, type ImapValue } from './wire/value.ts';

export type Untagged = (items: ImapValue[]) => void;

export class MailboxView {
  private uids: number[];
  private readonly pendingExpunged = new Set<number>();
  private readonly pendingAdded = new Set<number>();
  /**
   * UIDs that are \Recent for this session. Messages lose \Recent in arrival order, so at SELECT
   * the recent ones are the highest UIDs; afterwards new arrivals add to the set, expunges remove.
   */
  private readonly recentUids = new Set<number>();
  private readonly pendingRecent = new Set<number>();
  private readonly pendingFlags = new Map<number, string[]>();
  /** The mailbox was deleted under us (M31). */
  gone = false;

  constructor(
    readonly name: string,
    readonly readOnly: boolean,
    readonly uidValidity: number,
    uids: ArrayLike<number>,
    public modseq: bigint,
    recent: number,
  ) {
    this.uids = Array.from(uids);
    for (const uid of this.uids.slice(Math.max(0, this.uids.length - recent))) this.recentUids.add(uid);
  }

  /** Messages \Recent for this session that the client knows of (the `* n RECENT` figure). */
  get recent(): number {
    return this.recentUids.size;
  }

  get exists(): number {
    return this.uids.length;
  }

  get lastUid(): number {
    return this.uids.length > 0 ? this.uids[this.uids.length - 1]! : 0;
  }

  /** Sequence number of `uid`, or 0 when the client does not know that message. */
  seqOf(uid: number): number {
    let lo = 0;
    let hi = this.uids.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = this.uids[mid]!;
      if (v === uid) return mid + 1;
      if (v < uid) lo = mid + 1;
      else hi = mid - 1;
    }
    return 0;
  }

  apply(update: MailboxChanges): void {
    for (const c of update.changes) {
      switch (c.kind) {
        case 'added':
          if (c.uid > this.lastUid && !this.pendingAdded.has(c.uid)) {
            this.pendingAdded.add(c.uid);
            if (c.recent) this.pendingRecent.add(c.uid);
          }
          break;
        case 'expunged': {
          this.pendingFlags.delete(c.uid);
          // A message that came and went before the client heard of it is never announced.
          if (this.seqOf(c.uid) > 0) this.pendingExpunged.add(c.uid);
          else {
            this.pendingAdded.delete(c.uid);
            this.pendingRecent.delete(c.uid);
          }
          break;
        }
        case 'flags':
          if (!c.own && this.seqOf(c.uid) > 0 && !this.pendingExpunged.has(c.uid)) this.pendingFlags.set(c.uid, c.flags);
          break;
        case 'gone':
          this.gone = true;
          break;
      }
    }
    if (update.highestModseq > this.modseq) this.modseq = update.highestModseq;
  }

  /** Sends what may be sent now; see the class comment. */
  flush(send: Untagged, allowExpunge: boolean): void {
    if (allowExpunge && this.pendingExpunged.size > 0) {
      const uids = [...this.pendingExpunged].sort((a, b) => a - b);
      this.pendingExpunged.clear();
      this.removeExpunged(uids, send);
    }
    if (this.pendingAdded.size > 0) {
      const added = [...this.pendingAdded].sort((a, b) => a - b);
      this.pendingAdded.clear();
      for (const uid of added) if (uid > this.lastUid) this.uids.push(uid);
      send([this.uids.length, atom('EXISTS')]);
      if (this.pendingRecent.size > 0) {
        for (const uid of this.pendingRecent) this.recentUids.add(uid);
        this.pendingRecent.clear();
        send([this.recent, atom('RECENT')]);
      }
    }
    for (const [uid, flags] of this.pendingFlags) {
      const seq = this.seqOf(uid);
      if (seq > 0) send([seq, atom('FETCH'), [atom('FLAGS'), flags.map(atom)]]);
    }
    this.pendingFlags.clear();
  }

  /**
   * Announces `* n EXPUNGE` for each UID (ascending) and renumbers. Each reported number already
   * accounts for the removals reported before it (T18: seq 2,3,5 ⇒ 2, 2, 3).
   */
  removeExpunged(sortedUids: number[], send: Untagged): void {
    const removed = new Set<number>();
    for (const uid of sortedUids) {
      const seq = this.seqOf(uid);
      if (seq === 0 || removed.has(uid)) continue;
      send([seq - removed.size, atom('EXPUNGE')]);
      removed.add(uid);
      this.recentUids.delete(uid);
      this.pendingExpunged.delete(uid);
      this.pendingFlags.delete(uid);
    }
    if (removed.size > 0) this.uids = this.uids.filter((u) => !removed.has(u));
  }

  /**
   * Sequence numbers to UIDs. `strict`: a number above EXISTS is a BAD (FETCH/STORE/COPY, M40);
   * otherwise (SEARCH) it matches nothing. `*` on an empty mailbox names nothing.
   */
  resolveSeqSet(set: NumSet, strict: boolean): UidSet {
    const n = this.uids.length;
    const ranges: UidSet = [];
    for (const r of set) {
      if (n === 0 && (r.start === '*' || r.end === '*')) continue;
      const a = r.start === '*' ? n : r.start;
      const b = r.end === '*' ? n : r.end;
      let lo = Math.min(a, b);
      let hi = Math.max(a, b);
      if (hi > n) {
        if (strict) throw ImapError.bad('Invalid message sequence number');
        hi = n;
      }
      lo = Math.max(lo, 1);
      if (lo > hi) continue;
      ranges.push({ start: this.uids[lo - 1]!, end: this.uids[hi - 1]! });
    }
    return normaliseUidSet(ranges);
  }

  /** UID sets never fail (M40): `*` is the highest UID the client knows; `n:*` includes it even if < n. */
  resolveUidSet(set: NumSet): UidSet {
    const max = this.lastUid;
    const ranges: UidSet = [];
    if (max === 0) return ranges;
    for (const r of set) {
      const a = r.start === '*' ? max : r.start;
      const b = r.end === '*' ? max : r.end;
      const lo = Math.min(a, b);
      const hi = Math.min(Math.max(a, b), max);
      if (lo <= hi) ranges.push({ start: lo, end: hi });
    }
    return normaliseUidSet(ranges);
  }

  /** All UIDs the client knows, as ranges of consecutive values. */
  allUids(): UidSet {
    return this.uids.length === 0 ? [] : [{ start: this.uids[0]!, end: this.lastUid }];
  }
}

export function normaliseUidSet(ranges: UidSet): UidSet {
  const sorted = [...ranges].sort((x, y) => x.start - y.start);
  const out: UidSet = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.start <= last.end + 1) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

export function uidSetHas(set: UidSet, uid: number): boolean {
  return set.some((r) => uid >= r.start && uid <= r.end);
}

/** Compact wire form of a UID list in the given order (COPYUID): runs of consecutive values become `a:b`. */
export function formatUidList(uids: number[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < uids.length) {
    let j = i;
    while (j + 1 < uids.length && uids[j + 1] === uids[j]! + 1) j++;
    parts.push(i === j ? String(uids[i]) : `${uids[i]}:${uids[j]}`);
    i = j + 1;
  }
  return parts.join(',');
}
