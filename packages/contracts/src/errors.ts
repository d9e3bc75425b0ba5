// The one error envelope of the HTTP API: `{"error": {"code", "message"}}` with a stable code and
// the matching HTTP status. `details` carries machine-readable extras for some codes.
import { z } from 'zod';

/** Every code the API answers with, and the HTTP status that goes with it. */
export const ERROR_STATUS = {
  /** A query, path or body parameter failed validation; the message names the field. */
  invalid_parameter: 400,
  /** `subjectRegex` is not a valid regular expression. */
  invalid_regex: 400,
  /** An API token is configured and the request did not carry it. */
  unauthorized: 401,
  message_not_found: 404,
  attachment_not_found: 404,
  /** The message has no such part (no HTML or no text body). */
  part_not_found: 404,
  run_not_found: 404,
  fault_rule_not_found: 404,
  route_not_found: 404,
  /** A wait ended without enough matching messages. */
  wait_timeout: 408,
  /** The database is unreachable or not migrated (readiness). */
  not_ready: 503,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export const errorCodeSchema = z.enum(Object.keys(ERROR_STATUS) as [ErrorCode, ...ErrorCode[]]);

export const errorBodySchema = z
  .object({
    error: z.object({
      code: errorCodeSchema,
      message: z.string(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  })
  .meta({
    id: 'Error',
    description: 'The error envelope every endpoint answers with on failure.',
    example: { error: { code: 'message_not_found', message: 'no message with id 42' } },
  });

export type ErrorBody = z.infer<typeof errorBodySchema>;
