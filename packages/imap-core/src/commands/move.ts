// tag [UID] MOVE set mailbox   (RFC 6851; IMAP.md M44): `* OK [COPYUID …]` first, then the
// `* n EXPUNGE`s, then the tagged OK. Offered only when the backend implements SupportsMove.
import { supportsMove } from '../backend.ts';
import { defineCommand } from '../command.ts';
import { ImapError } from '../errors.ts';
import { formatUidList } from '../mailbox-view.ts';
import { requireView, resolveSet } from './sets.ts';

export const move = defineCommand({
  names: ['MOVE', 'UID MOVE'],
  states: ['selected'],
  allowExpunge: true,
  parse(dec) {
    const set = dec.sp().numSet();
    const destination = dec.sp().mailbox();
    dec.end();
    return { set, destination };
  },
  async run({ conn, numKind }, { set, destination }) {
    const session = conn.backendSession;
    if (!supportsMove(session)) throw ImapError.bad('MOVE is not supported');
    const view = requireView(conn);
    if (view.readOnly) throw ImapError.no('Mailbox is read-only', 'READ-ONLY');
    const uids = resolveSet(view, set, numKind);
    const data = await session.move(uids, destination);
    if (data.sourceUids.length === 0) return { text: 'No messages moved' };
    conn.writeLine(`* OK [COPYUID ${data.uidValidity} ${formatUidList(data.sourceUids)} ${formatUidList(data.destUids)}] Moved`);
    view.removeExpunged([...data.sourceUids].sort((a, b) => a - b), (items) => conn.send(items));
  },
});
