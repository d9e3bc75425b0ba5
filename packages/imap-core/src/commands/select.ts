// tag SELECT mailbox | tag EXAMINE mailbox   (RFC 3501 §6.3.1–2; IMAP.md M26)
// Selecting while selected closes the old mailbox without expunge; a failed SELECT leaves nothing selected.
import { defineCommand } from '../command.ts';
import { MailboxView } from '../mailbox-view.ts';
import { atom } from '../wire/value.ts';

export const SYSTEM_FLAGS = ['\\Answered', '\\Flagged', '\\Deleted', '\\Seen', '\\Draft'];

export const select = defineCommand({
  names: ['SELECT', 'EXAMINE'],
  states: ['authenticated', 'selected'],
  parse(dec) {
    const name = dec.sp().mailbox();
    dec.end();
    return name;
  },
  async run({ conn, name: command }, name) {
    const session = conn.backendSession;
    if (conn.view) {
      conn.selectView(null);
      await session.unselect();
    }
    const readOnly = command === 'EXAMINE';
    const data = await session.select(name, { readOnly });
    const view = new MailboxView(name, readOnly, data.uidValidity, data.uids, data.highestModseq, data.recent);
    const flags = [...SYSTEM_FLAGS, ...data.keywords];
    conn.send([atom('FLAGS'), flags.map(atom)]);
    conn.send([view.exists, atom('EXISTS')]);
    conn.send([view.recent, atom('RECENT')]);
    if (data.firstUnseenUid !== null) {
      const seq = view.seqOf(data.firstUnseenUid);
      if (seq > 0) conn.writeLine(`* OK [UNSEEN ${seq}] First unseen message`);
    }
    const permanent = readOnly ? '()' : `(${[...flags, '\\*'].join(' ')})`;
    conn.writeLine(`* OK [PERMANENTFLAGS ${permanent}] ${readOnly ? 'Read-only mailbox' : 'Flags permitted'}`);
    conn.writeLine(`* OK [UIDVALIDITY ${data.uidValidity}] UIDs valid`);
    conn.writeLine(`* OK [UIDNEXT ${data.uidNext}] Predicted next UID`);
    conn.selectView(view);
    return { code: readOnly ? 'READ-ONLY' : 'READ-WRITE', text: `${command} completed` };
  },
});
