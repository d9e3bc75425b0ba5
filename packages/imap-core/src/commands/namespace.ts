// tag NAMESPACE   (RFC 2342; IMAP.md M18): one personal namespace, delimiter "/".
import { defineCommand } from '../command.ts';
import { atom } from '../wire/value.ts';

export const namespace = defineCommand({
  names: ['NAMESPACE'],
  states: ['authenticated', 'selected'],
  parse(dec) {
    dec.end();
  },
  async run({ conn }) {
    conn.send([atom('NAMESPACE'), [['', '/']], null, null]);
  },
});
