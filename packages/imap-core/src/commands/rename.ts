// tag RENAME from to   (RFC 3501 §6.3.5; IMAP.md M16): keeps UIDVALIDITY; children move along;
// renaming INBOX is refused.
import { defineCommand } from '../command.ts';
import { ImapError } from '../errors.ts';
import { createParents, validateNewName } from './names.ts';

export const rename = defineCommand({
  names: ['RENAME'],
  states: ['authenticated', 'selected'],
  parse(dec) {
    const from = dec.sp().mailbox();
    const to = dec.sp().mailbox();
    dec.end();
    return { from, to };
  },
  async run({ conn }, { from, to }) {
    if (from === 'INBOX') throw ImapError.cannot('INBOX cannot be renamed');
    if (to === 'INBOX') throw ImapError.alreadyExists('INBOX always exists');
    const target = validateNewName(conn, to);
    const mailboxes = await conn.backendSession.listMailboxes();
    if (!mailboxes.some((m) => m.name === from)) throw ImapError.nonexistent();
    if (mailboxes.some((m) => m.name === target)) throw ImapError.alreadyExists();
    await createParents(conn, target);
    await conn.backendSession.rename(from, target);
  },
});
