// The browser's calls to the API (same origin): mutations and live refreshes of client islands.
import type { DeleteResult, MessagePage } from '@letterbox/contracts';
import { apiErrorFrom } from '../api-error';
import { readTokenCookie } from '../api-token';

const API = '/api/v1';

const token = (): string | null => readTokenCookie(document.cookie);

async function call(method: string, path: string, body?: unknown): Promise<Response> {
  const response = await fetch(`${API}${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(token() ? { authorization: `Bearer ${token()}` } : {}),
    },
    body: body === undefined ? null : JSON.stringify(body),
    cache: 'no-store',
  });
  if (!response.ok) throw await apiErrorFrom(response);
  return response;
}

export const browserApi = {
  listMessages: async (query: string): Promise<MessagePage> => (await call('GET', `/messages?${query}`)).json() as Promise<MessagePage>,
  markRead: async (id: string, read: boolean): Promise<void> => {
    await call('PATCH', `/messages/${id}`, { read });
  },
  deleteMessage: async (id: string): Promise<void> => {
    await call('DELETE', `/messages/${id}`);
  },
  deleteMatching: async (filterQuery: string): Promise<number> =>
    ((await (await call('DELETE', `/messages?${filterQuery}`)).json()) as DeleteResult).deleted,
  /** EventSource cannot send headers: the token goes in the query (the API accepts ?token=). */
  eventsUrl: (): string => (token() ? `${API}/events?token=${encodeURIComponent(token()!)}` : `${API}/events`),
};
