// tag LOGIN userid password   (RFC 3501 §6.2.3): atom, quoted or literal arguments (M9)
import { defineCommand } from '../command.ts';
import { authenticateUser } from './auth.ts';

export const login = defineCommand({
  names: ['LOGIN'],
  states: ['not-authenticated'],
  parse(dec) {
    const username = dec.sp().astring();
    const password = dec.sp().astring();
    dec.end();
    return { username, password };
  },
  run({ conn, tag }, { username, password }) {
    return authenticateUser(conn, tag, username, password);
  },
});
