// `messages.headerAddresses`: the From, To and Cc addresses, lower-cased and prefixed with their
// header, so the API's `to` / `cc` / `from` filters are one GIN index lookup
// (`"headerAddresses" @> ARRAY['to:bob@example.test']`) instead of a scan of jsonb columns.
import type { ParsedAddress } from './parse-message.ts';

export type AddressHeader = 'from' | 'to' | 'cc';

export function headerAddressKey(header: AddressHeader, address: string): string {
  return `${header}:${address.toLowerCase()}`;
}

export function headerAddressKeys(parsed: { from: ParsedAddress[]; to: ParsedAddress[]; cc: ParsedAddress[] }): string[] {
  const keys = new Set<string>();
  for (const header of ['from', 'to', 'cc'] as const) {
    for (const a of parsed[header]) if (a.address !== '') keys.add(headerAddressKey(header, a.address));
  }
  return [...keys].sort();
}
