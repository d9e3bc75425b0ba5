// `{id}` in message paths: a message id, or `latest` = the newest message matching the filters.
import type { MessageFilter } from '@letterbox/contracts';
import { AppError } from '../app-error.ts';
import type { ParseDeps } from './ensure-parsed.ts';
import { findLatestMessage } from './find-messages.ts';

export const LATEST = 'latest';

/** The id of a live (not deleted) message, or message_not_found. */
export async function resolveMessageRef(deps: ParseDeps, ref: string, filter: MessageFilter): Promise<string> {
  if (ref === LATEST) {
    const latest = await findLatestMessage(deps, filter);
    if (!latest) throw new AppError('message_not_found', 'no message matches the filters');
    return latest.id;
  }
  const found = await deps.pool.query('SELECT 1 FROM messages WHERE id = $1::bigint AND "deletedAt" IS NULL', [ref]);
  if (found.rowCount === 0) throw new AppError('message_not_found', `no message with id ${ref}`);
  return ref;
}
