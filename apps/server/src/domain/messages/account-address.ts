// The account (IMAP login, API inbox) an envelope address belongs to. DESIGN invariant 2: the
// domain is case-insensitive, the local part is kept exactly as given.

export { DEFAULT_CATCH_ALL_ADDRESS } from '../../config.ts';

/** "Alice@Example.TEST" -> "Alice@example.test". An address without "@" is kept as given. */
export function accountAddress(envelopeAddress: string): string {
  const at = envelopeAddress.lastIndexOf('@');
  if (at === -1) return envelopeAddress;
  return envelopeAddress.slice(0, at + 1) + envelopeAddress.slice(at + 1).toLowerCase();
}
