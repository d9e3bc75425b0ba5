// tag IDLE … DONE   (RFC 2177; IMAP.md M47–M49)
// Pushes updates while idling (EXPUNGE is allowed: a command is in progress), sends `* OK Still here`
// every keepalive interval, and ends on DONE in any case. Any other line ends IDLE with
// `tag BAD Expected DONE` and is then executed as a command of its own (iOS sends a new IDLE).
import { defineCommand } from '../command.ts';
import { ImapError } from '../errors.ts';

export const idle = defineCommand({
  names: ['IDLE'],
  states: ['authenticated', 'selected'],
  allowExpunge: true,
  interactive: true,
  parse(dec) {
    dec.end();
  },
  async run({ conn }) {
    conn.writeLine('+ idling');
    const line = conn.input.readLine(conn.limits.maxLineBytes).then((l) => ({ line: l }));
    let nextKeepalive = Date.now() + conn.limits.idleKeepaliveMs;
    for (;;) {
      if (conn.state === 'selected') await conn.poll(true);
      const untilKeepalive = Math.max(0, nextKeepalive - Date.now());
      const wait = conn.hasChangeNotifications ? untilKeepalive : Math.min(untilKeepalive, conn.limits.changePollMs);
      const woke = await Promise.race([line, conn.waitForChange(wait).then(() => null)]);
      if (conn.isClosed) return;
      if (woke !== null) {
        const raw = woke.line;
        if (raw === null) throw ImapError.bye('Connection closed');
        if (!Buffer.isBuffer(raw)) {
          await conn.input.skipLine();
          throw ImapError.bad('Expected DONE');
        }
        if (raw.toString('latin1').trim().toUpperCase() === 'DONE') return { text: 'IDLE terminated' };
        conn.input.unshift(raw);
        throw ImapError.bad('Expected DONE');
      }
      if (Date.now() >= nextKeepalive) {
        conn.writeLine('* OK Still here');
        nextKeepalive = Date.now() + conn.limits.idleKeepaliveMs;
      }
    }
  },
});
