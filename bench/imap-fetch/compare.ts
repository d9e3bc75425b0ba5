/**
 * Sanity check for the benchmark: both servers must answer the same FETCH with the same data.
 * Fetches `UID FETCH <range> (UID RFC822.SIZE ENVELOPE BODYSTRUCTURE)` from imap-core and Dovecot
 * over the generated mailbox and prints the responses that differ (FLAGS are left out: \Recent
 * differs by design between fresh servers).
 *
 *   pnpm exec tsx bench/imap-fetch/compare.ts [--count 2000] [--range 1:2000] [--maildir DIR]
 * (`--maildir`: an existing Maildir with a generated.json file list, e.g. hand-made edge cases)
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { generateMaildir } from './generate.ts';
import { startDovecot } from './dovecot.ts';
import { RawClient } from './client.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: string): string => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? dflt : args[i + 1]!;
};
const COUNT = Number(opt('count', '2000'));
const RANGE = opt('range', `1:${COUNT}`);
const ROOT = resolve(import.meta.dirname, '../..');
const WORK = join(ROOT, 'bench/.work/imap-fetch');
const MAILDIR = opt('maildir', '') || join(WORK, `maildir-${COUNT}`);

async function grab(port: number): Promise<string[]> {
  const { client } = await RawClient.open(port);
  await client.command('a1', 'LOGIN bench bench');
  await client.command('a2', 'EXAMINE INBOX');
  const r = await client.command('a3', `UID FETCH ${RANGE} (UID RFC822.SIZE ENVELOPE BODYSTRUCTURE)`, true);
  await client.command('a4', 'LOGOUT');
  client.close();
  // One string per response: join literal continuation lines.
  const out: string[] = [];
  for (const line of r.untagged) {
    if (/^\* \d+ FETCH /.test(line)) out.push(line);
    else out[out.length - 1] += line;
  }
  // Item order is free (RFC 3501 §7.4.2): compare items by name.
  return out.map((s) => s.replace(/\r\n$/, ''));
}

if (!opt('maildir', '')) generateMaildir(MAILDIR, COUNT);
const d = await startDovecot(WORK, MAILDIR, 14300);
const mem = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'memserver.ts'), MAILDIR, '14310'], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise<void>((res) => mem.stdout!.on('data', (b: Buffer) => b.toString().includes('READY') && res()));
try {
  const [a, b] = [await grab(14310), await grab(14300)];
  const norm = (s: string): string =>
    s
      .replace(/^\* \d+ FETCH \(/, '')
      .split(/ (?=UID |RFC822\.SIZE |ENVELOPE |BODYSTRUCTURE )/)
      .sort()
      .join(' ')
      .toUpperCase();
  let diffs = 0;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (norm(a[i] ?? '') !== norm(b[i] ?? '')) {
      if (diffs++ < Number(opt('show', '5'))) console.log(`imap-core: ${a[i]}\ndovecot:   ${b[i]}\n`);
    }
  }
  console.log(`${a.length} vs ${b.length} responses, ${diffs} differ (case-insensitive, item order ignored)`);
} finally {
  mem.kill('SIGTERM');
  await d.stop();
}
