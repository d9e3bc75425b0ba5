import 'server-only';
// The typed, server-only API client of the server components: HTTP to the API of this same
// Letterbox (never the database), answers checked against @letterbox/contracts.
import {
  inboxPageSchema, messageDetailSchema, messagePageSchema, runPageSchema,
  type InboxPage, type Message, type MessagePage, type RunPage,
} from '@letterbox/contracts';
import { cookies } from 'next/headers';
import type { z } from 'zod';
import { ApiError, apiErrorFrom } from './api-error';
import { API_TOKEN_COOKIE } from './api-token';
import { env } from './env';

/** Raw sources bigger than this are shown cut (the download has all of it). */
export const MAX_SOURCE_DISPLAY_BYTES = 2 * 1024 * 1024;

/** The API token the user entered (Letterbox started with --api-token), from its cookie. */
export async function apiToken(): Promise<string | null> {
  return (await cookies()).get(API_TOKEN_COOKIE)?.value ?? null;
}

/** A same-origin API URL the browser opens directly (downloads, images): carries the token. */
export async function browserApiHref(path: string): Promise<string> {
  const token = await apiToken();
  return token ? `/api/v1${path}${path.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}` : `/api/v1${path}`;
}

export function isUnauthorized(error: unknown): boolean {
  return error instanceof ApiError && error.status === 401;
}

async function request(path: string): Promise<Response> {
  const token = await apiToken();
  const response = await fetch(`${env.apiUrl()}/api/v1${path}`, {
    cache: 'no-store',
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  if (!response.ok) throw await apiErrorFrom(response);
  return response;
}

async function json<S extends z.ZodType>(path: string, schema: S): Promise<z.output<S>> {
  return schema.parse(await (await request(path)).json());
}

export const api = {
  messages: {
    list: (query: string): Promise<MessagePage> => json(`/messages?${query}`, messagePageSchema),
    get: (id: string): Promise<Message> => json(`/messages/${encodeURIComponent(id)}`, messageDetailSchema),
    raw: async (id: string): Promise<{ bytes: Uint8Array; total: number }> => {
      const buffer = new Uint8Array(await (await request(`/messages/${encodeURIComponent(id)}/raw`)).arrayBuffer());
      return { bytes: buffer.subarray(0, MAX_SOURCE_DISPLAY_BYTES), total: buffer.byteLength };
    },
    attachment: async (id: string, attachmentId: string): Promise<Uint8Array> =>
      new Uint8Array(await (await request(`/messages/${encodeURIComponent(id)}/attachments/${encodeURIComponent(attachmentId)}`)).arrayBuffer()),
  },
  inboxes: { list: (query: string): Promise<InboxPage> => json(`/inboxes?${query}`, inboxPageSchema) },
  runs: { list: (query: string): Promise<RunPage> => json(`/runs?${query}`, runPageSchema) },
};
