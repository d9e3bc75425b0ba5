/** Turns a command's sequence set into UIDs against the session's view (IMAP.md M6, M39, M40). */
import type { UidSet } from '../backend.ts';
import type { Connection } from '../connection.ts';
import type { MailboxView } from '../mailbox-view.ts';
import type { NumKind, NumSet } from '../wire/num-set.ts';

export function requireView(conn: Connection): MailboxView {
  const view = conn.view;
  if (!view) throw new Error('selected state without a mailbox view');
  return view;
}

/** FETCH/STORE/COPY/MOVE: sequence numbers above EXISTS are a BAD, UID sets never fail. */
export function resolveSet(view: MailboxView, set: NumSet, kind: NumKind): UidSet {
  return kind === 'uid' ? view.resolveUidSet(set) : view.resolveSeqSet(set, true);
}
