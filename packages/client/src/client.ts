// createLetterbox(): the client object tests use.
import type { InboxPage, RunPage } from '@letterbox/contracts';
import { Messages } from './messages.ts';
import { toQuery } from './query.ts';
import { Transport, type ClientOptions } from './transport.ts';

export interface LetterboxClient {
  messages: Messages;
  inboxes: { list(options?: { address?: string; run?: string; limit?: number; cursor?: string }): Promise<InboxPage> };
  runs: {
    list(options?: { limit?: number; cursor?: string }): Promise<RunPage>;
    /** Deletes the run's messages; LetterboxApiError `run_not_found` if it has none. */
    delete(run: string): Promise<number>;
  };
  /** A client whose every message call is scoped to this test run. */
  run(run: string): RunScope;
}

export interface RunScope {
  readonly run: string;
  messages: Messages;
  /** `bob@example.test` -> `bob+run-<run>@example.test`: mail to it lands in this run. */
  address(address: string): string;
  /** Deletes the run's messages (0 if it had none). */
  delete(): Promise<number>;
}

/** Run ids that a `+run-` tag can carry (find-test-run.ts on the server). */
const TAGGABLE_RUN = /^[A-Za-z0-9._-]+$/;

export function createLetterbox(options: ClientOptions): LetterboxClient {
  const http = new Transport(options);
  const client: LetterboxClient = {
    messages: new Messages(http),
    inboxes: { list: (o = {}) => http.json('GET', `/api/v1/inboxes${toQuery(o)}`) },
    runs: {
      list: (o = {}) => http.json('GET', `/api/v1/runs${toQuery(o)}`),
      delete: async (run) => (await http.json<{ deleted: number }>('DELETE', `/api/v1/runs/${encodeURIComponent(run)}`)).deleted,
    },
    run(run) {
      const messages = new Messages(http, { run });
      return {
        run,
        messages,
        address(address) {
          if (!TAGGABLE_RUN.test(run)) throw new Error(`run id ${JSON.stringify(run)} cannot be a +run- tag (letters, digits, . _ - only)`);
          const at = address.lastIndexOf('@');
          if (at <= 0) throw new Error(`${JSON.stringify(address)} is not an email address`);
          return `${address.slice(0, at)}+run-${run}${address.slice(at)}`;
        },
        delete: () => messages.deleteAll(),
      };
    },
  };
  return client;
}
