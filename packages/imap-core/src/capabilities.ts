/**
 * CAPABILITY, derived from the server options and from what the backend session implements
 * (IMAP.md §0 item 7). IMAP4rev1 only: advertising IMAP4rev2 makes imapflow ENABLE it (§0 item 1).
 */
import { supportsMove, type ImapSession } from './backend.ts';

export interface CapabilityInput {
  authenticated: boolean;
  /** TLS is active on this connection. */
  secure: boolean;
  /** The server can upgrade this connection with STARTTLS. */
  startTlsConfigured: boolean;
  /** Plaintext LOGIN/AUTHENTICATE allowed without TLS (loopback dev mode). */
  allowInsecureAuth: boolean;
  session: ImapSession;
  appendLimit: number;
}

/** Capabilities every connection has, before and after authentication. */
const BASE = ['IMAP4rev1', 'SASL-IR', 'LITERAL+', 'ID', 'ENABLE', 'IDLE'];
const SASL_MECHANISMS = ['AUTH=PLAIN', 'AUTH=LOGIN'];

export function capabilities(input: CapabilityInput): string[] {
  const caps = [...BASE];
  if (!input.authenticated) {
    if (input.startTlsConfigured && !input.secure) caps.push('STARTTLS');
    if (!input.secure && !input.allowInsecureAuth) caps.push('LOGINDISABLED');
    caps.push(...SASL_MECHANISMS);
    return caps;
  }
  caps.push('NAMESPACE', 'UNSELECT', 'UIDPLUS');
  if (supportsMove(input.session)) caps.push('MOVE');
  caps.push('CHILDREN', 'SPECIAL-USE', `APPENDLIMIT=${input.appendLimit}`);
  return caps;
}
