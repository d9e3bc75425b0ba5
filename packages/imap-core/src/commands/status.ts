// tag STATUS mailbox (item…)   (RFC 3501 §6.3.10; IMAP.md M17): UNSEEN is a count here. For the
// selected mailbox, pending updates are flushed first so the numbers never contradict the view.
import { defineCommand } from '../command.ts';
import { encodeMutf7 } from '../wire/mutf7.ts';
import { atom, type ImapValue } from '../wire/value.ts';

const ITEMS = ['MESSAGES', 'RECENT', 'UIDNEXT', 'UIDVALIDITY', 'UNSEEN'] as const;
type StatusItem = (typeof ITEMS)[number];

export const status = defineCommand({
  names: ['STATUS'],
  states: ['authenticated', 'selected'],
  parse(dec) {
    const name = dec.sp().mailbox();
    dec.sp();
    const items = dec.list(() => {
      const item = dec.keyword();
      if (!(ITEMS as readonly string[]).includes(item)) dec.fail(`Unknown STATUS item ${item}`);
      return item as StatusItem;
    }, false);
    dec.end();
    return { name, items };
  },
  async run({ conn }, { name, items }) {
    if (conn.view?.name === name) await conn.poll(true);
    const s = await conn.backendSession.status(name);
    const values: Record<StatusItem, number> = {
      MESSAGES: s.messages,
      RECENT: s.recent,
      UIDNEXT: s.uidNext,
      UIDVALIDITY: s.uidValidity,
      UNSEEN: s.unseen,
    };
    const out: ImapValue[] = [];
    for (const item of items) out.push(atom(item), values[item]);
    conn.send([atom('STATUS'), encodeMutf7(name), out]);
  },
});
