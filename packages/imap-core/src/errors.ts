/**
 * The one error type commands and backends throw. The connection maps it to a reply in one place:
 * NO/BAD become the tagged reply, BYE becomes `* BYE` and closes the connection.
 */
export type ImapErrorType = 'NO' | 'BAD' | 'BYE';

/** Response codes (RFC 3501 §7.1, RFC 5530, RFC 4315, RFC 7889) the library and backends use. */
export type ResponseCode =
  | 'NONEXISTENT'
  | 'TRYCREATE'
  | 'ALREADYEXISTS'
  | 'AUTHENTICATIONFAILED'
  | 'TOOBIG'
  | 'BADCHARSET (US-ASCII UTF-8)'
  | 'CANNOT'
  | 'INUSE'
  | 'LIMIT'
  | 'PRIVACYREQUIRED'
  | 'CLIENTBUG'
  | 'SERVERBUG'
  | 'EXPUNGEISSUED'
  | 'READ-ONLY'
  | 'NOPERM';

export class ImapError extends Error {
  constructor(
    readonly type: ImapErrorType,
    readonly code: ResponseCode | null,
    text: string,
  ) {
    super(text);
    this.name = 'ImapError';
  }

  static no(text: string, code: ResponseCode | null = null): ImapError {
    return new ImapError('NO', code, text);
  }
  static bad(text: string, code: ResponseCode | null = null): ImapError {
    return new ImapError('BAD', code, text);
  }
  static bye(text: string): ImapError {
    return new ImapError('BYE', null, text);
  }
  static nonexistent(text = 'No such mailbox'): ImapError {
    return new ImapError('NO', 'NONEXISTENT', text);
  }
  static tryCreate(text = 'No such mailbox'): ImapError {
    return new ImapError('NO', 'TRYCREATE', text);
  }
  static alreadyExists(text = 'Mailbox already exists'): ImapError {
    return new ImapError('NO', 'ALREADYEXISTS', text);
  }
  static authFailed(text = 'Authentication failed'): ImapError {
    return new ImapError('NO', 'AUTHENTICATIONFAILED', text);
  }
  static tooBig(text = 'Message too large'): ImapError {
    return new ImapError('NO', 'TOOBIG', text);
  }
  static cannot(text: string): ImapError {
    return new ImapError('NO', 'CANNOT', text);
  }
}

/** A syntax error found while decoding a command: always a tagged BAD. */
export class DecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecodeError';
  }
}

export const isImapError = (e: unknown): e is ImapError => e instanceof ImapError;
