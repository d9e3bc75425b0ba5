// Who may log in over IMAP and which account that is. Open mode (default): any password, and the
// username is any address (its account is created if mail has not arrived yet, so a client can
// wait for the first message) or the catch-all account, which sees every message. Required mode:
// only the configured user:password pairs, compared in constant time; the user `*` makes its
// password a token that opens any account (one secret for a CI job that reads many inboxes).
import { createHash, timingSafeEqual } from 'node:crypto';
import { accountAddress } from '../domain/messages/account-address.ts';

export type ImapAuthMode = 'open' | 'required';

export interface ImapCredential {
  username: string;
  password: string;
}

export interface ImapAuthPolicy {
  mode: ImapAuthMode;
  credentials: readonly ImapCredential[];
  catchAllAddress: string;
}

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/** "local@domain" with both parts non-empty and no whitespace. */
const ADDRESS = /^[^\s@]+@[^\s@]+$/;

/** A credential whose password opens every account. */
export const ANY_ACCOUNT = '*';

/** The account address to open, or null when the login must fail. */
export function authenticate(policy: ImapAuthPolicy, username: string, password: string): string | null {
  const address = accountAddress(username.trim());
  const account = address.toLowerCase() === policy.catchAllAddress.toLowerCase() ? policy.catchAllAddress : ADDRESS.test(address) ? address : null;
  if (policy.mode === 'open') return account;
  // Every credential is compared, so the time taken does not depend on which one matched.
  let matched = false;
  const given = digest(password);
  for (const credential of policy.credentials) {
    const sameUser = credential.username === ANY_ACCOUNT ? account !== null : accountAddress(credential.username) === address;
    const samePassword = timingSafeEqual(given, digest(credential.password));
    if (sameUser && samePassword) matched = true;
  }
  return matched ? (account ?? address) : null;
}
