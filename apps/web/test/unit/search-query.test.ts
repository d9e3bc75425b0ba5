import { describe, expect, it } from 'vitest';
import { filterToQueryString, parseSearch, tokenize, withRecipient } from '../../src/lib/search-query';

describe('tokenize', () => {
  it('splits keys, quoted phrases, negation and free words', () => {
    expect(tokenize('from:a@x.test "big deal" -subject:"old news" word')).toEqual([
      { negated: false, key: 'from', value: 'a@x.test' },
      { negated: false, key: null, value: 'big deal' },
      { negated: true, key: 'subject', value: 'old news' },
      { negated: false, key: null, value: 'word' },
    ]);
  });
  it('keeps unknown keys as free words and runs an unclosed quote to the end', () => {
    expect(tokenize('http://x.test "open end')).toEqual([
      { negated: false, key: null, value: 'http://x.test' },
      { negated: false, key: null, value: 'open end' },
    ]);
  });
});

describe('parseSearch', () => {
  it('maps address, body, run and state terms to API filters', () => {
    expect(parseSearch('from:alice@x.test to:bob@x.test body:reset run:ci-1 has:attachment is:unread')).toEqual({
      filter: { from: 'alice@x.test', recipient: 'bob@x.test', text: 'reset', run: 'ci-1', hasAttachment: 'true', read: 'false' },
      errors: [],
    });
  });
  it('negates has: and is:', () => {
    expect(parseSearch('-has:attachment -is:unread').filter).toEqual({ hasAttachment: 'false', read: 'true' });
    expect(parseSearch('is:read').filter).toEqual({ read: 'true' });
  });
  it('turns free words, phrases and subject terms into one subject regex of lookaheads', () => {
    const { filter } = parseSearch('invoice "total due" -subject:draft -spam');
    expect(filter.subjectRegex).toBe('^(?=.*invoice)(?=.*total due)(?!.*draft)(?!.*spam)');
    const regex = new RegExp(filter.subjectRegex!, 'i');
    expect(regex.test('Invoice 42: total due Friday')).toBe(true);
    expect(regex.test('DRAFT invoice total due')).toBe(false);
    expect(regex.test('invoice only')).toBe(false);
  });
  it('escapes regex characters in words', () => {
    expect(parseSearch('a.b (c)').filter.subjectRegex).toBe('^(?=.*a\\.b)(?=.*\\(c\\))');
  });
  it('reads dates: before: the start of the day, after: the end of it (UTC)', () => {
    expect(parseSearch('before:2026-11-22 after:2026-11-20').filter).toEqual({
      before: '2026-11-22T00:00:00.000Z',
      since: '2026-11-21T00:00:00.000Z',
    });
    expect(parseSearch('after:2026-11-20T10:00:00Z').filter.since).toBe('2026-11-20T10:00:00.000Z');
  });
  it('reports what the API cannot express instead of dropping it', () => {
    expect(parseSearch('-from:a@x.test').errors).toEqual(['-from:a@x.test: negating from: is not supported']);
    expect(parseSearch('to:a@x.test to:b@x.test').errors).toEqual(['to:b@x.test: only one to: term is supported']);
    expect(parseSearch('has:pdf').errors).toEqual(['has:pdf: only has:attachment is supported']);
    expect(parseSearch('is:starred').errors).toEqual(['is:starred: use is:unread or is:read']);
    expect(parseSearch('before:someday').errors).toEqual(['before:someday: not a date (use YYYY-MM-DD)']);
    expect(parseSearch('from:').errors).toEqual(['from: needs a value']);
  });
  it('is empty for an empty query', () => {
    expect(parseSearch('   ')).toEqual({ filter: {}, errors: [] });
  });
});

describe('withRecipient', () => {
  it('replaces the to: term and keeps the rest, re-quoting phrases', () => {
    expect(withRecipient('to:old@x.test "a b" is:unread', 'new@x.test')).toBe('to:new@x.test "a b" is:unread');
    expect(withRecipient('to:old@x.test word', null)).toBe('word');
  });
});

describe('filterToQueryString', () => {
  it('encodes the filter as API query parameters', () => {
    expect(filterToQueryString({ recipient: 'a+b@x.test', read: 'false' })).toBe('recipient=a%2Bb%40x.test&read=false');
  });
});
