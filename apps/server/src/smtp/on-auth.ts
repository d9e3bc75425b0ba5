// SMTP AUTH (PLAIN, LOGIN, CRAM-MD5). Open mode accepts any credentials and records the username
// (it becomes the message's auth user and test run); required mode checks them against the
// configured list and answers 535 5.7.8 otherwise.
import { timingSafeEqual } from 'node:crypto';
import type { SMTPServerAuthentication, SMTPServerAuthenticationResponse, SMTPServerSession } from 'smtp-server';
import type { SmtpAuthMode, SmtpCredential } from '../config.ts';

export interface SmtpUser {
  username: string;
}

type AuthCallback = (err: Error | null | undefined, response?: SMTPServerAuthenticationResponse) => void;

export function onAuth(options: { mode: SmtpAuthMode; credentials: readonly SmtpCredential[] }) {
  return (auth: SMTPServerAuthentication, _session: SMTPServerSession, callback: AuthCallback): void => {
    const username = auth.username ?? '';
    if (options.mode === 'open') {
      callback(null, { user: { username } satisfies SmtpUser });
      return;
    }
    const credential = options.credentials.find((c) => c.username === username);
    const valid =
      credential !== undefined &&
      (auth.method === 'CRAM-MD5' ? auth.validatePassword(credential.password) : samePassword(auth.password ?? '', credential.password));
    if (!valid) {
      callback(Object.assign(new Error('Authentication credentials invalid'), { responseCode: 535 }));
      return;
    }
    callback(null, { user: { username } satisfies SmtpUser });
  };
}

function samePassword(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
