/**
 * IDLE push latency: one client IDLEs on an INBOX; messages are delivered one at a time and for
 * each the delay from the delivery's acknowledgement (SMTP `250` after DATA for Letterbox, the
 * exit of dovecot-lda for Dovecot) to the `* n EXISTS` the idling client reads is recorded.
 * A negative delay means the EXISTS arrived before the acknowledgement was read.
 */
import { type Socket, connect } from 'node:net';

const now = (): number => Number(process.hrtime.bigint()) / 1e6;

/** Reads lines from a socket; `next(pattern)` resolves with the first unread line matching it. */
class LineReader {
  private buf = '';
  private readonly lines: { text: string; at: number }[] = [];
  private waiter: (() => void) | null = null;
  constructor(readonly sock: Socket) {
    sock.setNoDelay(true);
    sock.on('data', (d: Buffer) => {
      const at = now();
      this.buf += d.toString('latin1');
      let lf: number;
      while ((lf = this.buf.indexOf('\n')) !== -1) {
        this.lines.push({ text: this.buf.slice(0, lf + 1), at });
        this.buf = this.buf.slice(lf + 1);
      }
      this.waiter?.();
    });
  }
  async next(pattern: RegExp): Promise<{ text: string; at: number }> {
    for (;;) {
      const i = this.lines.findIndex((l) => pattern.test(l.text));
      if (i !== -1) return this.lines.splice(0, i + 1)[i]!;
      await new Promise<void>((r) => (this.waiter = r));
      this.waiter = null;
    }
  }
}

export async function open(port: number): Promise<LineReader> {
  const sock = await new Promise<Socket>((res, rej) => {
    const s = connect(port, '127.0.0.1', () => res(s));
    s.once('error', rej);
  });
  return new LineReader(sock);
}

/** Logs in, selects INBOX and starts IDLE; returns the reader and the EXISTS count at start. */
export async function idleOn(imapPort: number, user: string, pass: string): Promise<{ imap: LineReader; exists: number }> {
  const imap = await open(imapPort);
  await imap.next(/^\* OK/);
  imap.sock.write(`l LOGIN ${user} ${pass}\r\n`);
  if (!/^l OK/.test((await imap.next(/^l /)).text)) throw new Error('login failed');
  imap.sock.write('s SELECT INBOX\r\n');
  const exists = Number(/^\* (\d+) EXISTS/.exec((await imap.next(/^\* \d+ EXISTS/)).text)![1]);
  await imap.next(/^s OK/);
  imap.sock.write('i IDLE\r\n');
  await imap.next(/^\+ /);
  return { imap, exists };
}

export function smallMessage(i: number, to: string): string {
  return `From: push@bench.test\r\nTo: ${to}\r\nSubject: push ${i}\r\nMessage-ID: <push-${i}-${Date.now()}@bench.test>\r\n\r\nIDLE push probe ${i}.\r\n`;
}

/** Letterbox: deliveries over one SMTP connection, EXISTS read by an idling client. */
export async function letterboxPushDelays(imapPort: number, smtpPort: number, user: string, count: number): Promise<number[]> {
  const { imap, exists } = await idleOn(imapPort, user, 'any');
  const smtp = await open(smtpPort);
  const reply = async (code: string) => {
    const line = await smtp.next(/^\d{3} /);
    if (!line.text.startsWith(code)) throw new Error(`SMTP: ${line.text}`);
    return line;
  };
  await reply('220');
  smtp.sock.write('EHLO bench\r\n');
  await reply('250');
  const delays: number[] = [];
  for (let i = 1; i <= count; i++) {
    smtp.sock.write(`MAIL FROM:<push@bench.test>\r\nRCPT TO:<${user}>\r\nDATA\r\n`);
    await reply('250');
    await reply('250');
    await reply('354');
    smtp.sock.write(`${smallMessage(i, user)}.\r\n`);
    const acked = (await reply('250')).at;
    const seen = await imap.next(new RegExp(`^\\* ${exists + i} EXISTS`));
    delays.push(seen.at - acked);
  }
  smtp.sock.write('QUIT\r\n');
  imap.sock.write('DONE\r\n');
  smtp.sock.destroy();
  imap.sock.destroy();
  return delays;
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Dovecot: each message delivered by dovecot-lda; its exit is the acknowledgement. */
export async function dovecotPushDelays(imapPort: number, configPath: string, user: string, count: number): Promise<number[]> {
  const { spawn } = await import('node:child_process');
  const { imap, exists } = await idleOn(imapPort, user, user);
  const delays: number[] = [];
  for (let i = 1; i <= count; i++) {
    const acked = await new Promise<number>((resolve, reject) => {
      const lda = spawn('/usr/lib/dovecot/dovecot-lda', ['-c', configPath, '-d', user, '-m', 'INBOX'], { stdio: ['pipe', 'ignore', 'inherit'] });
      lda.once('exit', (code) => (code === 0 ? resolve(now()) : reject(new Error(`dovecot-lda exited ${code}`))));
      lda.stdin.end(smallMessage(i, `${user}@bench.test`));
    });
    const seen = await imap.next(new RegExp(`^\\* ${exists + i} EXISTS`));
    delays.push(seen.at - acked);
  }
  imap.sock.write('DONE\r\n');
  imap.sock.destroy();
  return delays;
}
