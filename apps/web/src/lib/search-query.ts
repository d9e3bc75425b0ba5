// The inbox search syntax (documented in apps/web/README.md), parsed into API message filters.
//
//   from:ADDR  to:ADDR  subject:WORD  body:WORD  run:ID  has:attachment  is:unread  is:read
//   before:DATE  after:DATE  free words  "quoted phrases"  -negation
//
// The API ANDs single-valued filters, so free words, phrases and subject terms (and their
// negations) become one case-insensitive subjectRegex of lookaheads; anything the API cannot
// express is reported as an error instead of being silently dropped.

export interface SearchFilter {
  from?: string;
  recipient?: string;
  subjectRegex?: string;
  text?: string;
  run?: string;
  hasAttachment?: 'true' | 'false';
  read?: 'true' | 'false';
  before?: string;
  since?: string;
}

export interface ParsedSearch {
  filter: SearchFilter;
  errors: string[];
}

interface Term {
  negated: boolean;
  key: string | null;
  value: string;
}

const KEYS = ['from', 'to', 'subject', 'body', 'run', 'has', 'is', 'before', 'after'] as const;
type Key = (typeof KEYS)[number];
const SINGLE_VALUED: Partial<Record<Key, keyof SearchFilter>> = { from: 'from', to: 'recipient', body: 'text', run: 'run' };
const MS_PER_DAY = 86_400_000;

/** Splits into terms: `-`? (`key:`)? (`"phrase"` | word). An unclosed quote runs to the end. */
export function tokenize(query: string): Term[] {
  const terms: Term[] = [];
  const pattern = /(-?)(?:([a-z]+):)?(?:"([^"]*)"?|(\S*))/gi;
  for (const match of query.matchAll(pattern)) {
    const [, minus, rawKey, quoted, bare] = match;
    const key = rawKey?.toLowerCase() ?? null;
    const knownKey = key !== null && (KEYS as readonly string[]).includes(key);
    // `foo:bar` with an unknown key is a free word, as typed.
    const value = knownKey ? (quoted ?? bare ?? '') : `${rawKey ? `${rawKey}:` : ''}${quoted ?? bare ?? ''}`;
    if (value === '' && !knownKey) continue;
    terms.push({ negated: minus === '-', key: knownKey ? key : null, value });
  }
  return terms;
}

export function escapeRegex(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
}

/** `2026-11-22` (UTC midnight) or any ISO 8601 instant; null when unreadable. */
export function parseDate(value: string): Date | null {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

export function parseSearch(query: string): ParsedSearch {
  const filter: SearchFilter = {};
  const errors: string[] = [];
  const subjectMust: string[] = [];
  const subjectMustNot: string[] = [];
  for (const term of tokenize(query)) {
    const shown = `${term.negated ? '-' : ''}${term.key ? `${term.key}:` : ''}${term.value}`;
    if (term.value === '') {
      errors.push(`${shown} needs a value`);
      continue;
    }
    if (term.key === null || term.key === 'subject') {
      (term.negated ? subjectMustNot : subjectMust).push(term.value);
      continue;
    }
    const single = SINGLE_VALUED[term.key as Key];
    if (single) {
      if (term.negated) errors.push(`${shown}: negating ${term.key}: is not supported`);
      else if (filter[single] !== undefined) errors.push(`${shown}: only one ${term.key}: term is supported`);
      else (filter as Record<string, string>)[single] = term.value;
      continue;
    }
    const value = term.value.toLowerCase();
    if (term.key === 'has') {
      if (value === 'attachment' || value === 'attachments') filter.hasAttachment = term.negated ? 'false' : 'true';
      else errors.push(`${shown}: only has:attachment is supported`);
    } else if (term.key === 'is') {
      if (value === 'unread' || value === 'read') filter.read = (value === 'read') !== term.negated ? 'true' : 'false';
      else errors.push(`${shown}: use is:unread or is:read`);
    } else {
      const date = parseDate(term.value);
      if (date === null) errors.push(`${shown}: not a date (use YYYY-MM-DD)`);
      else if (term.negated) errors.push(`${shown}: use ${term.key === 'before' ? 'after' : 'before'}: instead of negating`);
      // before:D = received before the start of D; after:D = received after the end of D (Gmail).
      else if (term.key === 'before') filter.before = date.toISOString();
      else filter.since = new Date(date.getTime() + (/^\d{4}-\d{2}-\d{2}$/.test(term.value) ? MS_PER_DAY : 0)).toISOString();
    }
  }
  if (subjectMust.length + subjectMustNot.length > 0) {
    const ahead = (words: string[], op: '=' | '!') => words.map((w) => `(?${op}.*${escapeRegex(w)})`).join('');
    filter.subjectRegex = `^${ahead(subjectMust, '=')}${ahead(subjectMustNot, '!')}`;
  }
  return { filter, errors };
}

/** The query with its `to:` terms replaced by one (the sidebar's inbox links). */
export function withRecipient(query: string, address: string | null): string {
  const rest = tokenize(query)
    .filter((t) => t.key !== 'to')
    .map((t) => `${t.negated ? '-' : ''}${t.key ? `${t.key}:` : ''}${/\s/.test(t.value) ? `"${t.value}"` : t.value}`);
  if (address !== null) rest.unshift(`to:${address}`);
  return rest.join(' ');
}

export function filterToQueryString(filter: SearchFilter): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) if (value !== undefined) params.set(key, value);
  return params.toString();
}
