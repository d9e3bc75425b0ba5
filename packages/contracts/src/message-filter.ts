// The message filters, as query parameters of list, latest, wait and delete. Every filter given
// must match (AND). Address filters compare whole addresses, case-insensitively; text filters
// are case-insensitive substrings.
import { z } from 'zod';
import { booleanParam, runSchema, timestampSchema } from './common.ts';

/** Longest filter value accepted: addresses and search words, not documents. */
export const MAX_FILTER_LENGTH = 1_000;
/** A regex this long is a mistake or an attack (PostgreSQL compiles it per query). */
export const MAX_REGEX_LENGTH = 300;

const address = z.string().min(1).max(320);
const contains = z.string().min(1).max(MAX_FILTER_LENGTH);

/** `Name:value` (header present with exactly that value, trimmed) or `Name` (header present). */
const headerFilter = z
  .string()
  .min(1)
  .max(MAX_FILTER_LENGTH)
  .regex(/^[!-9;-~]+(:.*)?$/, 'must be Name or Name:value');

export const messageFilterShape = {
  to: address.optional().meta({ description: 'An address in the To header.', example: 'bob@example.test' }),
  cc: address.optional().meta({ description: 'An address in the Cc header.' }),
  bcc: address.optional().meta({ description: 'An envelope recipient (RCPT TO) that is in neither To nor Cc.' }),
  recipient: address
    .optional()
    .meta({ description: 'Any envelope recipient (RCPT TO): To, Cc and Bcc alike. This is the inbox the message is in.' }),
  from: address.optional().meta({ description: 'The From header address or the envelope sender (MAIL FROM).' }),
  subject: contains.optional().meta({ description: 'Subject contains this (case-insensitive).', example: 'Welcome' }),
  subjectRegex: z
    .string()
    .min(1)
    .max(MAX_REGEX_LENGTH)
    .optional()
    .meta({ description: 'Subject matches this regular expression, case-insensitive (PostgreSQL ARE syntax; the common subset of JavaScript syntax works).', example: '^Your code' }),
  text: contains.optional().meta({ description: 'The plain-text body contains this (case-insensitive).' }),
  html: contains.optional().meta({ description: 'The HTML body contains this (case-insensitive).' }),
  header: z
    .union([headerFilter, z.array(headerFilter).max(10)])
    .optional()
    .meta({ description: 'Name:value (a header with exactly this value) or Name (header present); repeat for several.', example: 'X-Campaign:welcome' }),
  since: timestampSchema.optional().meta({ description: 'Received at or after this instant (ISO 8601).' }),
  before: timestampSchema.optional().meta({ description: 'Received strictly before this instant (ISO 8601).' }),
  hasAttachment: booleanParam.optional().meta({ description: 'true: only messages with attachments; false: only without.' }),
  read: booleanParam.optional().meta({ description: 'true: only read messages; false: only unread.' }),
  run: runSchema.optional().meta({ description: 'Only messages of this test run.', example: 'ci-1234' }),
};

export const messageFilterSchema = z.object(messageFilterShape);

/** Filters as the server sees them after parsing (booleans as booleans). */
export type MessageFilter = z.output<typeof messageFilterSchema>;
export const MESSAGE_FILTER_KEYS = Object.keys(messageFilterShape) as (keyof MessageFilter)[];
