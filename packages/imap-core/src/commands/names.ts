/** Mailbox-name rules shared by CREATE, RENAME and APPEND (IMAP.md §4: ≤ 1 024 octets, depth ≤ 16). */
import type { Connection } from '../connection.ts';
import { ImapError } from '../errors.ts';
import { DELIMITER } from './list.ts';

/** Validates a new mailbox name and strips one trailing delimiter (RFC 3501 §6.3.3). */
export function validateNewName(conn: Connection, name: string): string {
  const trimmed = name.endsWith(DELIMITER) ? name.slice(0, -1) : name;
  const segments = trimmed.split(DELIMITER);
  if (trimmed === '' || segments.some((s) => s === '')) throw ImapError.no('Invalid mailbox name', 'CANNOT');
  if (Buffer.byteLength(trimmed) > conn.limits.maxMailboxNameBytes) throw ImapError.no('Mailbox name too long', 'LIMIT');
  if (segments.length > conn.limits.maxMailboxDepth) throw ImapError.no('Mailbox hierarchy too deep', 'LIMIT');
  return trimmed;
}

/** Creates the missing ancestors of `name` (M16: CREATE makes missing parents). */
export async function createParents(conn: Connection, name: string): Promise<void> {
  const session = conn.backendSession;
  const existing = new Set((await session.listMailboxes()).map((m) => m.name));
  const segments = name.split(DELIMITER);
  for (let i = 1; i < segments.length; i++) {
    const parent = segments.slice(0, i).join(DELIMITER);
    if (!existing.has(parent)) await session.create(parent);
  }
}
