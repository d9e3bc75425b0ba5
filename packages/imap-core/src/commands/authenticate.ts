// tag AUTHENTICATE mechanism [initial-response]   (RFC 3501 §6.2.2, RFC 4959 SASL-IR, RFC 4616 PLAIN)
// PLAIN and LOGIN; `=` is an empty initial response; a client line `*` cancels (BAD); bad base64 is BAD.
import { defineCommand } from '../command.ts';
import type { Connection } from '../connection.ts';
import { ImapError } from '../errors.ts';
import { authenticateUser, failAuthentication } from './auth.ts';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeSaslResponse(text: string): Buffer {
  if (text === '=') return Buffer.alloc(0);
  if (!BASE64.test(text)) throw ImapError.bad('Invalid base64 in SASL response');
  return Buffer.from(text, 'base64');
}

async function challenge(conn: Connection, text: string): Promise<Buffer> {
  conn.writeLine(`+ ${Buffer.from(text).toString('base64')}`);
  const line = await conn.readClientLine();
  if (line === null) throw ImapError.bye('Connection closed during authentication');
  if (line.trim() === '*') throw ImapError.bad('Authentication cancelled');
  return decodeSaslResponse(line.trim());
}

export const authenticate = defineCommand({
  names: ['AUTHENTICATE'],
  states: ['not-authenticated'],
  interactive: true,
  parse(dec) {
    const mechanism = dec.sp().keyword();
    let initial: string | null = null;
    if (dec.maybeSp()) initial = dec.atom(); // base64 or `=`, both atom characters
    dec.end();
    return { mechanism, initial };
  },
  async run({ conn, tag }, { mechanism, initial }) {
    if (!conn.plaintextAuthAllowed) {
      throw ImapError.no('Plaintext authentication is disabled; use STARTTLS', 'PRIVACYREQUIRED');
    }
    if (mechanism === 'PLAIN') {
      const response = initial !== null ? decodeSaslResponse(initial) : await challenge(conn, '');
      const parts = response.toString('utf8').split('\0');
      if (parts.length !== 3) throw ImapError.bad('Malformed PLAIN response');
      const [authzid, authcid, password] = parts as [string, string, string];
      // We act for no one else: the authorization identity must be empty or the user itself.
      if (authzid !== '' && authzid !== authcid) return failAuthentication(conn, tag, authcid);
      return authenticateUser(conn, tag, authcid, password);
    }
    if (mechanism === 'LOGIN') {
      const user = initial !== null ? decodeSaslResponse(initial) : await challenge(conn, 'Username:');
      const password = await challenge(conn, 'Password:');
      return authenticateUser(conn, tag, user.toString('utf8'), password.toString('utf8'));
    }
    throw ImapError.no('Unsupported authentication mechanism', 'CANNOT');
  },
});
