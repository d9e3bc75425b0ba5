// tag CAPABILITY   (RFC 3501 §6.1.1)
import { defineCommand } from '../command.ts';
import { atom } from '../wire/value.ts';

export const capability = defineCommand({
  names: ['CAPABILITY'],
  states: ['not-authenticated', 'authenticated', 'selected'],
  parse(dec) {
    dec.end();
  },
  async run({ conn }) {
    conn.send([atom('CAPABILITY'), ...conn.capabilities().map(atom)]);
  },
});
