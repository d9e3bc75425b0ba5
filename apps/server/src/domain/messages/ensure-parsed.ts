// Parse on demand: mailparser runs after the 250, so a message read through the API right after
// delivery may still be pending. Reads that need parsed fields parse those messages first.
import type { MessageFilter } from '@letterbox/contracts';
import type pg from 'pg';
import type { Logger } from '../../logger.ts';
import { envelopePart, filterConditions, needsParsedFields, SqlParams } from './message-filter-sql.ts';
import { parseMessagesNow } from './parse-pending-messages.ts';

/**
 * Pending messages parsed before a filtered read. The newest ones are what a test waits for; an
 * older backlog (a load test in flight) is left to the background parser rather than making one
 * request parse thousands of messages.
 */
export const PARSE_ON_DEMAND_LIMIT = 200;

export interface ParseDeps {
  pool: pg.Pool;
  log: Logger;
}

/** Before a query on parsed fields: parse the newest pending messages its envelope part selects. */
export async function ensureParsedForFilter(deps: ParseDeps, filter: MessageFilter): Promise<void> {
  if (!needsParsedFields(filter)) return;
  const params = new SqlParams();
  const where = filterConditions(envelopePart(filter), params);
  const pending = await deps.pool.query<{ id: string }>(
    `SELECT m.id FROM messages m WHERE m."parseState" = 'pending' AND ${where.join(' AND ')}
      ORDER BY m.id DESC LIMIT ${params.add(PARSE_ON_DEMAND_LIMIT)}`,
    params.values,
  );
  await parseMessagesNow(deps.pool, deps.log, pending.rows.map((r) => r.id));
}

export async function ensureParsed(deps: ParseDeps, ids: readonly string[]): Promise<void> {
  await parseMessagesNow(deps.pool, deps.log, ids);
}
