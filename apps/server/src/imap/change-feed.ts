// One LISTEN per node on the events channel, fanned out to the IMAP sessions whose selected
// mailbox an event names (ingest, retention and IMAP writers on any node all NOTIFY there). A
// listener only hears "look now"; the session then reads changes() from the database.
import { listen, type Listener } from '../db/listen.ts';
import { EVENTS_CHANNEL, parseEvent, type LetterboxEvent } from '../domain/events/letterbox-events.ts';

export interface MailboxChangeFeed {
  /** Calls `listener` whenever `mailboxId` may have changed; returns the unsubscribe function. */
  subscribe(mailboxId: string, listener: () => void): () => void;
  /** Calls `listener` whenever new mail for the account `address` (its lazily filled INBOX) was committed. */
  subscribeRecipient(address: string, listener: () => void): () => void;
  /**
   * Counts purges: messages deleted for good (their tombstones go with them) and reconnects
   * (events may have been missed). A session whose count is behind checks its UIDs.
   */
  purges(): number;
  close(): Promise<void>;
}

const DELETED_TYPE = JSON.stringify('messages.deleted' satisfies LetterboxEvent['type']);

export async function startMailboxChangeFeed(databaseUrl: string, log?: (message: string) => void): Promise<MailboxChangeFeed> {
  const listeners = new Map<string, Set<() => void>>();
  const recipientListeners = new Map<string, Set<() => void>>();
  let purges = 0;
  const wake = (mailboxId: string) => {
    for (const listener of listeners.get(mailboxId) ?? []) listener();
  };
  const wakeAll = () => {
    for (const id of listeners.keys()) wake(id);
    for (const set of recipientListeners.values()) for (const listener of set) listener();
  };
  const connection: Listener = await listen(
    databaseUrl,
    EVENTS_CHANNEL,
    (payload) => {
      // Every commit on every node notifies. Without a session to wake only purges matter (they
      // are counted); the payload names its type as a JSON string, so anything else is skipped
      // unparsed (a recipient or id can never contain that string with its quotes unescaped).
      if (listeners.size === 0 && recipientListeners.size === 0 && !payload.includes(DELETED_TYPE)) return;
      const event = parseEvent(payload);
      if (event?.type === 'messages.deleted') {
        purges++;
        wakeAll();
      } else if (event && 'mailboxes' in event) {
        for (const mailbox of event.mailboxes) wake(mailbox.id);
        if (event.type === 'messages.created') {
          for (const address of event.recipients ?? []) for (const listener of recipientListeners.get(address) ?? []) listener();
        }
      }
    },
    {
      // Notifications sent while the connection was down are lost: every session re-reads.
      onReconnect: () => {
        purges++;
        wakeAll();
      },
      ...(log ? { log } : {}),
    },
  );
  return {
    subscribe: (mailboxId, listener) => addListener(listeners, mailboxId, listener),
    subscribeRecipient: (address, listener) => addListener(recipientListeners, address, listener),
    purges: () => purges,
    close: () => connection.close(),
  };
}

function addListener(map: Map<string, Set<() => void>>, key: string, listener: () => void): () => void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0 && map.get(key) === set) map.delete(key);
  };
}
