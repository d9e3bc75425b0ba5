// The wait endpoint's engine. Each node keeps its waiters in memory, indexed by run and by
// envelope recipient; a `messages.created` NOTIFY (from any node) costs one query for the new
// messages' envelopes, and the full facts only of messages some waiter may want. Filters are then
// matched in JavaScript (match-message.ts), so 1,000 waiters add no query per waiter.
import type { MessageFilter, MessageSummary } from '@letterbox/contracts';
import { AppError } from '../app-error.ts';
import type { EventHub } from '../events/event-hub.ts';
import type { LetterboxEvent } from '../events/letterbox-events.ts';
import { accountAddress } from './account-address.ts';
import { ensureParsed, ensureParsedForFilter, type ParseDeps } from './ensure-parsed.ts';
import { findMessages, summariesByIds } from './find-messages.ts';
import { compileSubjectRegex, matchesFilter } from './match-message.ts';
import { needsParsedFields } from './message-filter-sql.ts';
import { FACT_COLUMNS, toFacts, type FactRow } from './message-rows.ts';

interface Waiter {
  filter: MessageFilter;
  regex: RegExp | null;
  count: number;
  matched: Set<string>;
  needsParse: boolean;
  /** Re-run the initial query (after a lost LISTEN connection). */
  recheck(): void;
  wake(): void;
}

export interface WaitOptions {
  filter: MessageFilter;
  count: number;
  timeoutMs: number;
  /** Aborted when the HTTP client goes away. */
  signal?: AbortSignal;
}

export interface MessageWaiters {
  wait(options: WaitOptions): Promise<MessageSummary[]>;
  /** Waiters currently open on this node (tests, metrics). */
  readonly size: number;
  close(): void;
}

export function createMessageWaiters(deps: ParseDeps, hub: EventHub): MessageWaiters {
  const byRun = new Map<string, Set<Waiter>>();
  const byRecipient = new Map<string, Set<Waiter>>();
  const unindexed = new Set<Waiter>();
  let size = 0;

  const bucket = (w: Waiter): Set<Waiter> => {
    if (w.filter.run !== undefined) return getOrCreate(byRun, w.filter.run);
    if (w.filter.recipient !== undefined) return getOrCreate(byRecipient, accountAddress(w.filter.recipient));
    return unindexed;
  };
  const add = (w: Waiter) => {
    bucket(w).add(w);
    size++;
  };
  const remove = (w: Waiter) => {
    const set = bucket(w);
    if (set.delete(w)) size--;
    if (set.size === 0) {
      if (w.filter.run !== undefined) byRun.delete(w.filter.run);
      else if (w.filter.recipient !== undefined) byRecipient.delete(accountAddress(w.filter.recipient));
    }
  };

  // Events are handled one after another, so the queries they cause never pile up.
  let queue: Promise<void> = Promise.resolve();
  const onCreated = async (ids: string[]) => {
    if (size === 0 || ids.length === 0) return;
    const envelopes = await deps.pool.query<{ id: string; run: string | null; rcpt_to: string[] }>(
      'SELECT id, run, "rcptTo" AS rcpt_to FROM messages WHERE id = ANY($1::bigint[])',
      [ids],
    );
    const candidates = new Map<string, Set<Waiter>>();
    for (const m of envelopes.rows) {
      const set = new Set<Waiter>(unindexed);
      if (m.run !== null) for (const w of byRun.get(m.run) ?? []) set.add(w);
      for (const r of m.rcpt_to) for (const w of byRecipient.get(accountAddress(r)) ?? []) set.add(w);
      if (set.size > 0) candidates.set(m.id, set);
    }
    if (candidates.size === 0) return;
    const wanted = [...candidates.keys()];
    const needParse = wanted.filter((id) => [...candidates.get(id)!].some((w) => w.needsParse));
    await ensureParsed(deps, needParse);
    const facts = await deps.pool.query<FactRow>(`SELECT ${FACT_COLUMNS} FROM messages m WHERE m.id = ANY($1::bigint[])`, [wanted]);
    for (const row of facts.rows) {
      const message = toFacts(row);
      for (const w of candidates.get(message.id) ?? []) {
        if (matchesFilter(message, w.filter, w.regex)) {
          w.matched.add(message.id);
          if (w.matched.size >= w.count) w.wake();
        }
      }
    }
  };
  const unsubscribe = hub.subscribe({
    onEvent(event: LetterboxEvent) {
      if (event.type !== 'messages.created') return;
      queue = queue.then(() => onCreated(event.messageIds)).catch((error: Error) => deps.log.warn(`wait: ${error.message}`));
    },
    onResync() {
      for (const set of [unindexed, ...byRun.values(), ...byRecipient.values()]) for (const w of set) w.recheck();
    },
  });

  const initialMatches = async (filter: MessageFilter, count: number): Promise<string[]> => {
    await ensureParsedForFilter(deps, filter);
    const page = await findMessages(deps, { filter, limit: count });
    return page.messages.map((m) => m.id);
  };

  return {
    get size() {
      return size;
    },
    async wait({ filter, count, timeoutMs, signal }) {
      let wake!: () => void;
      const woken = new Promise<void>((resolve) => (wake = resolve));
      const waiter: Waiter = {
        filter,
        regex: compileSubjectRegex(filter),
        count,
        matched: new Set(),
        needsParse: needsParsedFields(filter),
        wake,
        recheck: () => {
          initialMatches(filter, count).then(
            (ids) => {
              for (const id of ids) waiter.matched.add(id);
              if (waiter.matched.size >= count) wake();
            },
            (error: Error) => deps.log.warn(`wait: recheck failed: ${error.message}`),
          );
        },
      };
      // Registered before the first query: a message committed meanwhile is seen by one or the other.
      add(waiter);
      let timer: NodeJS.Timeout | undefined;
      const onAbort = () => wake();
      try {
        for (const id of await initialMatches(filter, count)) waiter.matched.add(id);
        if (waiter.matched.size < count && !signal?.aborted) {
          timer = setTimeout(wake, timeoutMs);
          signal?.addEventListener('abort', onAbort, { once: true });
          await woken;
        }
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        remove(waiter);
      }
      if (waiter.matched.size < count) {
        throw new AppError(
          'wait_timeout',
          `timed out after ${timeoutMs} ms waiting for ${count} message(s) matching ${describeFilter(filter)}; ${waiter.matched.size} matched`,
          { matched: waiter.matched.size, count, filter },
        );
      }
      const summaries = await summariesByIds(deps, [...waiter.matched]);
      return summaries.slice(0, count);
    },
    close: unsubscribe,
  };
}

export function describeFilter(filter: MessageFilter): string {
  const parts = Object.entries(filter)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return parts.length === 0 ? 'any message' : `{${parts.join(', ')}}`;
}

function getOrCreate<K, V>(map: Map<K, Set<V>>, key: K): Set<V> {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  return set;
}
