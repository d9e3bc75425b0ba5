/**
 * The shape of a command module: which states allow it, a pure parser from bytes to typed
 * arguments (DecodeError ⇒ BAD), and `run`, which calls the backend and writes untagged data.
 * The connection enforces the state, polls mailbox updates and writes the tagged reply.
 */
import type { Connection } from './connection.ts';
import type { ImapLimits } from './limits.ts';
import type { Decoder } from './wire/decoder.ts';
import type { NumKind } from './wire/num-set.ts';

export type ConnState = 'not-authenticated' | 'authenticated' | 'selected' | 'logout';

export interface ParseContext {
  numKind: NumKind;
  limits: ImapLimits;
}

export interface CommandContext {
  conn: Connection;
  tag: string;
  /** Canonical command name, e.g. `UID FETCH`. */
  name: string;
  numKind: NumKind;
}

export interface CommandResult {
  /** Response code of the tagged OK, without brackets, e.g. `READ-WRITE`. */
  code?: string | null;
  text?: string;
  /** Runs after the tagged reply is written (STARTTLS handshake, LOGOUT close). */
  after?: () => void | Promise<void>;
}

export interface CommandSpec<A = unknown> {
  /** Every name this module answers to, upper case, e.g. `['COPY', 'UID COPY']`. */
  names: string[];
  states: ConnState[];
  parse(dec: Decoder, ctx: ParseContext): A;
  run(ctx: CommandContext, args: A): Promise<CommandResult | void>;
  /** Other sessions' expunges may be announced after this command (IMAP.md M28). */
  allowExpunge?: boolean;
  /** The command waits on the client (IDLE, AUTHENTICATE): no "Still processing" notices, no autologout. */
  interactive?: boolean;
  /**
   * Decides on a literal before it is read (APPEND: TOOBIG/TRYCREATE before `+`). `head` is the
   * decoder positioned after the command name. Returns null to fall back to the default size limit.
   */
  checkLiteral?(conn: Connection, head: Decoder, size: number): Promise<'accept' | null>;
}

/** Helper so modules keep their argument type while the registry stores `CommandSpec<unknown>`. */
export function defineCommand<A>(spec: CommandSpec<A>): CommandSpec<unknown> {
  return spec as unknown as CommandSpec<unknown>;
}
