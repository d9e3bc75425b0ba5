// tag ENABLE cap…   (RFC 5161). Nothing is enableable in v1: `* ENABLED` with no names.
import { defineCommand } from '../command.ts';
import { atom } from '../wire/value.ts';

export const enable = defineCommand({
  names: ['ENABLE'],
  states: ['authenticated', 'selected'],
  parse(dec) {
    const names: string[] = [];
    do names.push(dec.sp().atom());
    while (!dec.atEnd());
    dec.end();
    return names;
  },
  async run({ conn }) {
    conn.send([atom('ENABLED')]);
  },
});
