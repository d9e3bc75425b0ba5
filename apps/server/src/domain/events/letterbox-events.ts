// Cross-node events over PostgreSQL LISTEN/NOTIFY (DESIGN invariant 7). Writers call
// `notifyStatements()` inside their transaction, so the notification is delivered at COMMIT and
// never for a rolled-back change. Every node LISTENs on EVENTS_CHANNEL (db/listen.ts) and wakes
// its IMAP IDLE sessions, API waiters and UI streams.

export const EVENTS_CHANNEL = 'letterbox_events';

/**
 * PostgreSQL refuses NOTIFY payloads of 8000 bytes or more; leave room for JSON punctuation of
 * the envelope. Bigger events are split into several notifications of the same type.
 */
export const MAX_NOTIFY_PAYLOAD_BYTES = 7_900;

/** A mailbox's counters after the change: readers fetch `uid >= previous uidNext`. */
export interface MailboxChange {
  /** mailbox id (int8 as a decimal string) */
  id: string;
  uidNext: number;
  highestModseq: string;
}

export type LetterboxEvent =
  /**
   * New messages committed; `messageIds` are int8 as decimal strings. `mailboxes` is the catch-all
   * INBOX; `recipients` are the account addresses whose (lazily filled) INBOXes have new mail.
   */
  | { type: 'messages.created'; messageIds: string[]; mailboxes: MailboxChange[]; recipients?: string[] }
  /** Messages expunged from mailboxes (retention); `messageIds` lists the messages affected. */
  | { type: 'messages.expunged'; messageIds: string[]; mailboxes: MailboxChange[] }
  /** Messages deleted for good (their content is gone). */
  | { type: 'messages.deleted'; messageIds: string[] }
  /** Message state shown by the API changed (read/unread); no mailbox changed. */
  | { type: 'messages.updated'; messageIds: string[] }
  /**
   * IMAP changed mailboxes (flags, APPEND/COPY/MOVE, EXPUNGE, mailbox deleted): IMAP sessions on
   * every node re-read them. `messageIds` stays empty: mailbox ids are enough to wake readers.
   */
  | { type: 'mailboxes.changed'; messageIds: string[]; mailboxes: MailboxChange[] };

export function parseEvent(payload: string): LetterboxEvent | null {
  try {
    const event = JSON.parse(payload) as LetterboxEvent;
    return typeof event === 'object' && event !== null && typeof event.type === 'string' ? event : null;
  } catch {
    return null;
  }
}

/**
 * Splits an event into payloads under the NOTIFY limit: the id lists are cut into chunks, each
 * chunk a complete event of the same type (a reader treats them like separate events).
 */
export function encodeEvent(event: LetterboxEvent): string[] {
  const whole = JSON.stringify(event);
  if (Buffer.byteLength(whole) <= MAX_NOTIFY_PAYLOAD_BYTES) return [whole];
  const payloads: string[] = [];
  const empty = {
    messageIds: [],
    ...('mailboxes' in event ? { mailboxes: [] } : {}),
    ...('recipients' in event ? { recipients: [] } : {}),
  };
  // Each list goes out in notifications of its own; each fits because single entries are tiny.
  for (const chunk of chunkByBytes(event.messageIds)) payloads.push(JSON.stringify({ ...event, ...empty, messageIds: chunk }));
  if ('mailboxes' in event) {
    for (const chunk of chunkByBytes(event.mailboxes)) payloads.push(JSON.stringify({ ...event, ...empty, mailboxes: chunk }));
  }
  if ('recipients' in event && event.recipients) {
    for (const chunk of chunkByBytes(event.recipients)) payloads.push(JSON.stringify({ ...event, ...empty, recipients: chunk }));
  }
  return payloads;
}

/** Room for the event's type and empty fields around a chunk. */
const ENVELOPE_ALLOWANCE = 200;

function chunkByBytes<T>(items: readonly T[]): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = Buffer.byteLength(JSON.stringify(item)) + 1;
    if (current.length > 0 && bytes + size > MAX_NOTIFY_PAYLOAD_BYTES - ENVELOPE_ALLOWANCE) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** SQL text (simple-query protocol) issuing the event's notifications; run inside the transaction. */
export function notifyStatements(event: LetterboxEvent, escapeLiteral: (value: string) => string): string {
  return encodeEvent(event)
    .map((payload) => `NOTIFY ${EVENTS_CHANNEL}, ${escapeLiteral(payload)};`)
    .join(' ');
}
