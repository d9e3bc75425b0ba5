// Copyable connection snippets for the settings page.
import type { WebInfo } from './web-info';

export interface Snippet {
  id: string;
  title: string;
  code: string;
}

export function connectionSnippets(info: WebInfo): Snippet[] {
  const api = `http://${info.host}:${info.httpPort}/api/v1`;
  return [
    {
      id: 'nodemailer',
      title: 'nodemailer',
      code: [
        "import nodemailer from 'nodemailer';",
        '',
        `const transport = nodemailer.createTransport({ host: '${info.host}', port: ${info.smtpPort}, secure: false });`,
        "await transport.sendMail({ from: 'app@example.test', to: 'user@example.test', subject: 'Hello', text: 'Hi!' });",
      ].join('\n'),
    },
    {
      id: 'curl-smtp',
      title: 'curl (send over SMTP)',
      code: `printf 'Subject: Hello\\r\\n\\r\\nHi!\\r\\n' | curl -s smtp://${info.host}:${info.smtpPort} --mail-from app@example.test --mail-rcpt user@example.test -T -`,
    },
    {
      id: 'curl-api',
      title: 'curl (read over the API)',
      code: `curl -s '${api}/messages/latest?to=user@example.test'\ncurl -s '${api}/messages/wait?to=user@example.test&timeout=10000'`,
    },
    {
      id: 'thunderbird',
      title: 'Thunderbird (manual account setup)',
      code: [
        `Incoming: IMAP, server ${info.host}, port ${info.imapPort}, STARTTLS (or ${info.imapsPort}, SSL/TLS), normal password`,
        'Username: the address whose mail you want, e.g. user@example.test; any password' + (info.imapAuth === 'open' ? '' : ' (as configured)'),
        `Outgoing: SMTP, server ${info.host}, port ${info.smtpPort}, no security, no authentication`,
        'Accept the self-signed certificate when asked.',
      ].join('\n'),
    },
  ];
}
