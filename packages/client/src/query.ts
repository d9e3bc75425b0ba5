// Filters and options as query strings.
import type { MessageFilter } from '@letterbox/contracts';

/** The filters of list/latest/wait/delete; dates may be Date objects. */
export type Filter = Omit<MessageFilter, 'since' | 'before'> & { since?: string | Date; before?: string | Date };

type QueryValue = string | number | boolean | Date | readonly string[] | undefined | null;

export function toQuery(params: Record<string, QueryValue>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) for (const item of value) search.append(key, item);
    else search.append(key, value instanceof Date ? value.toISOString() : String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

/** `{to: "bob@x", subject: "Hi"}` for error messages. */
export function describeFilter(filter: Filter): string {
  const parts = Object.entries(filter)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${JSON.stringify(v instanceof Date ? v.toISOString() : v)}`);
  return parts.length === 0 ? 'any message' : `{ ${parts.join(', ')} }`;
}
