// tag [UID] COPY set mailbox   (RFC 3501 §6.4.7; RFC 4315 COPYUID; IMAP.md M43)
import { defineCommand } from '../command.ts';
import { formatUidList } from '../mailbox-view.ts';
import { requireView, resolveSet } from './sets.ts';

export const copy = defineCommand({
  names: ['COPY', 'UID COPY'],
  states: ['selected'],
  parse(dec) {
    const set = dec.sp().numSet();
    const destination = dec.sp().mailbox();
    dec.end();
    return { set, destination };
  },
  async run({ conn, numKind }, { set, destination }) {
    const uids = resolveSet(requireView(conn), set, numKind);
    const data = await conn.backendSession.copy(uids, destination);
    if (data.sourceUids.length === 0) return { text: 'No messages copied' };
    return { code: `COPYUID ${data.uidValidity} ${formatUidList(data.sourceUids)} ${formatUidList(data.destUids)}` };
  },
});
