// Errors of the use cases, with a stable code that the HTTP layer maps to a status and the
// `{error: {code, message}}` envelope (codes and statuses: @letterbox/contracts errors.ts).
import type { ErrorCode } from '@letterbox/contracts';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

/** PostgreSQL's SQLSTATE for a regular expression it cannot compile. */
const INVALID_REGULAR_EXPRESSION = '2201B';

/** Turns PostgreSQL's refusal of a user-supplied regex into a 400; other errors pass through. */
export function asRegexError(error: unknown, pattern: string | undefined): unknown {
  if ((error as { code?: string }).code === INVALID_REGULAR_EXPRESSION) {
    return new AppError('invalid_regex', `subjectRegex: "${pattern ?? ''}" is not a valid regular expression: ${(error as Error).message}`);
  }
  return error;
}
