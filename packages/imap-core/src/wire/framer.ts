/**
 * Streaming command framing: turns the byte stream from a client into complete commands
 * (the line plus every literal it announces), whatever the chunk boundaries.
 *
 * `{n}` is a synchronising literal: the client waits for our `+` continuation before sending the
 * octets, so the server may refuse it (NO [TOOBIG], NO [TRYCREATE]) instead. `{n+}` (LITERAL+,
 * RFC 7888) arrives without waiting.
 */
export class InputBuffer {
  private chunks: Buffer[] = [];
  private length = 0;
  /** Octets a pending `readExact` waits for: the socket must not be paused below this. */
  wanted = 0;
  private waiter: (() => void) | null = null;
  private ended = false;

  constructor(private readonly onDrained: () => void = () => {}) {}

  get buffered(): number {
    return this.length;
  }

  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
    this.wake();
  }

  /** Puts octets back in front (IDLE hands a non-DONE line back to the command reader, M49). */
  unshift(chunk: Buffer): void {
    this.chunks.unshift(chunk);
    this.length += chunk.length;
    this.wake();
  }

  end(): void {
    this.ended = true;
    this.wake();
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Drops everything buffered (STARTTLS: plaintext sent before the handshake must never be executed). */
  discard(): void {
    this.chunks = [];
    this.length = 0;
    this.onDrained();
  }

  private wake(): void {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }

  private wait(): Promise<void> {
    const p = new Promise<void>((resolve) => (this.waiter = resolve));
    this.onDrained();
    return p;
  }

  private take(n: number): Buffer {
    const all = this.chunks.length === 1 ? this.chunks[0]! : Buffer.concat(this.chunks, this.length);
    const out = all.subarray(0, n);
    const rest = all.subarray(n);
    this.chunks = rest.length > 0 ? [rest] : [];
    this.length = rest.length;
    this.onDrained();
    return out;
  }

  private indexOfLf(from: number): number {
    let offset = 0;
    for (const c of this.chunks) {
      if (offset + c.length > from) {
        const i = c.indexOf(0x0a, Math.max(0, from - offset));
        if (i >= 0) return offset + i;
      }
      offset += c.length;
    }
    return -1;
  }

  /**
   * Reads one line including its LF. Returns `{ tooLong: head }` once more than `max` octets arrive
   * without a LF (head = the first octets, for the tag), and null at end of stream.
   */
  async readLine(max: number): Promise<Buffer | { tooLong: Buffer } | null> {
    let scanned = 0;
    for (;;) {
      const lf = this.indexOfLf(scanned);
      if (lf >= 0 && lf < max + 2) return this.take(lf + 1);
      if (lf >= 0 || this.length > max + 2) return { tooLong: this.peekHead(64) };
      scanned = this.length;
      if (this.ended) return null;
      await this.wait();
    }
  }

  /**
   * Discards input up to and including the next LF. Resolves with the last octets of the discarded
   * line (to spot a `{n+}` at its end), or null at end of stream.
   */
  async skipLine(): Promise<string | null> {
    let tail = '';
    for (;;) {
      const lf = this.indexOfLf(0);
      if (lf >= 0) {
        return (tail + this.take(lf + 1).toString('latin1')).slice(-24);
      }
      for (const c of this.chunks) tail = (tail + c.toString('latin1', Math.max(0, c.length - 24))).slice(-24);
      this.chunks = [];
      this.length = 0;
      this.onDrained();
      if (this.ended) return null;
      await this.wait();
    }
  }

  /** Reads exactly `n` octets, or null if the stream ends first. */
  async readExact(n: number): Promise<Buffer | null> {
    this.wanted = n;
    try {
      while (this.length < n) {
        if (this.ended) return null;
        await this.wait();
      }
    } finally {
      this.wanted = 0;
    }
    return this.take(n);
  }

  private peekHead(n: number): Buffer {
    const first = this.chunks[0] ?? Buffer.alloc(0);
    return Buffer.from(first.subarray(0, n));
  }
}

/** What the framer asks before accepting a literal: null to accept, or the reply that refuses it. */
export type LiteralDecision = null | { reply: string; close: boolean };

export interface FramerHooks {
  /** `head` = the command so far, without the `{n}` announcement. */
  checkLiteral(head: Buffer, size: number, sync: boolean): Promise<LiteralDecision>;
  /** Sends the `+` continuation for a synchronising literal. */
  continueLiteral(): void;
}

export type FrameResult =
  | { kind: 'command'; bytes: Buffer }
  | { kind: 'too-long'; head: Buffer }
  | { kind: 'refused'; reply: string; close: boolean }
  | { kind: 'eof' };

const LITERAL_AT_END = /\{(\d{1,10})(\+?)\}\r?\n$/;
const LITERAL_PLUS_AT_END = /\{(\d{1,10})\+\}\r?\n$/;

/** Best-effort tag of a line we could not read in full, for the BAD reply. */
export function looseTagOf(head: Buffer): string {
  const m = /^([\x21-\x7e]+?) /.exec(head.toString('latin1'));
  return m && !/[(){%*"\\+]/.test(m[1]!) ? m[1]! : '*';
}

/** Reads one complete command: the line, and for every `{n}` at a line end the n octets and the next line. */
export async function readCommand(
  input: InputBuffer,
  maxLineBytes: number,
  hooks: FramerHooks,
  maxSkippableLiteral = 64 * 1024,
): Promise<FrameResult> {
  const parts: Buffer[] = [];
  let lineBytes = 0;
  for (;;) {
    const line = await input.readLine(maxLineBytes - lineBytes);
    if (line === null) return { kind: 'eof' };
    if (!Buffer.isBuffer(line)) {
      const head = parts[0] ?? line.tooLong;
      // A non-synchronising literal at the end of the discarded line arrives anyway: it must not be
      // read as commands. Small ones are skipped with the rest of the command, large ones end the connection.
      for (let tail = await input.skipLine(); tail !== null; ) {
        const m = LITERAL_PLUS_AT_END.exec(tail);
        if (!m) break;
        if (Number(m[1]) > maxSkippableLiteral) return { kind: 'refused', reply: `${looseTagOf(head)} BAD Command line too long`, close: true };
        if ((await input.readExact(Number(m[1]))) === null) return { kind: 'eof' };
        tail = await input.skipLine();
      }
      return { kind: 'too-long', head };
    }
    lineBytes += line.length;
    const tail = line.toString('latin1', Math.max(0, line.length - 16));
    const m = LITERAL_AT_END.exec(tail);
    if (!m) {
      parts.push(normaliseLineEnd(line));
      return { kind: 'command', bytes: Buffer.concat(parts) };
    }
    const size = Number(m[1]);
    const sync = m[2] !== '+';
    const head = Buffer.concat([...parts, line.subarray(0, line.length - m[0].length)]);
    const decision = await hooks.checkLiteral(head, size, sync);
    if (decision !== null) {
      // A refused synchronising literal never arrives; the client's next line is a new command.
      return { kind: 'refused', reply: decision.reply, close: decision.close || !sync };
    }
    parts.push(normaliseLineEnd(line));
    if (sync) hooks.continueLiteral();
    const data = await input.readExact(size);
    if (data === null) return { kind: 'eof' };
    parts.push(data);
  }
}

/** Accepts a bare LF as line end (some scripts send it) by presenting CRLF to the decoder. */
function normaliseLineEnd(line: Buffer): Buffer {
  if (line.length >= 2 && line[line.length - 2] === 0x0d) return line;
  return Buffer.concat([line.subarray(0, line.length - 1), Buffer.from('\r\n')]);
}
