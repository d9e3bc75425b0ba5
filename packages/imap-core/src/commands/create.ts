// tag CREATE mailbox   (RFC 3501 §6.3.3; IMAP.md M13, M16): missing parents are created too;
// non-canonical modified UTF-7 is refused (T08).
import { defineCommand } from '../command.ts';
import { ImapError } from '../errors.ts';
import { createParents, validateNewName } from './names.ts';

export const create = defineCommand({
  names: ['CREATE'],
  states: ['authenticated', 'selected'],
  parse(dec) {
    const name = dec.sp().mailbox();
    dec.end();
    return name;
  },
  async run({ conn }, rawName) {
    if (rawName === 'INBOX') throw ImapError.alreadyExists('INBOX always exists');
    const name = validateNewName(conn, rawName);
    const count = (await conn.backendSession.listMailboxes()).length;
    if (count >= conn.limits.maxMailboxesPerUser) throw ImapError.no('Too many mailboxes', 'LIMIT');
    await createParents(conn, name);
    await conn.backendSession.create(name);
  },
});
