// Deleting a run deletes its messages (through the API deletion path: IMAP sees EXPUNGE).
import { AppError } from '../app-error.ts';
import { deleteMessagesByFilter } from '../messages/delete-messages.ts';
import type { ParseDeps } from '../messages/ensure-parsed.ts';

export async function deleteRun(deps: ParseDeps, run: string): Promise<number> {
  const deleted = await deleteMessagesByFilter(deps, { run });
  if (deleted === 0) throw new AppError('run_not_found', `no messages in run ${JSON.stringify(run)}`);
  return deleted;
}
