// tag SUBSCRIBE mailbox | tag UNSUBSCRIBE mailbox   (RFC 3501 §6.3.6–7; IMAP.md M15):
// subscriptions persist, also for names that do not exist.
import { defineCommand } from '../command.ts';

export const subscribe = defineCommand({
  names: ['SUBSCRIBE', 'UNSUBSCRIBE'],
  states: ['authenticated', 'selected'],
  parse(dec) {
    const name = dec.sp().mailbox();
    dec.end();
    return name;
  },
  async run({ conn, name: command }, name) {
    if (command === 'SUBSCRIBE') await conn.backendSession.subscribe(name);
    else await conn.backendSession.unsubscribe(name);
  },
});
