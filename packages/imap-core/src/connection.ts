/**
 * One client connection: reads commands strictly in order (M4), enforces the state machine,
 * maps every error to a reply in one place, releases mailbox updates at the allowed points,
 * and owns TLS upgrade, timeouts and output backpressure.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import type { AuthBackoff } from './auth-backoff.ts';
import { supportsChangeNotifications, type ImapSession } from './backend.ts';
import { capabilities } from './capabilities.ts';
import type { CommandResult, CommandSpec, ConnState } from './command.ts';
import { DecodeError, ImapError } from './errors.ts';
import type { ImapLimits } from './limits.ts';
import type { MailboxView } from './mailbox-view.ts';
import type { ServerContext } from './server.ts';
import { Decoder } from './wire/decoder.ts';
import { encodeResponse } from './wire/encoder.ts';
import { InputBuffer, looseTagOf, readCommand, type LiteralDecision } from './wire/framer.ts';
import type { ImapValue } from './wire/value.ts';

/** A long FETCH/STORE yields to the event loop after this many messages. */
const YIELD_EVERY_MESSAGES = 128;
/** Corked output is flushed once this much is queued. */
const CORK_FLUSH_BYTES = 64 * 1024;

export class Connection {
  readonly id = randomUUID();
  state: ConnState = 'not-authenticated';
  view: MailboxView | null = null;
  secure: boolean;
  /** The authenticated user name, for logs. */
  user: string | null = null;
  authFailures = 0;
  readonly limits: ImapLimits;
  readonly input: InputBuffer;

  private socket: Socket;
  private session!: ImapSession;
  private badCommands = 0;
  private preAuthCommands = 0;
  private closed = false;
  private inactivityTimer: NodeJS.Timeout | null = null;
  private corked = false;
  private drainCalls = 0;
  private stopChangeFeed: (() => void) | null = null;
  private changeWaiter: (() => void) | null = null;
  private changeSignalled = false;

  constructor(
    socket: Socket,
    private readonly ctx: ServerContext,
  ) {
    this.socket = socket;
    this.secure = socket instanceof TLSSocket;
    this.limits = ctx.limits;
    this.input = new InputBuffer(() => this.maybeResume());
    this.attach(socket);
  }

