import type { ErrorBody, ErrorCode, MessageSummary } from '@letterbox/contracts';

/** An error answer of the API: `status`, the stable `code` and the server's message. */
export class LetterboxApiError extends Error {
  override name = 'LetterboxApiError';
  constructor(
    readonly status: number,
    readonly code: ErrorCode | 'network_error' | 'unexpected_response',
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }

  static fromBody(status: number, body: unknown): LetterboxApiError {
    const error = (body as Partial<ErrorBody> | null)?.error;
    if (error && typeof error.code === 'string' && typeof error.message === 'string') {
      return new LetterboxApiError(status, error.code, error.message, error.details);
    }
    return new LetterboxApiError(status, 'unexpected_response', `HTTP ${status}: ${JSON.stringify(body)?.slice(0, 200)}`);
  }
}

/** A wait ended without enough matching messages; says what it waited for and what did arrive. */
export class LetterboxTimeoutError extends LetterboxApiError {
  override name = 'LetterboxTimeoutError';
  constructor(
    message: string,
    /** How many messages matched (fewer than asked for). */
    readonly matched: number,
    /** The run's newest messages (wait scoped to a run), else those delivered during the wait. */
    readonly arrived: MessageSummary[],
  ) {
    super(408, 'wait_timeout', message, { matched });
  }
}
