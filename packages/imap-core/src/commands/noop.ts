// tag NOOP | tag CHECK   (RFC 3501 §6.1.2, §6.4.1)
// Nothing to do here: the dispatcher polls the selected mailbox afterwards, and these are points
// where other sessions' expunges may be announced (IMAP.md M28).
import { defineCommand } from '../command.ts';

export const noop = defineCommand({
  names: ['NOOP'],
  states: ['not-authenticated', 'authenticated', 'selected'],
  allowExpunge: true,
  parse(dec) {
    dec.end();
  },
  async run() {},
});

export const check = defineCommand({
  names: ['CHECK'],
  states: ['selected'],
  allowExpunge: true,
  parse(dec) {
    dec.end();
  },
  async run() {},
});