  get backendSession(): ImapSession {
    return this.session;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get remoteAddress(): string {
    return this.socket.remoteAddress ?? '';
  }

  // ---------------------------------------------------------------- lifecycle

  async serve(): Promise<void> {
    try {
      this.session = await this.ctx.backend.createSession({
        id: this.id,
        remoteAddress: this.remoteAddress,
        secure: this.secure,
      });
    } catch (err) {
      this.ctx.logger.error('imap: createSession failed', err);
      this.writeLine('* BYE Server unavailable');
      this.destroy();
      return;
    }
    this.writeLine(`* OK [CAPABILITY ${this.capabilities().join(' ')}] ${this.ctx.greeting}`);
    this.armInactivityTimer(this.limits.preAuthTimeoutMs);
    try {
      await this.readLoop();
    } catch (err) {
      this.ctx.logger.error('imap: connection failed', err);
    } finally {
      this.destroy();
    }
  }

  private async readLoop(): Promise<void> {
    while (!this.closed) {
      const frame = await readCommand(
        this.input,
        this.limits.maxLineBytes,
        {
          checkLiteral: (head, size, sync) => this.checkLiteral(head, size, sync),
          continueLiteral: () => this.writeLine('+ Ready for literal data'),
        },
        this.limits.maxLiteralBytes,
      );
      if (this.closed) return;
      switch (frame.kind) {
        case 'eof':
          return;
        case 'too-long':
          this.replyBad(`${looseTagOf(frame.head)} BAD Command line too long`);
          break;
        case 'refused':
          this.writeLine(frame.reply);
          if (frame.close) this.bye('Literal refused');
          break;
        case 'command':
          await this.execute(frame.bytes);
          break;
      }
    }
  }

  /** Sends `* BYE reason` and closes: server shutdown, autologout, fatal errors. */
  bye(reason: string): void {
    if (this.closed) return;
    this.writeLine(`* BYE ${reason}`);
    this.destroy();
  }

  destroy(): void {
    if (this.closed) return;
    this.closed = true;
    this.state = 'logout';
    this.clearInactivityTimer();
    this.stopChangeFeed?.();
    this.stopChangeFeed = null;
    this.signalChange();
    this.socket.end();
    // A client that does not read its BYE must not keep the socket open forever.
    setTimeout(() => this.socket.destroy(), 1000).unref();
    this.input.end();
    this.session?.close().catch((err) => this.ctx.logger.error('imap: session close failed', err));
    this.ctx.onClosed(this);
  }

  // ---------------------------------------------------------------- dispatch

  private async execute(bytes: Buffer): Promise<void> {
    const dec = new Decoder(bytes, this.limits);
    let tag: string;
    try {
      tag = dec.tag();
    } catch {
      this.replyBad('* BAD Invalid tag');
      return;
    }
    if (this.state === 'not-authenticated' && ++this.preAuthCommands > this.limits.maxPreAuthCommands) {
      this.bye('Too many commands before authentication');
      return;
    }
    let spec: CommandSpec | undefined;
    let notice: NodeJS.Timeout | null = null;
    try {
      dec.sp();
      let name = dec.keyword();
      if (name === 'UID') {
        dec.sp();
        name = `UID ${dec.keyword()}`;
      }
      spec = this.ctx.commands.get(name);
      if (!spec) throw ImapError.bad('Unknown command');
      if (!spec.states.includes(this.state)) throw ImapError.bad(`${name} not allowed now`);
      const numKind = name.startsWith('UID ') ? 'uid' : 'seq';
      const args = spec.parse(dec, { numKind, limits: this.limits });
      // Before authentication the deadline is absolute; afterwards it measures inactivity.
      if (this.state !== 'not-authenticated') this.clearInactivityTimer();
      if (!spec.interactive) {
        notice = setInterval(() => {
          this.writeLine('* OK Still processing');
          if (this.corked) {
            this.socket.uncork();
            this.socket.cork();
          }
        }, this.limits.longCommandNoticeMs);
        this.cork();
      }
      const result = (await spec.run({ conn: this, tag, name, numKind }, args)) ?? {};
      if (notice) clearInterval(notice);
      this.uncork();
      if (this.closed) return;
      if (this.state === 'selected') await this.poll(spec.allowExpunge ?? false);
      this.writeTagged(tag, 'OK', result, `${name} completed`);
      this.badCommands = 0;
      if (result.after) await result.after();
    } catch (err) {
      if (notice) clearInterval(notice);
      this.uncork();
      this.replyError(tag, err);
    } finally {
      if (!this.closed && this.state !== 'not-authenticated') this.armInactivityTimer(this.limits.autologoutMs);
    }
  }

  /** The one mapping from an error to the reply line (BYE is handled by the callers). */
  private statusFor(tag: string, err: unknown): { line: string; bad: boolean } {
    if (err instanceof DecodeError) return { line: `${tag} BAD ${err.message}`, bad: true };
    if (err instanceof ImapError) {
      const code = err.code ? `[${err.code}] ` : '';
      const type = err.type === 'BYE' ? 'NO' : err.type;
      return { line: `${tag} ${type} ${code}${err.message}`, bad: err.type === 'BAD' };
    }
    this.ctx.logger.error(`imap: command failed (connection ${this.id})`, err);
    return { line: `${tag} NO [SERVERBUG] Internal server error`, bad: false };
  }

  private replyError(tag: string, err: unknown): void {
    if (this.closed) return;
    if (err instanceof ImapError && err.type === 'BYE') return this.bye(err.message);
    const { line, bad } = this.statusFor(tag, err);
    if (bad) this.replyBad(line);
    else {
      this.writeLine(line);
      this.badCommands = 0;
    }
  }

  private replyBad(line: string): void {
    this.writeLine(line);
    if (++this.badCommands >= this.limits.maxBadCommands) this.bye('Too many invalid commands');
  }

  private writeTagged(tag: string, type: 'OK', result: CommandResult, fallback: string): void {
    const code = result.code ? `[${result.code}] ` : '';
    this.writeLine(`${tag} ${type} ${code}${result.text ?? fallback}`);
  }

  private async checkLiteral(head: Buffer, size: number, sync: boolean): Promise<LiteralDecision> {
    const limit = this.state === 'not-authenticated' ? this.limits.maxPreAuthLiteralBytes : this.limits.maxLiteralBytes;
    const dec = new Decoder(head, this.limits);
    let tag = '*';
    try {
      tag = dec.tag();
      dec.sp();
      let name = dec.keyword();
      if (name === 'UID') {
        dec.sp();
        name = `UID ${dec.keyword()}`;
      }
      const spec = this.ctx.commands.get(name);
      if (spec?.checkLiteral && spec.states.includes(this.state)) {
        const verdict = await spec.checkLiteral(this, dec, size);
        if (verdict === 'accept') return null;
      }
    } catch (err) {
      // A malformed head is reported when the whole command is parsed; anything else refuses the literal.
      if (!(err instanceof DecodeError)) return { reply: this.statusFor(tag, err).line, close: !sync };
    }
    if (size > limit) return { reply: `${tag} NO [TOOBIG] Literal too large`, close: !sync };
    return null;
  }

  // ---------------------------------------------------------------- services for commands

  capabilities(): string[] {
    return capabilities({
      authenticated: this.state === 'authenticated' || this.state === 'selected',
      secure: this.secure,
      startTlsConfigured: this.ctx.startTlsContext !== null,
      allowInsecureAuth: this.ctx.allowInsecureAuth,
      session: this.session,
      appendLimit: this.limits.maxAppendBytes,
    });
  }

  get canStartTls(): boolean {
    return !this.secure && this.ctx.startTlsContext !== null;
  }

  get plaintextAuthAllowed(): boolean {
    return this.secure || this.ctx.allowInsecureAuth;
  }

  get authBackoff(): AuthBackoff {
    return this.ctx.authBackoff;
  }

  get serverId(): Record<string, string> {
    return this.ctx.serverId;
  }

  /** Writes one untagged response `* …`. */
  send(items: ImapValue[]): void {
    this.write(Buffer.concat([Buffer.from('* '), encodeResponse(items)]));
  }

  writeLine(line: string): void {
    this.write(Buffer.from(line + '\r\n', 'utf8'));
  }

  private write(bytes: Buffer): void {
    if (this.socket.destroyed || (this.closed && !this.socket.writable)) return;
    this.socket.write(bytes);
    if (this.socket.writableLength > this.limits.outputDropBytes) {
      this.ctx.logger.error(`imap: dropping connection ${this.id}: client does not read its output`);
      this.socket.destroy();
      this.destroy();
    }
  }

  /**
   * While a command runs its output is corked, so a FETCH of many small messages leaves in few
   * large writes instead of one system call per message.
   */
  private cork(): void {
    if (this.corked) return;
    this.socket.cork();
    this.corked = true;
  }

  private uncork(): void {
    if (!this.corked) return;
    this.corked = false;
    this.socket.uncork();
  }

  /**
   * Waits while too much output is unsent (FETCH of a large mailbox calls this between messages),
   * and now and then lets other connections run: a 100,000-message FETCH must not stall them.
   */
  async drain(): Promise<void> {
    if (++this.drainCalls % YIELD_EVERY_MESSAGES === 0) await new Promise((resolve) => setImmediate(resolve));
    if (this.corked && this.socket.writableLength >= CORK_FLUSH_BYTES) {
      this.socket.uncork();
      this.socket.cork();
    }
    if (this.socket.writableLength > this.limits.outputPauseBytes && this.corked) {
      // 'drain' never fires on a corked stream.
      this.uncork();
      await this.drain();
      this.cork();
      return;
    }
    while (!this.closed && this.socket.writableLength > this.limits.outputPauseBytes) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.socket.off('drain', done);
          this.socket.off('close', done);
          resolve();
        };
        this.socket.once('drain', done);
        this.socket.once('close', done);
      });
    }
  }

  /** Reads one client line outside command framing (AUTHENTICATE responses, DONE). Null when the client left. */
  async readClientLine(): Promise<string | null> {
    const line = await this.input.readLine(this.limits.maxLineBytes);
    if (line === null) return null;
    if (!Buffer.isBuffer(line)) {
      await this.input.skipLine();
      return '';
    }
    return line.toString('utf8').replace(/\r?\n$/, '');
  }

  setAuthenticated(user: string): void {
    if (this.ctx.connectionsOf(user) >= this.limits.maxConnectionsPerUser) {
      throw ImapError.no('Too many connections for this user', 'LIMIT');
    }
    this.user = user;
    this.state = 'authenticated';
  }

  selectView(view: MailboxView | null): void {
    this.stopChangeFeed?.();
    this.stopChangeFeed = null;
    this.view = view;
    this.state = view ? 'selected' : 'authenticated';
    if (view && supportsChangeNotifications(this.session)) {
      this.stopChangeFeed = this.session.onMailboxChange(() => this.signalChange());
    }
  }

  /** Fetches changes to the selected mailbox and sends what may be sent now. */
  async poll(allowExpunge: boolean): Promise<void> {
    const view = this.view;
    if (!view) return;
    view.apply(await this.session.changes(view.modseq));
    if (view.gone) throw ImapError.bye('Selected mailbox was deleted');
    view.flush((items) => this.send(items), allowExpunge);
  }

  private signalChange(): void {
    this.changeSignalled = true;
    const w = this.changeWaiter;
    this.changeWaiter = null;
    w?.();
  }

  /** Resolves on a change notification or after `ms` (IDLE's wake-up). */
  waitForChange(ms: number): Promise<void> {
    if (this.changeSignalled) {
      this.changeSignalled = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.changeWaiter = null;
        resolve();
      }, ms);
      this.changeWaiter = () => {
        clearTimeout(timer);
        this.changeSignalled = false;
        resolve();
      };
    });
  }

  get hasChangeNotifications(): boolean {
    return supportsChangeNotifications(this.session);
  }

  /** STARTTLS after its tagged OK: forget buffered plaintext (CERT-555316, T02), then handshake. */
  upgradeTls(): void {
    const context = this.ctx.startTlsContext;
    if (!context) return;
    const raw = this.socket;
    this.detach(raw);
    raw.on('error', () => {});
    this.input.discard();
    const secure = new TLSSocket(raw, { isServer: true, secureContext: context });
    this.socket = secure;
    this.secure = true;
    this.attach(secure);
  }

  // ---------------------------------------------------------------- sockets and timers

  private readonly onData = (chunk: Buffer): void => {
    this.input.push(chunk);
    if (this.input.buffered > Math.max(this.limits.maxBufferedInputBytes, this.input.wanted)) this.socket.pause();
  };
  private readonly onEnd = (): void => this.input.end();
  private readonly onError = (err: Error): void => {
    this.ctx.logger.debug?.(`imap: socket error on ${this.id}: ${err.message}`);
    this.input.end();
  };

  private attach(socket: Socket): void {
    socket.on('data', this.onData);
    socket.on('end', this.onEnd);
    socket.on('close', this.onEnd);
    socket.on('error', this.onError);
  }

  private detach(socket: Socket): void {
    socket.off('data', this.onData);
    socket.off('end', this.onEnd);
    socket.off('close', this.onEnd);
    socket.off('error', this.onError);
  }

  private maybeResume(): void {
    if (this.socket.isPaused() && this.input.buffered <= Math.max(this.limits.maxBufferedInputBytes, this.input.wanted)) {
      this.socket.resume();
    }
  }

  private armInactivityTimer(ms: number): void {
    this.clearInactivityTimer();
    this.inactivityTimer = setTimeout(() => this.bye('Autologout; idle for too long'), ms);
    this.inactivityTimer.unref();
  }

  private clearInactivityTimer(): void {
    if (this.inactivityTimer) clearTimeout(this.inactivityTimer);
    this.inactivityTimer = null;
  }
}
