// letterbox.messages: list, get, latest, waitFor, raw, html, text, attachment, markRead, delete.
import type { DeleteResult, Message, MessagePage, MessageSummary, WaitResult } from '@letterbox/contracts';
import { LetterboxApiError, LetterboxTimeoutError } from './errors.ts';
import { describeFilter, toQuery, type Filter } from './query.ts';
import type { Transport } from './transport.ts';

export interface ListOptions extends Filter {
  /** 1-200 (default 50). */
  limit?: number;
  cursor?: string;
}

export interface WaitOptions extends Filter {
  /** Milliseconds (default 30000; the server caps it at --api-max-wait). */
  timeout?: number;
}

export interface WaitForManyOptions extends WaitOptions {
  /** Wait until at least this many messages match (1-100). */
  count: number;
}

/** `latest` or a message id. */
export type MessageRef = string;

/** How many arrivals a timeout error lists. */
const ARRIVED_SHOWN = 5;
/** The HTTP request may outlive the server-side wait by this much before the client gives up. */
const REQUEST_MARGIN_MS = 10_000;
const DEFAULT_TIMEOUT_MS = 30_000;

export class Messages {
  constructor(
    private readonly http: Transport,
    /** Filters every call adds (a run-scoped client sets `run`). */
    private readonly scope: Filter = {},
  ) {}

  /** One page of summaries, newest first; follow `nextCursor` for the next. */
  list(options: ListOptions = {}): Promise<MessagePage> {
    return this.http.json('GET', `/api/v1/messages${toQuery({ ...this.scope, ...options })}`);
  }

  /** The full message: bodies, attachments, `links`, `codes`, `unsubscribe`. */
  get(id: MessageRef, filter: Filter = {}): Promise<Message> {
    return this.http.json('GET', `/api/v1/messages/${encodeURIComponent(id)}${toQuery({ ...this.scope, ...filter })}`);
  }

  /** The newest message matching the filter; LetterboxApiError `message_not_found` if none. */
  latest(filter: Filter = {}): Promise<Message> {
    return this.get('latest', filter);
  }

  /** Waits (server-side, no polling) for a message matching the filter and returns it in full. */
  async waitFor(options: WaitOptions = {}): Promise<Message> {
    const [first] = await this.waitForMany({ ...options, count: 1 });
    return first!;
  }

  /** Waits until `count` messages match; returns the newest `count` in full, newest first. */
  async waitForMany(options: WaitForManyOptions): Promise<Message[]> {
    const { timeout = DEFAULT_TIMEOUT_MS, count, ...filter } = options;
    const scoped: Filter = { ...this.scope, ...filter };
    const started = new Date();
    const signal = AbortSignal.timeout(timeout + REQUEST_MARGIN_MS);
    let result: WaitResult;
    try {
      result = await this.http.json<WaitResult>('GET', `/api/v1/messages/wait${toQuery({ ...scoped, timeout, count })}`, { signal });
    } catch (error) {
      if (error instanceof LetterboxApiError && error.code === 'wait_timeout') throw await this.timeoutError(scoped, count, timeout, started, error);
      throw error;
    }
    return Promise.all(result.messages.map((m) => this.get(m.id)));
  }

  private async timeoutError(filter: Filter, count: number, timeout: number, started: Date, error: LetterboxApiError): Promise<LetterboxTimeoutError> {
    const matched = typeof error.details?.matched === 'number' ? error.details.matched : 0;
    // What did arrive: the run's newest messages when the wait was scoped to a run, otherwise
    // whatever was delivered while it waited.
    const run = filter.run;
    let arrived: MessageSummary[] = [];
    try {
      const query = run !== undefined ? { run, limit: ARRIVED_SHOWN } : { since: started, limit: ARRIVED_SHOWN };
      arrived = (await this.http.json<MessagePage>('GET', `/api/v1/messages${toQuery(query)}`)).messages;
    } catch {
      // the timeout is the error worth reporting
    }
    const where = run !== undefined ? `Newest in run ${JSON.stringify(run)}` : 'Arrived meanwhile';
    const what = arrived.length === 0
      ? `${run !== undefined ? `No message in run ${JSON.stringify(run)}` : 'No message arrived meanwhile'}.`
      : `${where}: ` + arrived.map((m) => `#${m.id} ${JSON.stringify(m.subject)} from ${m.from?.address ?? m.mailFrom} to ${m.rcptTo.join(', ')}`).join('; ') + '.';
    const wanted = count === 1 ? 'a message' : `${count} messages`;
    return new LetterboxTimeoutError(
      `Letterbox: waited ${timeout} ms for ${wanted} matching ${describeFilter(filter)}; ${matched} matched. ${what}`,
      matched,
      arrived,
    );
  }

  /** The .eml bytes exactly as received. */
  async raw(id: MessageRef, filter: Filter = {}): Promise<Uint8Array> {
    return (await this.http.bytes(`/api/v1/messages/${encodeURIComponent(id)}/raw${toQuery({ ...this.scope, ...filter })}`)).content;
  }

  async html(id: MessageRef, filter: Filter = {}): Promise<string> {
    return (await this.http.request('GET', `/api/v1/messages/${encodeURIComponent(id)}/html${toQuery({ ...this.scope, ...filter })}`)).text();
  }

  async text(id: MessageRef, filter: Filter = {}): Promise<string> {
    return (await this.http.request('GET', `/api/v1/messages/${encodeURIComponent(id)}/text${toQuery({ ...this.scope, ...filter })}`)).text();
  }

  attachment(id: MessageRef, attachmentId: string): Promise<{ content: Uint8Array; contentType: string }> {
    return this.http.bytes(`/api/v1/messages/${encodeURIComponent(id)}/attachments/${encodeURIComponent(attachmentId)}${toQuery(this.scope)}`);
  }

  markRead(id: MessageRef, read = true): Promise<Message> {
    return this.http.json('PATCH', `/api/v1/messages/${encodeURIComponent(id)}${toQuery(this.scope)}`, { body: { read } });
  }

  /** Deletes one message (also expunged from IMAP). */
  async delete(id: MessageRef): Promise<void> {
    await this.http.json<DeleteResult>('DELETE', `/api/v1/messages/${encodeURIComponent(id)}${toQuery(this.scope)}`);
  }

  /** Deletes every message matching the filter: all of them (in this client's run, if scoped) without one. */
  async deleteAll(filter: Filter = {}): Promise<number> {
    return (await this.http.json<DeleteResult>('DELETE', `/api/v1/messages${toQuery({ ...this.scope, ...filter })}`)).deleted;
  }
}
