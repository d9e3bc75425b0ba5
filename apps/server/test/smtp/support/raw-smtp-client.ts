// A raw SMTP client for tests: exact bytes on the wire, replies parsed into code + lines, and
// STARTTLS upgrade. Nothing clever, so tests see what the server really does.
import net from 'node:net';
import tls from 'node:tls';

export interface SmtpReply {
  code: number;
  lines: string[];
  /** All lines joined with "\n", without the codes. */
  text: string;
}

export class RawSmtpClient {
  private buffer = '';
  private replies: SmtpReply[] = [];
  private waiters: ((reply: SmtpReply | Error) => void)[] = [];
  private pendingLines: string[] = [];
  private closedError: Error | null = null;
  private closedWaiters: (() => void)[] = [];

  private constructor(private socket: net.Socket | tls.TLSSocket) {
    this.attach(socket);
  }

  static async connect(port: number, options: { implicitTls?: boolean } = {}): Promise<{ client: RawSmtpClient; greeting: SmtpReply }> {
    const socket = options.implicitTls
      ? tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false })
      : net.connect({ port, host: '127.0.0.1' });
    await new Promise<void>((resolve, reject) => {
      socket.once(options.implicitTls ? 'secureConnect' : 'connect', () => resolve());
      socket.once('error', reject);
    });
    const client = new RawSmtpClient(socket);
    const greeting = await client.read();
    return { client, greeting };
  }

  private attach(socket: net.Socket | tls.TLSSocket): void {
    socket.setEncoding('latin1');
    socket.on('data', (data: string) => this.onData(data));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('connection closed')));
  }

  private onData(data: string): void {
    this.buffer += data;
    let newline: number;
    while ((newline = this.buffer.indexOf('\r\n')) !== -1) {
      const line = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + 2);
      this.pendingLines.push(line);
      if (line[3] !== '-') {
        const lines = this.pendingLines;
        this.pendingLines = [];
        this.deliver({ code: Number(line.slice(0, 3)), lines, text: lines.map((l) => l.slice(4)).join('\n') });
      }
    }
  }

  private deliver(reply: SmtpReply): void {
    const waiter = this.waiters.shift();
    if (waiter) waiter(reply);
    else this.replies.push(reply);
  }

  private fail(error: Error): void {
    if (this.closedError) return;
    this.closedError = error;
    for (const waiter of this.waiters.splice(0)) waiter(error);
    for (const wake of this.closedWaiters.splice(0)) wake();
  }

  /** The next reply, in order. */
  read(): Promise<SmtpReply> {
    const queued = this.replies.shift();
    if (queued) return Promise.resolve(queued);
    if (this.closedError) return Promise.reject(this.closedError);
    return new Promise((resolve, reject) => this.waiters.push((r) => (r instanceof Error ? reject(r) : resolve(r))));
  }

  /** Writes bytes as they are (no CRLF added). */
  write(data: string | Buffer): void {
    this.socket.write(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  }

  /** Sends one command line and reads its reply. */
  async command(line: string): Promise<SmtpReply> {
    this.write(line + '\r\n');
    return this.read();
  }

  async startTls(): Promise<SmtpReply> {
    const reply = await this.command('STARTTLS');
    if (reply.code === 220) await this.handshake();
    return reply;
  }

  /** The TLS handshake on this connection, once the server's 220 to STARTTLS has been read. */
  async handshake(): Promise<void> {
    const plain = this.socket;
    plain.removeAllListeners('data');
    plain.removeAllListeners('close');
    plain.removeAllListeners('error');
    const secure = tls.connect({ socket: plain, rejectUnauthorized: false, servername: 'localhost' });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', () => resolve());
      secure.once('error', reject);
    });
    this.socket = secure;
    this.attach(secure);
  }

  get encrypted(): boolean {
    return this.socket instanceof tls.TLSSocket;
  }

  /** Drops the TCP connection without QUIT. */
  destroy(): void {
    this.socket.destroy();
  }

  whenClosed(): Promise<void> {
    if (this.closedError) return Promise.resolve();
    return new Promise((resolve) => this.closedWaiters.push(resolve));
  }

  async quit(): Promise<void> {
    if (this.closedError) return;
    this.write('QUIT\r\n');
    await this.whenClosed();
  }
}

/** Dot-stuffs a message body and appends the terminator, as an SMTP client must. */
export function dataPayload(message: string | Buffer): Buffer {
  const bytes = typeof message === 'string' ? Buffer.from(message, 'utf8') : message;
  const text = bytes.toString('latin1');
  const stuffed = text.replace(/(^|\r\n)\./g, '$1..');
  const ending = stuffed.endsWith('\r\n') ? '' : '\r\n';
  return Buffer.from(stuffed + ending + '.\r\n', 'latin1');
}
