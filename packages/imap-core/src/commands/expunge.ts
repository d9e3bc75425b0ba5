// tag EXPUNGE | tag UID EXPUNGE set   (RFC 3501 §6.4.3; RFC 4315 §2.1; IMAP.md M30, M45)
// Synchronous: every removal is reported before the tagged OK.
import { defineCommand } from '../command.ts';
import { ImapError } from '../errors.ts';
import type { NumSet } from '../wire/num-set.ts';
import { requireView } from './sets.ts';

export const expunge = defineCommand({
  names: ['EXPUNGE', 'UID EXPUNGE'],
  states: ['selected'],
  allowExpunge: true,
  parse(dec, { numKind }) {
    let set: NumSet | null = null;
    if (numKind === 'uid') set = dec.sp().numSet();
    dec.end();
    return set;
  },
  async run({ conn }, set) {
    const view = requireView(conn);
    if (view.readOnly) throw ImapError.no('Mailbox is read-only', 'READ-ONLY');
    const uids = set ? view.resolveUidSet(set) : null;
    if (uids && uids.length === 0) return;
    const removed = await conn.backendSession.expunge(uids);
    view.removeExpunged(removed, (items) => conn.send(items));
  },
});
