// Test runs: every distinct `messages.run` with live messages, in name order.
import type { RunPage } from '@letterbox/contracts';
import type pg from 'pg';
import { SqlParams } from '../messages/message-filter-sql.ts';

export interface ListRunsOptions {
  limit: number;
  cursor?: string;
  /** --run-ttl; null = runs never expire. */
  runTtlMs: number | null;
}

export async function listRuns(pool: pg.Pool, options: ListRunsOptions): Promise<RunPage> {
  const params = new SqlParams();
  const where = ['run IS NOT NULL', '"deletedAt" IS NULL'];
  if (options.cursor !== undefined) where.push(`run > ${params.add(options.cursor)}`);
  const result = await pool.query<{ run: string; message_count: number; first: Date; last: Date }>(
    `SELECT run, count(*)::int AS message_count, min("receivedAt") AS first, max("receivedAt") AS last
       FROM messages WHERE ${where.join(' AND ')}
      GROUP BY run ORDER BY run LIMIT ${params.add(options.limit + 1)}`,
    params.values,
  );
  const hasMore = result.rows.length > options.limit;
  const page = result.rows.slice(0, options.limit);
  return {
    runs: page.map((r) => ({
      run: r.run,
      messageCount: r.message_count,
      firstReceivedAt: r.first.toISOString(),
      lastReceivedAt: r.last.toISOString(),
      expiresAt: options.runTtlMs === null ? null : new Date(r.last.getTime() + options.runTtlMs).toISOString(),
    })),
    nextCursor: hasMore ? page[page.length - 1]!.run : null,
  };
}
