// The MessageFilter evaluated in JavaScript on one message's facts: how the wait hub decides which
// waiters a new message satisfies without a query per waiter. Same meaning as
// message-filter-sql.ts (one table of cases tests both).
import type { Address, MessageFilter } from '@letterbox/contracts';
import { accountAddress } from './account-address.ts';
import { headerFilters } from './message-filter-sql.ts';

export interface MessageFacts {
  id: string;
  run: string | null;
  receivedAt: Date;
  mailFrom: string;
  rcptTo: string[];
  read: boolean;
  deleted: boolean;
  subject: string | null;
  from: Address[];
  to: Address[];
  cc: Address[];
  headers: { name: string; value: string }[];
  text: string | null;
  html: string | null;
  attachmentCount: number;
}

const lower = (s: string) => s.toLowerCase();
const hasAddress = (list: Address[], address: string) => list.some((a) => lower(a.address) === lower(address));
const contains = (haystack: string | null, needle: string) => haystack !== null && lower(haystack).includes(lower(needle));

/** Compiled once per waiter: `subjectRegex` is checked when the filter is accepted. */
export function compileSubjectRegex(filter: MessageFilter): RegExp | null {
  return filter.subjectRegex === undefined ? null : new RegExp(filter.subjectRegex, 'i');
}

export function matchesFilter(m: MessageFacts, filter: MessageFilter, subjectRegex: RegExp | null = compileSubjectRegex(filter)): boolean {
  if (m.deleted) return false;
  if (filter.run !== undefined && m.run !== filter.run) return false;
  if (filter.since !== undefined && m.receivedAt.getTime() < Date.parse(filter.since)) return false;
  if (filter.before !== undefined && m.receivedAt.getTime() >= Date.parse(filter.before)) return false;
  if (filter.read !== undefined && m.read !== filter.read) return false;
  const recipients = m.rcptTo.map(accountAddress);
  if (filter.recipient !== undefined && !recipients.includes(accountAddress(filter.recipient))) return false;
  if (filter.to !== undefined && !hasAddress(m.to, filter.to)) return false;
  if (filter.cc !== undefined && !hasAddress(m.cc, filter.cc)) return false;
  if (filter.bcc !== undefined) {
    if (!recipients.includes(accountAddress(filter.bcc)) || hasAddress(m.to, filter.bcc) || hasAddress(m.cc, filter.bcc)) return false;
  }
  if (filter.from !== undefined && lower(m.mailFrom) !== lower(filter.from) && !hasAddress(m.from, filter.from)) return false;
  if (filter.subject !== undefined && !contains(m.subject, filter.subject)) return false;
  if (subjectRegex !== null && (m.subject === null || !subjectRegex.test(m.subject))) return false;
  if (filter.text !== undefined && !contains(m.text, filter.text)) return false;
  if (filter.html !== undefined && !contains(m.html, filter.html)) return false;
  for (const header of headerFilters(filter)) {
    const found = m.headers.some((h) => lower(h.name) === lower(header.name) && (header.value === null || h.value.trim() === header.value));
    if (!found) return false;
  }
  if (filter.hasAttachment !== undefined && m.attachmentCount > 0 !== filter.hasAttachment) return false;
  return true;
}
