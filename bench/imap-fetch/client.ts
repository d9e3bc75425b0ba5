/**
 * A minimal IMAP client for timing: sends one command and reads until its tagged reply, skipping
 * literals, counting untagged FETCH responses and bytes. No parsing beyond that, so the client
 * costs little next to the servers.
 */
import { type Socket, connect } from 'node:net';

export interface Reply {
  tagged: string;
  fetches: number;
  bytes: number;
  ms: number;
  untagged: string[];
}

export class RawClient {
  private buf = Buffer.alloc(0);
  private waiter: (() => void) | null = null;
  private constructor(private readonly sock: Socket) {
    sock.on('data', (d: Buffer) => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
      this.waiter?.();
    });
  }

  static async open(port: number): Promise<{ client: RawClient; greeting: string }> {
    const sock = await new Promise<Socket>((res, rej) => {
      const s = connect(port, '127.0.0.1', () => res(s));
      s.once('error', rej);
    });
    sock.setNoDelay(true);
    const c = new RawClient(sock);
    const greeting = await c.readLine();
    return { client: c, greeting };
  }

  private async more(): Promise<void> {
    await new Promise<void>((r) => (this.waiter = r));
    this.waiter = null;
  }

  private async readLine(): Promise<string> {
    for (;;) {
      const lf = this.buf.indexOf(10);
      if (lf !== -1) {
        const line = this.buf.toString('latin1', 0, lf + 1);
        this.buf = this.buf.subarray(lf + 1);
        return line;
      }
      await this.more();
    }
  }

  /** Sends `tag command` and reads to the tagged reply. Keeps untagged lines only if `keep`. */
  async command(tag: string, command: string, keep = false): Promise<Reply> {
    const t0 = process.hrtime.bigint();
    this.sock.write(`${tag} ${command}\r\n`);
    let fetches = 0;
    let bytes = 0;
    const untagged: string[] = [];
    let pos = 0; // scan position in this.buf
    let lineStart = 0;
    let responseStart = true;
    for (;;) {
      const lf = this.buf.indexOf(10, pos);
      if (lf === -1) {
        // Keep the unread tail only.
        bytes += lineStart;
        this.buf = this.buf.subarray(lineStart);
        pos -= lineStart;
        lineStart = 0;
        await this.more();
        continue;
      }
      // A line [lineStart, lf]; does it end with a literal announcement {n}?
      let end = lf - 1; // CR
      let literal = -1;
      if (this.buf[end] === 0x0d && this.buf[end - 1] === 0x7d) {
        const open = this.buf.lastIndexOf(0x7b, end - 1);
        if (open > lineStart) {
          const n = Number(this.buf.toString('latin1', open + 1, end - 1).replace('+', ''));
          if (Number.isInteger(n)) literal = n;
        }
      }
      if (responseStart) {
        const head = this.buf.toString('latin1', lineStart, Math.min(lf, lineStart + 40));
        if (head.startsWith(tag + ' ')) {
          const tagged = this.buf.toString('latin1', lineStart, lf + 1).trimEnd();
          bytes += lf + 1;
          this.buf = this.buf.subarray(lf + 1);
          return { tagged, fetches, bytes, ms: Number(process.hrtime.bigint() - t0) / 1e6, untagged };
        }
        if (/^\* \d+ FETCH /.test(head)) fetches++;
      }
      if (keep) untagged.push(this.buf.toString('latin1', lineStart, lf + 1));
      if (literal >= 0) {
        // Skip the literal bytes (wait for them), then the response continues on the next line.
        while (this.buf.length < lf + 1 + literal) await this.more();
        pos = lf + 1 + literal;
        lineStart = pos;
        responseStart = false;
        end = 0;
      } else {
        pos = lf + 1;
        lineStart = pos;
        responseStart = true;
      }
    }
  }

  close(): void {
    this.sock.destroy();
  }
}
