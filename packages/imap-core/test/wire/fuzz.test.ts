import fc from 'fast-check';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../../src/testing/transcript.ts';
import { fixtureServer } from '../helpers/fixture.ts';

let server: TestServer;
const logged: unknown[] = [];

beforeAll(async () => {
  ({ server } = await fixtureServer({ limits: { authFailureDelayMs: 1, idleKeepaliveMs: 50 }, logger: { error: (_m, e) => void logged.push(e) } }));
});
afterAll(async () => server.close());

/** Writes `bytes`, half-closes, and resolves with what the server sent once it closes (bounded in time). */
function session(bytes: Uint8Array, timeoutMs = 4000): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port: server.port, host: '127.0.0.1' });
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('server did not close the connection in time'));
    }, timeoutMs);
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks));
    });
    socket.on('connect', () => {
      socket.write(bytes);
      socket.end();
    });
  });
}

const TOKENS = [
  'a1 ', 'LOGIN ', 't@sandbox.test pw', 'SELECT INBOX', 'EXAMINE Junk', 'FETCH ', 'UID ', 'STORE ', '+FLAGS ', '(\\Seen)', '1:*', '*', '3:1',
  'BODY[', 'BODY.PEEK[', ']', '<0.5>', 'HEADER.FIELDS (From)', '1.2.MIME', 'SEARCH ', 'OR ', 'NOT ', 'CHARSET ', 'UTF-8 ', 'TEXT ',
  'IDLE', 'DONE', 'APPEND INBOX ', 'LIST "" "*"', 'STATUS INBOX (MESSAGES)', 'AUTHENTICATE PLAIN', 'AHRAc2FuZGJveC50ZXN0AHB3',
  '{5}\r\n', '{3+}\r\n', '{0}\r\n', '{4294967295}\r\n', '(', ')', '"', '\\', ' ', '\r\n', '\n', '\r', 'é', '\0', '%', 'MOVE 1 Trash',
  'EXPUNGE', 'COPY 1:2 Archive', 'CREATE "&Jjo-"', 'RENAME a b', 'ID NIL', 'ENABLE X', 'CLOSE', 'NOOP', 'LOGOUT', '23.34 ',
];

const imapish = fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((t) => Buffer.from(t.join(''), 'utf8'));

describe('fuzzing a live connection', () => {
  it('never crashes or hangs on arbitrary bytes', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 600 }), async (bytes) => {
        await session(bytes);
      }),
      { numRuns: 60 },
    );
  });

  it('never crashes or hangs on IMAP-shaped garbage, before and after login', async () => {
    await fc.assert(
      fc.asyncProperty(imapish, fc.boolean(), async (bytes, authenticate) => {
        const prefix = authenticate ? Buffer.from('L1 LOGIN t@sandbox.test pw\r\nL2 SELECT INBOX\r\n') : Buffer.alloc(0);
        const out = await session(Buffer.concat([prefix, bytes]));
        expect(out.toString('latin1')).toMatch(/^\* OK /);
      }),
      { numRuns: 120 },
    );
  });

  it('still serves new clients afterwards, and no command hit an internal error', async () => {
    const out = await session(Buffer.from('a1 LOGIN t@sandbox.test pw\r\na2 SELECT INBOX\r\na3 LOGOUT\r\n'));
    expect(out.toString()).toMatch(/a3 OK/);
    expect(logged).toEqual([]);
  });
});
