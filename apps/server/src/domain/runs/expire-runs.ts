// Run TTL: a run whose newest message is older than --run-ttl is deleted (its messages expunged
// everywhere, like DELETE /api/v1/runs/{run}). Runs without a run id are untouched.
import type { ParseDeps } from '../messages/ensure-parsed.ts';
import { deleteMessagesByFilter } from '../messages/delete-messages.ts';

/** Runs expired per sweep: a sweep stays bounded when thousands of CI runs expire at once. */
const EXPIRE_BATCH = 100;
/** Between sweeps; a run outliving its TTL by a minute does no harm in a sandbox. */
export const RUN_EXPIRY_INTERVAL_MS = 60_000;

export async function expireRuns(deps: ParseDeps, ttlMs: number, now: Date = new Date()): Promise<string[]> {
  const expired = await deps.pool.query<{ run: string }>(
    `SELECT run FROM messages WHERE run IS NOT NULL AND "deletedAt" IS NULL
      GROUP BY run HAVING max("receivedAt") < $1::timestamptz ORDER BY run LIMIT $2`,
    [new Date(now.getTime() - ttlMs), EXPIRE_BATCH],
  );
  for (const { run } of expired.rows) await deleteMessagesByFilter(deps, { run });
  return expired.rows.map((r) => r.run);
}
