// Columns and row mapping shared by the message use cases: summaries (list items), the facts the
// wait hub matches filters against, and the full message.
import { SNIPPET_LENGTH, type Address, type MessageSummary } from '@letterbox/contracts';
import type { MessageFacts } from './match-message.ts';

export const SUMMARY_COLUMNS = `m.id, m."receivedAt" AS received_at, m.run, m."mailFrom" AS mail_from, m."rcptTo" AS rcpt_to,
  m."fromAddress" AS from_address, m."toAddresses" AS to_addresses, m."ccAddresses" AS cc_addresses, m.subject, m.size,
  left(btrim(regexp_replace(left(m.text, ${SNIPPET_LENGTH * 4}), '\\s+', ' ', 'g')), ${SNIPPET_LENGTH}) AS snippet,
  m."readAt" IS NOT NULL AS read, m."parseState" AS parse_state,
  (SELECT count(*)::int FROM attachments t WHERE t."messageId" = m.id) AS attachment_count`;

export interface SummaryRow {
  id: string;
  received_at: Date;
  run: string | null;
  mail_from: string;
  rcpt_to: string[];
  from_address: unknown;
  to_addresses: unknown;
  cc_addresses: unknown;
  subject: string | null;
  snippet: string | null;
  size: number;
  read: boolean;
  parse_state: 'pending' | 'parsed' | 'failed';
  attachment_count: number;
}

/** jsonb address lists as the parser stored them; anything else (pending: NULL) is empty. */
export function addressList(value: unknown): Address[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((a): a is { name?: unknown; address?: unknown } => typeof a === 'object' && a !== null)
    .map((a) => ({ name: typeof a.name === 'string' ? a.name : '', address: typeof a.address === 'string' ? a.address : '' }));
}

export function toSummary(row: SummaryRow): MessageSummary {
  return {
    id: row.id,
    receivedAt: row.received_at.toISOString(),
    run: row.run,
    mailFrom: row.mail_from,
    rcptTo: row.rcpt_to,
    from: addressList(row.from_address)[0] ?? null,
    to: addressList(row.to_addresses),
    cc: addressList(row.cc_addresses),
    subject: row.subject,
    snippet: row.snippet || null,
    size: row.size,
    attachmentCount: row.attachment_count,
    read: row.read,
    parseState: row.parse_state,
  };
}

export const FACT_COLUMNS = `${SUMMARY_COLUMNS}, m."deletedAt" IS NOT NULL AS deleted, m.headers, m.text, m.html`;

export interface FactRow extends SummaryRow {
  deleted: boolean;
  headers: unknown;
  text: string | null;
  html: string | null;
}

export function headerList(value: unknown): { name: string; value: string }[] {
  if (!Array.isArray(value)) return [];
  return value
    .filter((h): h is { name: string; value: string } => typeof h?.name === 'string' && typeof h?.value === 'string')
    .map((h) => ({ name: h.name, value: h.value }));
}

export function toFacts(row: FactRow): MessageFacts {
  return {
    id: row.id,
    run: row.run,
    receivedAt: row.received_at,
    mailFrom: row.mail_from,
    rcptTo: row.rcpt_to,
    read: row.read,
    deleted: row.deleted,
    subject: row.subject,
    from: addressList(row.from_address),
    to: addressList(row.to_addresses),
    cc: addressList(row.cc_addresses),
    headers: headerList(row.headers),
    text: row.text,
    html: row.html,
    attachmentCount: row.attachment_count,
  };
}
