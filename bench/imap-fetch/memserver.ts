/**
 * The imap-core side of the benchmark, run as its own process so its RSS is its own: loads the
 * generated Maildir (same files, same order as Dovecot sees) into the in-memory reference backend
 * and serves it on 127.0.0.1:<port> with plaintext auth. Prints READY when listening.
 *
 *   node --import tsx bench/imap-fetch/memserver.ts <maildir> <port>
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ImapServer } from '../../packages/imap-core/src/index.ts';
import { createMemoryBackend, type MemoryMessageInit } from '../../packages/imap-core/src/testing/index.ts';

const [maildir, portArg] = process.argv.slice(2);
if (!maildir || !portArg) throw new Error('usage: memserver.ts <maildir> <port>');
const { files } = JSON.parse(readFileSync(join(maildir, 'generated.json'), 'utf8')) as { files: string[] };
const received = new Date(Date.UTC(2025, 5, 2, 10, 0, 5));
const messages: MemoryMessageInit[] = files.map((f) => ({ raw: readFileSync(join(maildir, 'cur', f)), internalDate: received }));
const backend = createMemoryBackend({
  users: { bench: { password: 'bench', mailboxes: { INBOX: { messages } } } },
  uidValidityStart: 1700000000,
});
const server = new ImapServer({ backend, allowInsecureAuth: true, logger: { error: (m, e) => console.error(m, e) } });
await server.listen(Number(portArg), '127.0.0.1');
messages.length = 0;
globalThis.gc?.();
process.stdout.write('READY\n');
const stop = (): void => void server.close().then(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
