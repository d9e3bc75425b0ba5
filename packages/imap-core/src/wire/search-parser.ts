/**
 * SEARCH programs (RFC 3501 §6.4.4, §9 `search-key`) into the SearchKey tree of search/criteria.ts.
 * A bare sequence set is always `{ kind: 'seq' }`, also inside UID SEARCH (IMAP.md M39).
 */
import { ImapError } from '../errors.ts';
import type { SearchKey, SearchProgram } from '../search/criteria.ts';
import { canonicalSystemFlag, type Decoder } from './decoder.ts';

const FLAG_KEYS: Record<string, [string, boolean]> = {
  ANSWERED: ['\\Answered', true],
  DELETED: ['\\Deleted', true],
  DRAFT: ['\\Draft', true],
  FLAGGED: ['\\Flagged', true],
  SEEN: ['\\Seen', true],
  UNANSWERED: ['\\Answered', false],
  UNDELETED: ['\\Deleted', false],
  UNDRAFT: ['\\Draft', false],
  UNFLAGGED: ['\\Flagged', false],
  UNSEEN: ['\\Seen', false],
};
const HEADER_KEYS: Record<string, string> = { FROM: 'From', TO: 'To', CC: 'Cc', BCC: 'Bcc', SUBJECT: 'Subject' };
const DATE_OPS: Record<string, 'before' | 'on' | 'since'> = { BEFORE: 'before', ON: 'on', SINCE: 'since' };

export const SUPPORTED_CHARSETS = ['US-ASCII', 'UTF-8'] as const;

export function parseSearchProgram(dec: Decoder): SearchProgram {
  let charset: SearchProgram['charset'] = 'US-ASCII';
  if (dec.tryWord('CHARSET')) {
    dec.sp();
    const requested = dec.astring().toUpperCase();
    if (requested !== 'US-ASCII' && requested !== 'UTF-8') {
      throw ImapError.no('Unsupported charset', 'BADCHARSET (US-ASCII UTF-8)');
    }
    charset = requested;
    dec.sp();
  }
  const counter = { keys: 0 };
  const keys = [parseKey(dec, counter)];
  while (dec.maybeSp()) keys.push(parseKey(dec, counter));
  dec.end();
  return { charset, key: keys.length === 1 ? keys[0]! : { kind: 'and', keys } };
}

function parseKey(dec: Decoder, counter: { keys: number }): SearchKey {
  if (++counter.keys > dec.limits.maxSearchKeys) dec.fail('Too many search keys');
  if (dec.peek() === 0x28) {
    const keys = dec.list(() => parseKey(dec, counter), false);
    return keys.length === 1 ? keys[0]! : { kind: 'and', keys };
  }
  if (dec.atNumSet()) return { kind: 'seq', set: dec.numSet() };
  const name = dec.keyword();
  const flag = FLAG_KEYS[name];
  if (flag) return { kind: 'flag', flag: flag[0], set: flag[1] };
  const header = HEADER_KEYS[name];
  if (header) return { kind: 'header', field: header, value: dec.sp().astring() };
  const dateOp = DATE_OPS[name];
  if (dateOp) return { kind: 'internaldate', op: dateOp, date: dec.sp().date() };
  const sentOp = name.startsWith('SENT') ? DATE_OPS[name.slice(4)] : undefined;
  if (sentOp) return { kind: 'sentdate', op: sentOp, date: dec.sp().date() };
  switch (name) {
    case 'ALL':
      return { kind: 'all' };
    case 'NEW':
      return { kind: 'new' };
    case 'OLD':
      return { kind: 'old' };
    case 'RECENT':
      return { kind: 'recent' };
    case 'KEYWORD':
    case 'UNKEYWORD':
      return { kind: 'flag', flag: canonicalSystemFlag(dec.sp().flag()), set: name === 'KEYWORD' };
    case 'HEADER': {
      const field = dec.sp().astring();
      return { kind: 'header', field, value: dec.sp().astring() };
    }
    case 'BODY':
      return { kind: 'body', value: dec.sp().astring() };
    case 'TEXT':
      return { kind: 'text', value: dec.sp().astring() };
    case 'LARGER':
    case 'SMALLER':
      return { kind: 'size', op: name === 'LARGER' ? 'larger' : 'smaller', size: dec.sp().number() };
    case 'NOT':
      dec.sp();
      return { kind: 'not', key: parseNested(dec, counter) };
    case 'OR': {
      dec.sp();
      const left = parseNested(dec, counter);
      dec.sp();
      return { kind: 'or', left, right: parseNested(dec, counter) };
    }
    case 'UID':
      return { kind: 'uid', set: dec.sp().numSet() };
    default:
      dec.fail(`Unknown search key ${name}`);
  }
}

/** NOT/OR operands recurse; bound the depth like parenthesised groups. */
function parseNested(dec: Decoder, counter: { keys: number }): SearchKey {
  dec.enter();
  const key = parseKey(dec, counter);
  dec.leave();
  return key;
}
