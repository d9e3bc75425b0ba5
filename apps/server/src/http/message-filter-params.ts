// The filter part of a query string, checked beyond what the schema can say.
import { MESSAGE_FILTER_KEYS, type MessageFilter } from '@letterbox/contracts';
import { AppError } from '../domain/app-error.ts';

export function filterFromQuery(query: Partial<Record<keyof MessageFilter, unknown>>): MessageFilter {
  const filter: Record<string, unknown> = {};
  for (const key of MESSAGE_FILTER_KEYS) if (query[key] !== undefined) filter[key] = query[key];
  const parsed = filter as MessageFilter;
  if (parsed.subjectRegex !== undefined) {
    try {
      new RegExp(parsed.subjectRegex, 'i');
    } catch (error) {
      throw new AppError('invalid_regex', `subjectRegex: ${(error as Error).message}`, { fields: ['subjectRegex'] });
    }
  }
  return parsed;
}
