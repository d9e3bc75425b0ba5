import type { NumSet } from '../wire/num-set.ts';

/**
 * A parsed SEARCH program (RFC 3501 §6.4.4). The wire decoder produces it; backends evaluate it
 * (the in-memory backend with search/matcher.ts, a database backend by translating it to SQL).
 *
 * Dates are calendar days (`YYYY-MM-DD`, no time zone) as RFC 3501 compares them.
 * `seq` holds sequence numbers even inside UID SEARCH (IMAP.md M39); only `uid` means UIDs.
 */
export type SearchKey =
  | { kind: 'all' }
  | { kind: 'and'; keys: SearchKey[] }
  | { kind: 'or'; left: SearchKey; right: SearchKey }
  | { kind: 'not'; key: SearchKey }
  | { kind: 'seq'; set: NumSet }
  | { kind: 'uid'; set: NumSet }
  | { kind: 'flag'; flag: string; set: boolean } // \Seen, \Answered … or a keyword; set=false for UN…/UNKEYWORD
  | { kind: 'new' } // \Recent and not \Seen
  | { kind: 'old' } // not \Recent
  | { kind: 'recent' }
  | { kind: 'header'; field: string; value: string } // HEADER, and FROM/TO/CC/BCC/SUBJECT as header on that field
  | { kind: 'body'; value: string }
  | { kind: 'text'; value: string }
  | { kind: 'internaldate'; op: 'before' | 'on' | 'since'; date: string }
  | { kind: 'sentdate'; op: 'before' | 'on' | 'since'; date: string }
  | { kind: 'size'; op: 'larger' | 'smaller'; size: number };

export interface SearchProgram {
  /** Upper-cased; decoders reject anything but US-ASCII and UTF-8 with NO [BADCHARSET]. */
  charset: 'US-ASCII' | 'UTF-8';
  key: SearchKey;
}
