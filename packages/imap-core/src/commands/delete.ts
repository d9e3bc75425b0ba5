// tag DELETE mailbox   (RFC 3501 §6.3.4; IMAP.md M16): never INBOX, never a mailbox with children.
import { defineCommand } from '../command.ts';
import { ImapError } from '../errors.ts';
import { DELIMITER } from './list.ts';

export const deleteMailbox = defineCommand({
  names: ['DELETE'],
  states: ['authenticated', 'selected'],
  parse(dec) {
    const name = dec.sp().mailbox();
    dec.end();
    return name;
  },
  async run({ conn }, name) {
    if (name === 'INBOX') throw ImapError.cannot('INBOX cannot be deleted');
    const session = conn.backendSession;
    const mailboxes = await session.listMailboxes();
    if (!mailboxes.some((m) => m.name === name)) throw ImapError.nonexistent();
    if (mailboxes.some((m) => m.name.startsWith(name + DELIMITER))) {
      throw ImapError.no('Mailbox has children; delete them first', 'INUSE');
    }
    await session.delete(name);
  },
});
