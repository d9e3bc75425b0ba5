// tag ID ( "field" "value" … ) | tag ID NIL   (RFC 2971; IMAP.md M12), any state
import { defineCommand } from '../command.ts';
import type { ImapValue } from '../wire/value.ts';
import { atom } from '../wire/value.ts';

export const id = defineCommand({
  names: ['ID'],
  states: ['not-authenticated', 'authenticated', 'selected'],
  parse(dec, { limits }) {
    dec.sp();
    const fields: [string, string | null][] = [];
    if (!dec.tryWord('NIL')) {
      const items = dec.list(() => (dec.peek() === 0x4e || dec.peek() === 0x6e ? dec.nstring() : dec.stringBytes().toString('utf8')));
      if (items.length % 2 !== 0) dec.fail('ID needs field/value pairs');
      const { maxIdPairs, maxIdFieldBytes, maxIdValueBytes } = limits;
      if (items.length / 2 > maxIdPairs) dec.fail('Too many ID fields');
      for (let i = 0; i < items.length; i += 2) {
        const field = items[i];
        const value = items[i + 1] ?? null;
        if (field === null || field === undefined || Buffer.byteLength(field) > maxIdFieldBytes) return dec.fail('Invalid ID field');
        if (value !== null && Buffer.byteLength(value) > maxIdValueBytes) dec.fail('ID value too long');
        fields.push([field, value]);
      }
    }
    dec.end();
    return fields;
  },
  async run({ conn }) {
    const info: ImapValue[] = [];
    for (const [k, v] of Object.entries(conn.serverId)) info.push(k, v);
    conn.send([atom('ID'), info.length > 0 ? info : null]);
  },
});

