// fetch with the token, JSON decoding and the error envelope turned into LetterboxApiError.
import { LetterboxApiError } from './errors.ts';

export interface ClientOptions {
  /** Where Letterbox's HTTP port is, e.g. http://127.0.0.1:8025 */
  baseUrl: string;
  /** The server's --api-token, when it has one. */
  token?: string;
  /** A fetch implementation (defaults to the global one). */
  fetch?: typeof fetch;
}

export class Transport {
  private readonly baseUrl: string;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.fetchImpl = options.fetch ?? globalThis.fetch;
  }

  async request(method: string, path: string, init: { body?: unknown; signal?: AbortSignal } = {}): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await this.fetchImpl(this.baseUrl + path, {
        method,
        headers,
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: init.signal,
      });
    } catch (error) {
      throw new LetterboxApiError(0, 'network_error', `${method} ${this.baseUrl}${path}: ${(error as Error).message}`);
    }
    if (!response.ok) {
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: reported as is
      }
      throw LetterboxApiError.fromBody(response.status, body);
    }
    return response;
  }

  async json<T>(method: string, path: string, init: { body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
    return (await (await this.request(method, path, init)).json()) as T;
  }

  async bytes(path: string): Promise<{ content: Uint8Array; contentType: string }> {
    const response = await this.request('GET', path);
    return { content: new Uint8Array(await response.arrayBuffer()), contentType: response.headers.get('content-type') ?? '' };
  }
}
