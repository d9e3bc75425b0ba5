// Messages matching a filter, newest first, one bounded page at a time (keyset on id: a page
// costs the same at 1,000,000 messages as at 10).
import type { MessageFilter, MessagePage, MessageSummary } from '@letterbox/contracts';
import { asRegexError } from '../app-error.ts';
import { ensureParsed, ensureParsedForFilter, type ParseDeps } from './ensure-parsed.ts';
import { filterConditions, SqlParams } from './message-filter-sql.ts';
import { SUMMARY_COLUMNS, toSummary, type SummaryRow } from './message-rows.ts';

export interface FindMessagesOptions {
  filter: MessageFilter;
  limit: number;
  /** Only messages with a smaller id (the previous page's nextCursor). */
  cursor?: string;
}

export async function findMessages(deps: ParseDeps, options: FindMessagesOptions): Promise<MessagePage> {
  await ensureParsedForFilter(deps, options.filter);
  let rows = await queryPage(deps, options);
  // Summaries show subject and addresses: parse the page's pending messages and read it again.
  const pending = rows.filter((r) => r.parse_state === 'pending').map((r) => r.id);
  if (pending.length > 0) {
    await ensureParsed(deps, pending);
    rows = await queryPage(deps, options);
  }
  const hasMore = rows.length > options.limit;
  const page = rows.slice(0, options.limit);
  return { messages: page.map(toSummary), nextCursor: hasMore ? page[page.length - 1]!.id : null };
}

async function queryPage(deps: ParseDeps, options: FindMessagesOptions): Promise<SummaryRow[]> {
  const params = new SqlParams();
  const where = filterConditions(options.filter, params);
  if (options.cursor !== undefined) where.push(`m.id < ${params.add(options.cursor)}::bigint`);
  try {
    // One extra row tells whether there is a next page.
    const result = await deps.pool.query<SummaryRow>(
      `SELECT ${SUMMARY_COLUMNS} FROM messages m WHERE ${where.join(' AND ')} ORDER BY m.id DESC LIMIT ${params.add(options.limit + 1)}`,
      params.values,
    );
    return result.rows;
  } catch (error) {
    throw asRegexError(error, options.filter.subjectRegex);
  }
}

/** The newest message matching the filter (the `latest` alias), or null. */
export async function findLatestMessage(deps: ParseDeps, filter: MessageFilter): Promise<MessageSummary | null> {
  const page = await findMessages(deps, { filter, limit: 1 });
  return page.messages[0] ?? null;
}

/** Summaries of these messages, newest first (deleted ones left out). */
export async function summariesByIds(deps: ParseDeps, ids: readonly string[]): Promise<MessageSummary[]> {
  if (ids.length === 0) return [];
  const result = await deps.pool.query<SummaryRow>(
    `SELECT ${SUMMARY_COLUMNS} FROM messages m WHERE m.id = ANY($1::bigint[]) AND m."deletedAt" IS NULL ORDER BY m.id DESC`,
    [ids],
  );
  return result.rows.map(toSummary);
}
