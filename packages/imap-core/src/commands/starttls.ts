// tag STARTTLS   (RFC 3501 §6.2.1; RFC 9051 §6.2.1): tagged OK, then the TLS handshake. Bytes the
// client pipelined after STARTTLS are discarded, never executed (CERT-555316, IMAP.md M7, T02).
import { defineCommand } from '../command.ts';
import { ImapError } from '../errors.ts';

export const starttls = defineCommand({
  names: ['STARTTLS'],
  states: ['not-authenticated'],
  parse(dec) {
    dec.end();
  },
  async run({ conn }) {
    if (!conn.canStartTls) throw ImapError.bad(conn.secure ? 'TLS is already active' : 'STARTTLS is not available');
    return { text: 'Begin TLS negotiation now', after: () => conn.upgradeTls() };
  },
});
