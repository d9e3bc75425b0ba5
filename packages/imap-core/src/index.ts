/** Public surface of @letterbox/imap-core. The wire codec stays internal. */
export { ImapServer, type ImapServerOptions, type ImapLogger } from './server.ts';
export { ImapError, type ImapErrorType, type ResponseCode } from './errors.ts';
export { DEFAULT_LIMITS, resolveLimits, type ImapLimits } from './limits.ts';
export * from './backend.ts';
export type { SearchKey, SearchProgram } from './search/criteria.ts';
export type { NumSet, NumKind, NumRange, SeqNumber } from './wire/num-set.ts';
export { atom, Atom, type ImapValue } from './wire/value.ts';
export { encodeMutf7, decodeMutf7 } from './wire/mutf7.ts';
// MIME and SEARCH helpers for backends: ingest (CRLF, INTERNALDATE), cached ENVELOPE/BODYSTRUCTURE,
// section bytes for streaming, and the reference SEARCH evaluator.
export {
  parseMime,
  bodyStructure,
  envelope,
  sectionBytes,
  sectionData,
  partialRange,
  partialSlice,
  normalizeLineEndings,
  formatInternalDate,
  parseInternalDate,
  MAX_MIME_DEPTH,
  MAX_MIME_PARTS,
  MAX_HEADER_BYTES,
  TIGHT_LISTS,
  type MimeNode,
  type MimeLimits,
  type SectionData,
  type ParsedInternalDate,
} from './mime/index.ts';
export type { SectionSpec } from './mime/section-spec.ts';
export {
  matchesSearch,
  searchableText,
  type SearchableMessage,
  type SearchContext,
  type SearchableText,
} from './search/matcher.ts';
