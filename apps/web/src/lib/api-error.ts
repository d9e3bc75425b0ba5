/** A non-2xx answer of the HTTP API, with its `{"error": {"code", "message"}}` envelope. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export async function apiErrorFrom(response: Response): Promise<ApiError> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
    return new ApiError(response.status, body.error?.code ?? 'unknown', body.error?.message ?? text);
  } catch {
    return new ApiError(response.status, 'unknown', text.slice(0, 200) || response.statusText);
  }
}
