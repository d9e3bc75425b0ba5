import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { inject } from 'vitest';

const transport = () => nodemailer.createTransport({ host: '127.0.0.1', port: inject('letterbox').smtpPort, secure: false, ignoreTLS: true });

/** Sends through real SMTP; resolves after the 250 with the stored message id. */
export async function send(mail: Mail.Options): Promise<string> {
  const t = transport();
  try {
    const info = await t.sendMail({ from: 'app@example.test', ...mail });
    return /stored as (\d+)/.exec(info.response)![1]!;
  } finally {
    t.close();
  }
}

/** A name no other test uses, so tests sharing one server never see each other's mail. */
export function unique(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
}
