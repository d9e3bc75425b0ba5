// Load-test mode (--load-test-mode): no background parser. Messages stay `parseState = pending`
// with their raw bytes and envelope; the API parses one when it first needs its parsed fields
// (ensure-parsed.ts), IMAP works from the raw bytes anyway. This saves mailparser's ~1-3 ms of
// CPU per message and the UPDATE that writes the parsed fields (ENVIRONMENT.md) while mail pours in.
import type { PendingMessageParser } from './parse-pending-messages.ts';

export function deferredParser(): PendingMessageParser {
  return {
    wake: () => {},
    whenIdle: () => Promise.resolve(),
    stop: () => Promise.resolve(),
  };
}
