// tag CLOSE | tag UNSELECT   (RFC 3501 §6.4.2; RFC 3691): CLOSE silently expunges (not after EXAMINE).
import { defineCommand } from '../command.ts';

export const close = defineCommand({
  names: ['CLOSE', 'UNSELECT'],
  states: ['selected'],
  parse(dec) {
    dec.end();
  },
  async run({ conn, name }) {
    const session = conn.backendSession;
    const view = conn.view;
    if (name === 'CLOSE' && view && !view.readOnly) await session.expunge(null);
    conn.selectView(null);
    await session.unselect();
  },
});
