// One LISTEN per node on the events channel, fanned out to the IMAP sessions whose selected
// mailbox an event names (ingest, retention and IMAP writers on any node all NOTIFY there). A
// listener only hears "look now"; the session then reads changes() from the database.
import { listen, type Listener } from '../db/listen.ts';
import { EVENTS_CHANNEL, parseEvent } from '../domain/events/letterbox-events.ts';

export interface MailboxChangeFeed {
  /** Calls `listener` whenever `mailboxId` may have changed; returns the unsubscribe function. */
  subscribe(mailboxId: string, listener: () => void): () => void;
  /**
   * Counts purges: messages deleted for good (their tombstones go with them) and reconnects
   * (events may have been missed). A session whose count is behind checks its UIDs.
   */
  purges(): number;
  close(): Promise<void>;
}

export async function startMailboxChangeFeed(databaseUrl: string, log?: (message: string) => void): Promise<MailboxChangeFeed> {
  const listeners = new Map<string, Set<() => void>>();
  let purges = 0;
  const wake = (mailboxId: string) => {
    for (const listener of listeners.get(mailboxId) ?? []) listener();
  };
  const connection: Listener = await listen(
    databaseUrl,
    EVENTS_CHANNEL,
    (payload) => {
      const event = parseEvent(payload);
      if (event?.type === 'messages.deleted') {
        purges++;
        for (const id of listeners.keys()) wake(id);
      } else if (event && 'mailboxes' in event) {
        for (const mailbox of event.mailboxes) wake(mailbox.id);
      }
    },
    {
      // Notifications sent while the connection was down are lost: every session re-reads.
      onReconnect: () => {
        purges++;
        for (const id of listeners.keys()) wake(id);
      },
      ...(log ? { log } : {}),
    },
  );
  return {
    subscribe(mailboxId, listener) {
      let set = listeners.get(mailboxId);
      if (!set) listeners.set(mailboxId, (set = new Set()));
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0 && listeners.get(mailboxId) === set) listeners.delete(mailboxId);
      };
    },
    purges: () => purges,
    close: () => connection.close(),
  };
}
