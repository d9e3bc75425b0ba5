/** MIME helpers: one parser (parseMime) behind BODYSTRUCTURE, ENVELOPE and section fetches. */
export {
  parseMime,
  countLines,
  splitMultipart,
  MAX_MIME_DEPTH,
  MAX_MIME_PARTS,
  MAX_HEADER_BYTES,
  type MimeNode,
  type MimeLimits,
  type ContentType,
  type ContentDisposition,
} from './parse.ts';
export {
  parseHeaderBlock,
  parseParamHeader,
  fieldValue,
  findField,
  headerValue,
  type HeaderField,
  type HeaderBlock,
  type ParamHeader,
} from './header.ts';
export { bodyStructure, TIGHT_LISTS, tightList, isTightList, nstr } from './body-structure.ts';
export { envelope, MISSING_MAILBOX, MISSING_DOMAIN } from './envelope.ts';
export { parseAddressList, type ParsedAddress, type ParsedMailbox, type ParsedGroup } from './address.ts';
export {
  sectionBytes,
  sectionData,
  resolvePart,
  headerFields,
  partialRange,
  partialSlice,
  type SectionData,
} from './section.ts';
export { normalizeLineEndings } from './line-endings.ts';
export { formatInternalDate, parseInternalDate, type ParsedInternalDate } from './internal-date.ts';
export {
  decodeTransfer,
  decodeQuotedPrintable,
  decodeCharset,
  decodeHeaderValue,
  decodeEncodedWords,
} from './decode.ts';
export type { SectionSpec, Partial } from './section-spec.ts';
