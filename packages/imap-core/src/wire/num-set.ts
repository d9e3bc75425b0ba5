/**
 * A sequence set (RFC 3501 §9 `sequence-set`) kept as ranges, never expanded (IMAP.md M6):
 * `1:*` over a 100,000-message mailbox is one range, and `1:4294967295` costs nothing.
 *
 * `'*'` stands for "the largest number in use" and is resolved only against a mailbox view.
 * A range is stored as written; `3:1` and `1:3` mean the same set.
 */
export type SeqNumber = number | '*';
export interface NumRange {
  start: SeqNumber;
  end: SeqNumber;
}
export type NumSet = NumRange[];

/** Which numbers a set names: message sequence numbers or UIDs. */
export type NumKind = 'seq' | 'uid';
