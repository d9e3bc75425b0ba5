/**
 * Shared by LOGIN and AUTHENTICATE: the backend check, the failure delay and reply (IMAP.md M10:
 * `NO [AUTHENTICATIONFAILED]` after a delay, identical for unknown users and wrong passwords),
 * the failure limit, and the `[CAPABILITY …]` code on success (M8).
 */
import type { CommandResult } from '../command.ts';
import type { Connection } from '../connection.ts';
import { ImapError } from '../errors.ts';

export async function authenticateUser(conn: Connection, tag: string, username: string, password: string): Promise<CommandResult> {
  if (!conn.plaintextAuthAllowed) {
    throw ImapError.no('Plaintext authentication is disabled; use STARTTLS', 'PRIVACYREQUIRED');
  }
  try {
    await conn.backendSession.login(username, password);
  } catch (err) {
    if (!(err instanceof ImapError)) throw err;
    await failAuthentication(conn, tag, username);
  }
  conn.authBackoff.succeed(conn.remoteAddress, username);
  conn.setAuthenticated(username);
  return { code: `CAPABILITY ${conn.capabilities().join(' ')}`, text: 'Logged in' };
}

/** Waits the failure delay, then throws the NO (or, past the limit, replies NO and ends with BYE). */
export async function failAuthentication(conn: Connection, tag: string, username: string): Promise<never> {
  const delay = conn.authBackoff.fail(conn.remoteAddress, username);
  await new Promise((resolve) => setTimeout(resolve, delay));
  if (++conn.authFailures >= conn.limits.maxAuthFailures) {
    conn.writeLine(`${tag} NO [AUTHENTICATIONFAILED] Authentication failed`);
    throw ImapError.bye('Too many authentication failures');
  }
  throw ImapError.authFailed();
}
