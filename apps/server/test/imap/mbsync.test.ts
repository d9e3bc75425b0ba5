// mbsync (isync) against Letterbox over IMAPS: a full sync of every folder into a fresh Maildir,
// a flag changed locally pushed back to the server, and a third sync that changes nothing on
// either side.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLetterbox } from '../../src/letterbox.ts';
import { createImapTestEnv, imapFlow, sendMail, storedRaw, testMessage, type ImapTestEnv } from './support/imap-letterbox.ts';

const exec = promisify(execFile);
const USER = 'mb@example.test';
const FOLDERS = ['INBOX', 'Sent', 'Drafts', 'Trash', 'Junk', 'Archive', 'Projects'];

let env: ImapTestEnv;
let node: RunningLetterbox;
let workDir: string;
let config: string;

beforeAll(async () => {
  env = await createImapTestEnv();
  node = await env.startNode();
  for (const n of [1, 2]) await sendMail(node, [USER], testMessage(n, USER));
  const client = imapFlow(node.imapPort, USER);
  await client.connect();
  await client.mailboxCreate('Projects');
  await client.append('Projects', testMessage(3, USER), ['\\Seen']);
  await client.append('Sent', testMessage(4, USER), ['\\Seen']);
  await client.logout();

  workDir = await mkdtemp(join(tmpdir(), 'letterbox-mbsync-'));
  config = join(workDir, 'mbsyncrc');
  await mkdir(join(workDir, 'mail'));
  await writeFile(
    config,
    [
      'IMAPAccount letterbox',
      'Host 127.0.0.1',
      `Port ${node.imapsPort}`,
      `User ${USER}`,
      'Pass secret',
      'SSLType IMAPS',
      // The self-signed certificate Letterbox generated: trusted as is, whatever the host name.
      `CertificateFile ${join(env.dataDir, 'tls-cert.pem')}`,
      '',
      'IMAPStore remote',
      'Account letterbox',
      '',
      'MaildirStore local',
      `Path ${join(workDir, 'mail')}/`,
      `Inbox ${join(workDir, 'mail', 'INBOX')}`,
      'SubFolders Verbatim',
      '',
      'Channel everything',
      'Far :remote:',
      'Near :local:',
      'Patterns *',
      'Create Both',
      'SyncState *',
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await env.close();
  await rm(workDir, { recursive: true, force: true });
});

async function mbsync(): Promise<void> {
  await exec('mbsync', ['-c', config, '-a', '-q']);
}

/** Every file of the Maildir: folder/cur|new/name -> content. */
async function localMail(): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const folder of FOLDERS) {
    for (const sub of ['cur', 'new']) {
      const dir = join(workDir, 'mail', folder, sub);
      for (const name of await readdir(dir).catch(() => [])) files.set(`${folder}/${sub}/${name}`, await readFile(join(dir, name)));
    }
  }
  return files;
}

async function serverState(): Promise<unknown[]> {
  const result = await env.db.query(
    `SELECT mb.name, mb."uidNext", mb."highestModseq"::text, mm.uid, mm.flags, mm."expungedModseq"::text
       FROM mailboxes mb JOIN accounts a ON a.id = mb."accountId" LEFT JOIN mailbox_messages mm ON mm."mailboxId" = mb.id
      WHERE a.address = $1 ORDER BY mb.name, mm.uid`,
    [USER],
  );
  return result.rows;
}

describe('mbsync against Letterbox', () => {
  it('syncs every folder with the stored octets, pushes a local flag change, then has nothing to do', async () => {
    await mbsync();
    const first = await localMail();
    const inFolder = (folder: string) => [...first.entries()].filter(([path]) => path.startsWith(`${folder}/`));
    expect(inFolder('INBOX')).toHaveLength(2);
    expect(inFolder('Projects')).toHaveLength(1);
    expect(inFolder('Sent')).toHaveLength(1);
    for (const folder of ['Drafts', 'Trash', 'Junk', 'Archive']) expect(await readdir(join(workDir, 'mail', folder, 'cur'))).toEqual([]);
    const expected = new Map([
      ['INBOX', ['interop-1@example.test', 'interop-2@example.test']],
      ['Projects', ['interop-3@example.test']],
      ['Sent', ['interop-4@example.test']],
    ]);
    for (const [folder, ids] of expected) {
      // mbsync adds an X-TUID header to every message it propagates (to find it again after an
      // interrupted sync); take it out again.
      const contents = inFolder(folder).map(([, content]) => Buffer.from(content.toString('latin1').replace(/^X-TUID: [^\n]*\n/m, ''), 'latin1'));
      for (const id of ids) {
        // mbsync stores Maildir files with LF line endings.
        const raw = Buffer.from((await storedRaw(env.db, id)).toString('latin1').replaceAll('\r\n', '\n'), 'latin1');
        expect(contents.some((c) => c.equals(raw))).toBe(true);
      }
    }

    // Flag UID 1 of INBOX locally (Maildir flag F = \Flagged), push it.
    const [path] = inFolder('INBOX').find(([p]) => /,U=1:2,/.test(p))!;
    const [folder, sub, name] = path.split('/') as [string, string, string];
    await rename(join(workDir, 'mail', folder, sub, name), join(workDir, 'mail', folder, 'cur', name.replace(/:2,([A-Z]*)$/, (_, f: string) => `:2,${[...new Set([...f, 'F'])].sort().join('')}`)));
    await mbsync();
    const flags = await env.db.query<{ flags: string[] }>(
      `SELECT mm.flags FROM mailbox_messages mm JOIN mailboxes mb ON mb.id = mm."mailboxId" JOIN accounts a ON a.id = mb."accountId"
        WHERE a.address = $1 AND mb.name = 'INBOX' AND mm.uid = 1`,
      [USER],
    );
    expect(flags.rows[0]!.flags).toContain('\\Flagged');

    const serverBefore = await serverState();
    const localBefore = await localMail();
    await mbsync();
    expect(await serverState()).toEqual(serverBefore);
    expect(await localMail()).toEqual(localBefore);
  });
});
