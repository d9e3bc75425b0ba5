/**
 * A scripted IMAP client over a real socket, for tests: `send('A1 NOOP')` resolves with the
 * untagged responses and the tagged reply. Responses that carry literals are kept whole
 * (`* 1 FETCH (BODY[] {5}\r\nHello)`), so byte-exact assertions are possible.
 */
import net from 'node:net';
import tls from 'node:tls';
import type { ImapBackend } from '../backend.ts';
import { ImapServer, type ImapServerOptions } from '../server.ts';

export interface Reply {
  untagged: string[];
  tagged: string;
  /** Continuation requests (`+ …`) seen while waiting. */
  continuations: string[];
}

export class Transcript {
  private buffer = Buffer.alloc(0);
  private readonly queue: string[] = [];
  private waiter: (() => void) | null = null;
  private closed = false;
  private socket: net.Socket;
  /** The server greeting, once read. */
  greeting = '';

  constructor(socket: net.Socket) {
    this.socket = socket;
    this.listen(socket);
  }

  private readonly onData = (chunk: Buffer): void => {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    this.parse();
  };

  private listen(socket: net.Socket): void {
    socket.on('data', this.onData);
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => {});
  }

  /** Splits the input into whole responses: a line, plus any literal it announces and what follows. */
  private parse(): void {
    let start = 0;
    let pos = 0;
    for (;;) {
      const lf = this.buffer.indexOf(0x0a, pos);
      if (lf < 0) break;
      const m = /\{(\d+)\}\r\n$/.exec(this.buffer.toString('latin1', Math.max(pos, lf - 20), lf + 1));
      if (m && !this.buffer.toString('latin1', start, start + 2).startsWith('+ ')) {
        const end = lf + 1 + Number(m[1]);
        if (this.buffer.length < end) break;
        pos = end;
        continue;
      }
      this.queue.push(this.buffer.toString('utf8', start, lf - 1 >= start && this.buffer[lf - 1] === 0x0d ? lf - 1 : lf));
      start = pos = lf + 1;
    }
    this.buffer = this.buffer.subarray(start);
    if (this.queue.length > 0) this.wake();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  /** The next whole response line (literals inlined), or throws after `timeoutMs`. */
  async next(timeoutMs = 5000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    while (this.queue.length === 0) {
      if (this.closed) throw new Error('connection closed');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('timed out waiting for a response');
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
    return this.queue.shift()!;
  }

  /** True if a response arrives within `ms` (it is left in the queue). */
  async hasResponseWithin(ms: number): Promise<boolean> {
    if (this.queue.length > 0) return true;
    await new Promise((r) => setTimeout(r, ms));
    return this.queue.length > 0;
  }

  write(bytes: string | Buffer): void {
    this.socket.write(bytes);
  }

  /** Sends a command (CRLF added) and collects responses until the tagged reply. */
  async send(command: string | Buffer, timeoutMs = 5000): Promise<Reply> {
    const text = typeof command === 'string' ? command : command.toString('latin1');
    const tag = text.split(' ')[0]!;
    this.write(typeof command === 'string' ? command + '\r\n' : Buffer.concat([command, Buffer.from('\r\n')]));
    return this.collect(tag, timeoutMs);
  }

  /** Collects responses until the tagged reply for `tag`. */
  async collect(tag: string, timeoutMs = 5000): Promise<Reply> {
    const reply: Reply = { untagged: [], tagged: '', continuations: [] };
    for (;;) {
      const line = await this.next(timeoutMs);
      if (line.startsWith(tag + ' ')) {
        reply.tagged = line;
        return reply;
      }
      if (line.startsWith('+')) reply.continuations.push(line);
      else reply.untagged.push(line);
    }
  }

  /** Upgrades this client side to TLS (after `STARTTLS` OK). */
  async startTls(): Promise<void> {
    this.socket.off('data', this.onData);
    const secure = tls.connect({ socket: this.socket, rejectUnauthorized: false });
    await new Promise<void>((resolve, reject) => {
      secure.once('secureConnect', () => resolve());
      secure.once('error', reject);
    });
    this.socket = secure;
    this.listen(secure);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Resolves when the server closes the connection. */
  async waitClosed(timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > deadline) throw new Error('connection still open');
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  close(): void {
    this.socket.destroy();
  }
}

/** Connects to `port` and reads the greeting. */
export async function connectTranscript(port: number, options: { tls?: boolean } = {}): Promise<{ t: Transcript; greeting: string }> {
  const socket = options.tls
    ? tls.connect({ port, host: '127.0.0.1', rejectUnauthorized: false })
    : net.connect({ port, host: '127.0.0.1' });
  await new Promise<void>((resolve, reject) => {
    socket.once(options.tls ? 'secureConnect' : 'connect', () => resolve());
    socket.once('error', reject);
  });
  const t = new Transcript(socket);
  t.greeting = await t.next();
  return { t, greeting: t.greeting };
}

export interface TestServer {
  server: ImapServer;
  port: number;
  connect(): Promise<Transcript>;
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1:0 with plaintext auth allowed (loopback), unless options say otherwise. */
export async function startTestServer(backend: ImapBackend, options: Partial<ImapServerOptions> = {}): Promise<TestServer> {
  const server = new ImapServer({ allowInsecureAuth: true, ...options, backend });
  const { port } = await server.listen(0, '127.0.0.1');
  const clients: Transcript[] = [];
  return {
    server,
    port,
    async connect() {
      const { t } = await connectTranscript(port, { tls: options.implicitTls ?? false });
      clients.push(t);
      return t;
    },
    async close() {
      for (const c of clients) c.close();
      await server.close();
    },
  };
}

/** One server, one connected client: the common case. */
export async function openTranscript(backend: ImapBackend, options: Partial<ImapServerOptions> = {}): Promise<Transcript & { server: TestServer }> {
  const server = await startTestServer(backend, options);
  const t = await server.connect();
  const originalClose = t.close.bind(t);
  return Object.assign(t, {
    server,
    close: () => {
      originalClose();
      void server.close();
    },
  });
}
