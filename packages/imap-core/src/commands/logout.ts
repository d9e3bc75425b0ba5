// tag LOGOUT   (RFC 3501 §6.1.3): `* BYE`, tagged OK, close (M51)
import { defineCommand } from '../command.ts';

export const logout = defineCommand({
  names: ['LOGOUT'],
  states: ['not-authenticated', 'authenticated', 'selected'],
  parse(dec) {
    dec.end();
  },
  async run({ conn }) {
    conn.writeLine('* BYE Logging out');
    conn.state = 'logout';
    return { after: () => conn.destroy() };
  },
});
