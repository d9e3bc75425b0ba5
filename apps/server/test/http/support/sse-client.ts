// A minimal SSE reader over fetch: collects `event:`/`data:` pairs.
export interface SseEvent {
  event: string;
  data: string;
}

export interface SseStream {
  status: number;
  headers: Headers;
  /** Resolves with the first event (after any already seen) that satisfies `match`. */
  next(match?: (e: SseEvent) => boolean): Promise<SseEvent>;
  close(): void;
}

export async function openSse(url: string, init: RequestInit = {}): Promise<SseStream> {
  const controller = new AbortController();
  const response = await fetch(url, { ...init, signal: controller.signal });
  const events: SseEvent[] = [];
  const waiting: { notify: (() => void) | null } = { notify: null };
  if (response.body && response.headers.get('content-type')?.startsWith('text/event-stream')) {
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end;
          while ((end = buffer.indexOf('\n\n')) !== -1) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event = /^event: (.*)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (event !== undefined && data !== undefined) events.push({ event, data });
            waiting.notify?.();
          }
        }
      } catch {
        // aborted
      }
    })();
  }
  let seen = 0;
  return {
    status: response.status,
    headers: response.headers,
    async next(match = () => true) {
      for (;;) {
        while (seen < events.length) {
          const event = events[seen++]!;
          if (match(event)) return event;
        }
        await new Promise<void>((resolve) => (waiting.notify = resolve));
      }
    },
    close: () => controller.abort(),
  };
}
