// What the fault-injection tests share: nodemailer against a test Letterbox, the fault-rules API,
// and what got stored.
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { CreateFaultRule, FaultRule } from '@letterbox/contracts';
import type { TestLetterbox } from '../smtp/support/test-letterbox.ts';

export interface SendOutcome {
  ok: boolean;
  info?: SMTPTransport.SentMessageInfo;
  error?: Error & { code?: string; responseCode?: number; response?: string; command?: string };
  elapsedMs: number;
}

/** One message through a fresh nodemailer connection: what the sending application sees. */
export async function send(server: TestLetterbox, mail: Mail.Options, auth?: { user: string; pass: string }, port = server.letterbox.smtpPort): Promise<SendOutcome> {
  const transport = nodemailer.createTransport({
    host: '127.0.0.1', port, secure: false, ignoreTLS: true, auth,
    // Generous: fault delays in these tests are a few hundred ms.
    connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 30_000,
  });
  const started = performance.now();
  try {
    const info = await transport.sendMail({ from: 'app@sender.test', subject: 'fault test', text: 'hello', ...mail });
    return { ok: true, info, elapsedMs: performance.now() - started };
  } catch (error) {
    return { ok: false, error: error as SendOutcome['error'], elapsedMs: performance.now() - started };
  } finally {
    transport.close();
  }
}

export async function countMessages(server: TestLetterbox): Promise<number> {
  const result = await server.db.query<{ n: number }>('SELECT count(*)::int AS n FROM messages');
  return result.rows[0]!.n;
}

export async function storedRecipients(server: TestLetterbox): Promise<string[][]> {
  const result = await server.db.query<{ rcptTo: string[] }>('SELECT "rcptTo" FROM messages ORDER BY id');
  return result.rows.map((r) => r.rcptTo);
}

export function apiBase(server: TestLetterbox, httpPort = server.letterbox.httpPort): string {
  return `http://127.0.0.1:${httpPort}/api/v1`;
}

export async function createRule(server: TestLetterbox, rule: CreateFaultRule, httpPort?: number): Promise<FaultRule> {
  const response = await fetch(`${apiBase(server, httpPort)}/fault-rules`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(rule),
  });
  if (response.status !== 201) throw new Error(`createRule: ${response.status} ${await response.text()}`);
  return (await response.json()) as FaultRule;
}

export async function clearRules(server: TestLetterbox): Promise<void> {
  const response = await fetch(`${apiBase(server)}/fault-rules`, { method: 'DELETE' });
  if (response.status !== 200) throw new Error(`clearRules: ${response.status}`);
}
