import { z } from 'zod';
import { addressSchema, idSchema, limitParam, runSchema, timestampSchema } from './common.ts';
import { messageFilterShape } from './message-filter.ts';

export const parseStateSchema = z.enum(['pending', 'parsed', 'failed']).meta({
  description: 'pending: stored, MIME not parsed yet (the API parses on demand); failed: did not parse, raw still available.',
});

/** Longest snippet (the start of the text body) in list items. */
export const SNIPPET_LENGTH = 160;

const EXAMPLE_SUMMARY = {
  id: '42',
  receivedAt: '2026-11-22T03:00:00.000Z',
  run: 'ci-1234',
  mailFrom: 'noreply@app.test',
  rcptTo: ['bob+run-ci-1234@example.test'],
  from: { name: 'App', address: 'noreply@app.test' },
  to: [{ name: 'Bob', address: 'bob+run-ci-1234@example.test' }],
  cc: [],
  subject: 'Your verification code is 483920',
  snippet: 'Your code: 483920 Or open https://app.test/verify?t=abc',
  size: 2048,
  attachmentCount: 0,
  read: false,
  parseState: 'parsed' as const,
};

const EXAMPLE_MESSAGE = {
  ...EXAMPLE_SUMMARY,
  bcc: [],
  replyTo: [],
  date: '2026-11-22T03:00:00.000Z',
  messageId: '<a1b2@app.test>',
  inReplyTo: null,
  references: [],
  headers: [{ name: 'Subject', value: 'Your verification code is 483920' }],
  text: 'Your code: 483920\nOr open https://app.test/verify?t=abc',
  html: '<p>Your code: <b>483920</b></p><a href="https://app.test/verify?t=abc">Verify your email</a>',
  attachments: [],
  parseError: null,
  smtp: { mailFrom: 'noreply@app.test', rcptTo: ['bob+run-ci-1234@example.test'], authUser: null, clientAddress: '127.0.0.1', heloName: 'app.test', tls: false },
  links: [
    { href: 'https://app.test/verify?t=abc', text: 'Verify your email', source: 'html' as const },
    { href: 'https://app.test/verify?t=abc', text: 'https://app.test/verify?t=abc', source: 'text' as const },
  ],
  codes: [{ code: '483920', source: 'subject' as const }],
  unsubscribe: { targets: [], oneClick: false },
};

export const messageSummarySchema = z
  .object({
    id: idSchema,
    receivedAt: timestampSchema,
    run: runSchema.nullable(),
    mailFrom: z.string().meta({ description: 'Envelope sender (MAIL FROM).' }),
    rcptTo: z.array(z.string()).meta({ description: 'Envelope recipients (RCPT TO), Bcc included.' }),
    from: addressSchema.nullable(),
    to: z.array(addressSchema),
    cc: z.array(addressSchema),
    subject: z.string().nullable(),
    snippet: z.string().nullable().meta({
      description: `The start of the plain-text body, whitespace collapsed, at most ${SNIPPET_LENGTH} characters; null before parsing or without a text body.`,
    }),
    size: z.number().int(),
    attachmentCount: z.number().int(),
    read: z.boolean(),
    parseState: parseStateSchema,
  })
  .meta({ id: 'MessageSummary', description: 'A message without its bodies (list items).', example: EXAMPLE_SUMMARY });
export type MessageSummary = z.infer<typeof messageSummarySchema>;

export const attachmentSchema = z
  .object({
    id: idSchema,
    filename: z.string().nullable(),
    contentType: z.string(),
    size: z.number().int(),
    contentId: z.string().nullable(),
    disposition: z.string().nullable(),
  })
  .meta({ id: 'Attachment' });
export type Attachment = z.infer<typeof attachmentSchema>;

export const linkSchema = z
  .object({
    href: z.string(),
    text: z.string().meta({ description: 'Link text (HTML anchors) or the URL itself (plain text).' }),
    source: z.enum(['html', 'text']),
  })
  .meta({ id: 'Link', example: { href: 'https://app.test/verify?t=abc', text: 'Verify your email', source: 'html' } });
export type Link = z.infer<typeof linkSchema>;

