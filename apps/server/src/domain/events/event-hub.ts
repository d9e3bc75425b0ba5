// One LISTEN per node on EVENTS_CHANNEL, fanned out in process to API waiters and SSE streams.
// A lost LISTEN connection comes back (db/listen.ts); subscribers then get `onResync`, because
// notifications sent while it was down are gone.
import { listen, type Listener } from '../../db/listen.ts';
import type { Logger } from '../../logger.ts';
import { EVENTS_CHANNEL, parseEvent, type LetterboxEvent } from './letterbox-events.ts';

export interface EventSubscriber {
  onEvent(event: LetterboxEvent): void;
  onResync?(): void;
}

export interface EventHub {
  subscribe(subscriber: EventSubscriber): () => void;
  close(): Promise<void>;
}

export async function startEventHub(databaseUrl: string, log: Logger): Promise<EventHub> {
  const subscribers = new Set<EventSubscriber>();
  const each = (fn: (s: EventSubscriber) => void) => {
    for (const subscriber of subscribers) {
      try {
        fn(subscriber);
      } catch (error) {
        log.warn(`event hub: subscriber failed: ${(error as Error).message}`);
      }
    }
  };
  const listener: Listener = await listen(
    databaseUrl,
    EVENTS_CHANNEL,
    (payload) => {
      // Every commit on every node notifies; with nobody listening here there is nothing to parse.
      if (subscribers.size === 0) return;
      const event = parseEvent(payload);
      if (event) each((s) => s.onEvent(event));
    },
    { onReconnect: () => each((s) => s.onResync?.()), log: (message) => log.warn(message) },
  );
  return {
    subscribe(subscriber) {
      subscribers.add(subscriber);
      return () => subscribers.delete(subscriber);
    },
    close: () => listener.close(),
  };
}
