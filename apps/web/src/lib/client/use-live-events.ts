'use client';
// Subscribes to the API's SSE stream; events arriving in a burst are coalesced.
import type { ApiEvent } from '@letterbox/contracts';
import { useEffect, useRef, useState } from 'react';
import { browserApi } from './browser-api';

export type LiveState = 'connecting' | 'open' | 'reconnecting';

/** Bursts of deliveries within this window cause one refresh. */
const COALESCE_MS = 150;

export function useLiveEvents(onEvent: (event: ApiEvent) => void): LiveState {
  const [state, setState] = useState<LiveState>('connecting');
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    const source = new EventSource(browserApi.eventsUrl());
    let timer: ReturnType<typeof setTimeout> | undefined;
    const pending: ApiEvent[] = [];
    const flush = () => {
      timer = undefined;
      for (const event of pending.splice(0)) handler.current(event);
    };
    const receive = (message: MessageEvent<string>) => {
      pending.push(JSON.parse(message.data) as ApiEvent);
      timer ??= setTimeout(flush, COALESCE_MS);
    };
    for (const type of ['message.created', 'message.updated', 'message.deleted']) source.addEventListener(type, receive);
    source.onopen = () => setState('open');
    source.onerror = () => setState('reconnecting');
    return () => {
      source.close();
      if (timer) clearTimeout(timer);
    };
  }, []);
  return state;
}