export const codeSchema = z
  .object({ code: z.string(), source: z.enum(['subject', 'text', 'html']) })
  .meta({ id: 'OneTimeCode', example: { code: '483920', source: 'text' } });
export type OneTimeCode = z.infer<typeof codeSchema>;

export const unsubscribeSchema = z
  .object({
    targets: z.array(z.object({ kind: z.enum(['mailto', 'http']), url: z.string() })),
    oneClick: z.boolean().meta({ description: 'List-Unsubscribe-Post: List-Unsubscribe=One-Click is present (RFC 8058).' }),
  })
  .meta({ id: 'Unsubscribe' });
export type Unsubscribe = z.infer<typeof unsubscribeSchema>;

export const messageDetailSchema = messageSummarySchema
  .extend({
    bcc: z.array(addressSchema).meta({ description: 'Envelope recipients in neither To nor Cc.' }),
    replyTo: z.array(addressSchema),
    date: timestampSchema.nullable().meta({ description: 'The Date header.' }),
    messageId: z.string().nullable(),
    inReplyTo: z.string().nullable(),
    references: z.array(z.string()),
    headers: z.array(z.object({ name: z.string(), value: z.string() })),
    text: z.string().nullable(),
    html: z.string().nullable(),
    attachments: z.array(attachmentSchema),
    parseError: z.string().nullable(),
    smtp: z.object({
      mailFrom: z.string(),
      rcptTo: z.array(z.string()),
      authUser: z.string().nullable(),
      clientAddress: z.string().nullable(),
      heloName: z.string().nullable(),
      tls: z.boolean(),
    }),
    links: z.array(linkSchema),
    codes: z.array(codeSchema),
    unsubscribe: unsubscribeSchema,
  })
  .meta({ id: 'Message', description: 'One message with its bodies, attachments list and derived data.', example: EXAMPLE_MESSAGE });
export type Message = z.infer<typeof messageDetailSchema>;

export const listMessagesQuerySchema = z.object({
  ...messageFilterShape,
  limit: limitParam,
  cursor: idSchema.optional().meta({ description: 'nextCursor of the previous page.' }),
});

export const messagePageSchema = z
  .object({
    messages: z.array(messageSummarySchema),
    nextCursor: idSchema.nullable().meta({ description: 'Pass as cursor for the next (older) page; null on the last page.' }),
  })
  .meta({ id: 'MessagePage', example: { messages: [EXAMPLE_SUMMARY], nextCursor: '42' } });
export type MessagePage = z.infer<typeof messagePageSchema>;

/** Default and ceiling of a wait; the server's ceiling is configurable (--api-max-wait). */
export const DEFAULT_WAIT_TIMEOUT_MS = 30_000;
export const MAX_WAIT_COUNT = 100;

export const waitQuerySchema = z.object({
  ...messageFilterShape,
  timeout: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .meta({ description: `Milliseconds to wait (default ${DEFAULT_WAIT_TIMEOUT_MS}, or the server's --api-max-wait if lower); at most --api-max-wait.` }),
  count: z.coerce
    .number()
    .int()
    .min(1)
    .max(MAX_WAIT_COUNT)
    .default(1)
    .meta({ description: `Wait until at least this many messages match (1-${MAX_WAIT_COUNT}).` }),
});

export const waitResultSchema = z
  .object({
    messages: z.array(messageSummarySchema).meta({ description: 'The newest `count` matching messages, newest first.' }),
  })
  .meta({ id: 'WaitResult', example: { messages: [EXAMPLE_SUMMARY] } });
export type WaitResult = z.infer<typeof waitResultSchema>;

/** `{id}` in message paths: a message id or `latest` (the newest message matching the query's filters). */
export const messageRefSchema = z.union([idSchema, z.literal('latest')]).meta({ example: 'latest' });
export const messagePathSchema = z.object({ id: messageRefSchema });
export const attachmentPathSchema = z.object({ id: messageRefSchema, attachmentId: idSchema });

export const patchMessageBodySchema = z
  .object({ read: z.boolean() })
  .meta({ id: 'MessagePatch', example: { read: true } });

export const deleteResultSchema = z
  .object({ deleted: z.number().int() })
  .meta({ id: 'DeleteResult', example: { deleted: 3 } });
export type DeleteResult = z.infer<typeof deleteResultSchema>;
