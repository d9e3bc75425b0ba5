// A MessageFilter as SQL conditions on `messages m`. The wait endpoint evaluates the same filter
// in JavaScript (match-message.ts); message-filter.test.ts runs one table of cases through both.
import type { MessageFilter } from '@letterbox/contracts';
import { accountAddress } from './account-address.ts';
import { headerAddressKey, type AddressHeader } from './header-address-keys.ts';

/** Filters that read parsed fields: a pending message must be parsed before they can judge it. */
const PARSED_FILTERS = ['to', 'cc', 'bcc', 'from', 'subject', 'subjectRegex', 'text', 'html', 'header', 'hasAttachment'] as const;

export function needsParsedFields(filter: MessageFilter): boolean {
  return PARSED_FILTERS.some((key) => filter[key] !== undefined);
}

/** The part of a filter that needs no parsed field (run, recipient, time, read state). */
export function envelopePart(filter: MessageFilter): MessageFilter {
  return { run: filter.run, recipient: filter.recipient, since: filter.since, before: filter.before, read: filter.read };
}

export function headerFilters(filter: MessageFilter): { name: string; value: string | null }[] {
  const list = filter.header === undefined ? [] : Array.isArray(filter.header) ? filter.header : [filter.header];
  return list.map((h) => {
    const colon = h.indexOf(':');
    return colon === -1 ? { name: h, value: null } : { name: h.slice(0, colon), value: h.slice(colon + 1).trim() };
  });
}

/** `%`, `_` and `\` are literal in a "contains" filter. */
export function likePattern(value: string): string {
  return `%${value.replace(/[\\%_]/g, '\\$&')}%`;
}

/** Collects bind parameters; `add(v)` returns its placeholder. */
export class SqlParams {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * An address in a header, through the GIN index on headerAddresses (header-address-keys.ts). The
 * index is partial, on non-empty arrays only: the cardinality test, implied by the containment,
 * lets the planner use it.
 */
const addressIn = (header: AddressHeader, params: SqlParams, address: string) =>
  `(cardinality(m."headerAddresses") > 0 AND m."headerAddresses" @> ARRAY[${params.add(headerAddressKey(header, address))}]::text[])`;

/** An envelope recipient, as an account address (invariant 2: domain case-insensitive), through the GIN index. */
const recipientIs = (p: string) => `m.recipients @> ARRAY[${p}]::text[]`;

/** Conditions (ANDed) selecting live (not deleted) messages that match the filter. */
export function filterConditions(filter: MessageFilter, params: SqlParams): string[] {
  const where = ['m."deletedAt" IS NULL'];
  if (filter.run !== undefined) where.push(`m.run = ${params.add(filter.run)}`);
  if (filter.since !== undefined) where.push(`m."receivedAt" >= ${params.add(filter.since)}::timestamptz`);
  if (filter.before !== undefined) where.push(`m."receivedAt" < ${params.add(filter.before)}::timestamptz`);
  if (filter.read !== undefined) where.push(filter.read ? 'm."readAt" IS NOT NULL' : 'm."readAt" IS NULL');
  if (filter.recipient !== undefined) where.push(recipientIs(params.add(accountAddress(filter.recipient))));
  if (filter.to !== undefined) where.push(addressIn('to', params, filter.to));
  if (filter.cc !== undefined) where.push(addressIn('cc', params, filter.cc));
  if (filter.bcc !== undefined) {
    where.push(`${recipientIs(params.add(accountAddress(filter.bcc)))} AND NOT ${addressIn('to', params, filter.bcc)} AND NOT ${addressIn('cc', params, filter.bcc)}`);
  }
  if (filter.from !== undefined) {
    where.push(`(lower(m."mailFrom") = lower(${params.add(filter.from)}) OR ${addressIn('from', params, filter.from)})`);
  }
  if (filter.subject !== undefined) where.push(`m.subject ILIKE ${params.add(likePattern(filter.subject))}`);
  if (filter.subjectRegex !== undefined) where.push(`m.subject ~* ${params.add(filter.subjectRegex)}`);
  if (filter.text !== undefined) where.push(`m.text ILIKE ${params.add(likePattern(filter.text))}`);
  if (filter.html !== undefined) where.push(`m.html ILIKE ${params.add(likePattern(filter.html))}`);
  for (const header of headerFilters(filter)) {
    const name = params.add(header.name);
    const value = header.value === null ? '' : ` AND btrim(h->>'value') = ${params.add(header.value)}`;
    where.push(
      `EXISTS (SELECT 1 FROM jsonb_array_elements(CASE WHEN jsonb_typeof(m.headers) = 'array' THEN m.headers ELSE '[]'::jsonb END) h
                WHERE lower(h->>'name') = lower(${name})${value})`,
    );
  }
  if (filter.hasAttachment !== undefined) {
    where.push(`${filter.hasAttachment ? '' : 'NOT '}EXISTS (SELECT 1 FROM attachments t WHERE t."messageId" = m.id)`);
  }
  return where;
}
