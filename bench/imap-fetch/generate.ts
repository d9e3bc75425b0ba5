/**
 * Generates the benchmark mailbox: N realistic small messages (about 1–6 KB; plain, alternative, a few
 * with an attachment; RFC 2047 subjects and names, Cc, In-Reply-To) as canonical CRLF files in a
 * Maildir that both servers load: Dovecot reads it directly, the imap-core memory server APPENDs
 * the same files in the same order. Deterministic (seeded), and skipped when already generated.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A small deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'the of and to in is that for it as was with be by on not he this are or his from at which but have an they ' +
  'you were her she there would their we him been has when who will more no if out so said what up its about ' +
  'into than them can only other new some could time these two may then do first any my now such like our over ' +
  'invoice order shipping account password reset confirm welcome newsletter meeting project report update team'
).split(' ');
const FIRST = ['Alice', 'Bob', 'Carol', 'Dave', 'Eve', 'Frank', 'Grace', 'Heidi', 'Ivan', 'Judy', 'Mallory', 'Niaj'];
const LAST = ['Smith', 'Jones', 'Müller', 'García', 'Dubois', 'Rossi', 'Nowak', 'Svensson', 'Ødegaard', 'Kim'];
const DOMAINS = ['example.com', 'example.org', 'shop.example.net', 'mail.example.io', 'sandbox.test'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function encodeWord(s: string): string {
  return /[^\x20-\x7e]/.test(s) ? `=?UTF-8?B?${Buffer.from(s).toString('base64')}?=` : s;
}

export function makeMessage(i: number): Buffer {
  const r = rng(i * 7919 + 17);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const words = (n: number): string => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const person = (): string => {
    const f = pick(FIRST);
    const l = pick(LAST);
    const addr = `${f.toLowerCase()}.${l.toLowerCase().normalize('NFD').replace(/[^a-z]/g, '')}@${pick(DOMAINS)}`;
    return `"${encodeWord(`${f} ${l}`)}" <${addr}>`;
  };
  const date = new Date(Date.UTC(2025, 0, 1) + i * 300_000);
  const dateStr = `${DAYS[date.getUTCDay()]}, ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()} ${date.toISOString().slice(11, 19)} +0000`;
  let subject = words(3 + Math.floor(r() * 6));
  subject = subject[0]!.toUpperCase() + subject.slice(1);
  if (r() < 0.15) subject = encodeWord(subject + ' – Ünïcödé');
  const headers = [
    `Return-Path: <bounce-${i}@${pick(DOMAINS)}>`,
    `Received: from mx${i % 7}.example.net (mx${i % 7}.example.net [192.0.2.${i % 250}])`,
    `\tby sandbox.test with ESMTP id ${i.toString(36)}; ${dateStr}`,
    `From: ${person()}`,
    `To: ${person()}`,
  ];
  if (r() < 0.3) headers.push(`Cc: ${person()}, ${person()}`);
  headers.push(`Subject: ${subject}`, `Date: ${dateStr}`, `Message-ID: <${i}.${Math.floor(r() * 1e9)}@bench.example>`);
  if (r() < 0.3) headers.push(`In-Reply-To: <${Math.max(0, i - 1)}.reply@bench.example>`);
  headers.push('MIME-Version: 1.0');
  const paragraphs = (n: number): string[] => Array.from({ length: n }, () => wrap(words(30 + Math.floor(r() * 60))));
  const kind = r();
  let body: string[];
  if (kind < 0.5) {
    headers.push('Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 7bit');
    body = paragraphs(3 + Math.floor(r() * 7));
  } else {
    const b = `=_alt_${i}`;
    const text = paragraphs(2 + Math.floor(r() * 4));
    const inner = [
      `--${b}`,
      'Content-Type: text/plain; charset=utf-8',
      '',
      ...text,
      `--${b}`,
      'Content-Type: text/html; charset=utf-8',
      '',
      '<html><body>',
      ...text.map((p) => `<p>${p}</p>`),
      '</body></html>',
      `--${b}--`,
    ];
    if (kind < 0.9) {
      headers.push(`Content-Type: multipart/alternative; boundary="${b}"`);
      body = inner;
    } else {
      const m = `=_mix_${i}`;
      headers.push(`Content-Type: multipart/mixed; boundary="${m}"`);
      const attachment = Buffer.from(words(100)).toString('base64').match(/.{1,76}/g)!;
      body = [
        `--${m}`,
        `Content-Type: multipart/alternative; boundary="${b}"`,
        '',
        ...inner,
        `--${m}`,
        'Content-Type: application/pdf; name="invoice.pdf"',
        'Content-Disposition: attachment; filename="invoice.pdf"',
        'Content-Transfer-Encoding: base64',
        '',
        ...attachment,
        `--${m}--`,
      ];
    }
  }
  return Buffer.from([...headers, '', ...body, ''].join('\r\n'));
}

function wrap(s: string): string {
  return s.replace(/(.{1,72})(\s|$)/g, '$1\r\n').trimEnd();
}

/** Writes N messages to `<dir>/cur` (Maildir) unless a matching marker says it is already there. */
export function generateMaildir(dir: string, count: number): { files: string[]; bytes: number } {
  const marker = join(dir, 'generated.json');
  if (existsSync(marker)) {
    const m = JSON.parse(readFileSync(marker, 'utf8')) as { count: number; files: string[]; bytes: number };
    if (m.count === count) return m;
  }
  rmSync(dir, { recursive: true, force: true });
  for (const d of ['cur', 'new', 'tmp']) mkdirSync(join(dir, d), { recursive: true });
  const files: string[] = [];
  let bytes = 0;
  const base = 1735689600; // 2025-01-01, maildir names sort in message order
  for (let i = 0; i < count; i++) {
    const msg = makeMessage(i);
    // S= and W= let Dovecot skip reading the file for RFC822.SIZE (the file is CRLF already).
    const name = `${base + i}.M${i}P1.bench,S=${msg.length},W=${msg.length}:2,`;
    writeFileSync(join(dir, 'cur', name), msg);
    files.push(name);
    bytes += msg.length;
  }
  writeFileSync(marker, JSON.stringify({ count, files, bytes }));
  return { files, bytes };
}
