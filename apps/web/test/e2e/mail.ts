// Sends test mail over SMTP with nodemailer, to addresses unique per test.
import { randomBytes } from 'node:crypto';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { inject } from 'vitest';

export function uniqueAddress(label: string): string {
  return `${label}-${randomBytes(4).toString('hex')}@e2e.test`;
}

export async function send(message: Mail.Options, smtpPort: number = inject('letterbox').smtpPort): Promise<void> {
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: smtpPort, secure: false, ignoreTLS: true });
  try {
    await transport.sendMail({ from: 'Sender <sender@e2e.test>', ...message });
  } finally {
    transport.close();
  }
}

export const baseUrl = (): string => inject('letterbox').baseUrl;

/** The newest message to an address, through the API (for ids). */
export async function latestId(to: string): Promise<string> {
  const response = await fetch(`${baseUrl()}/api/v1/messages/latest?recipient=${encodeURIComponent(to)}`);
  if (!response.ok) throw new Error(`latest for ${to}: ${response.status}`);
  return ((await response.json()) as { id: string }).id;
}
