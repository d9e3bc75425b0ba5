/** Public surface of @letterbox/imap-core. The wire codec stays internal. */
export { ImapServer, type ImapServerOptions, type ImapLogger } from './server.ts';
export { ImapError, type ImapErrorType, type ResponseCode } from './errors.ts';
export { DEFAULT_LIMITS, resolveLimits, type ImapLimits } from './limits.ts';
export * from './backend.ts';
export type { SearchKey, SearchProgram } from './search/criteria.ts';
export type { NumSet, NumKind, NumRange, SeqNumber } from './wire/num-set.ts';
export { atom, Atom, type ImapValue } from './wire/value.ts';
export { encodeMutf7, decodeMutf7 } from './wire/mutf7.ts';
