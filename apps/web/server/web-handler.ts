// The web UI as a request handler for apps/server's HTTP listener (same origin and port as the
// API). The production build is made at start when missing or stale (build.ts); Next itself is
// loaded on the first UI request, so a server nobody browses carries no Next in memory. Until the
// build is ready, pages answer 503 with a page that reloads itself.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ensureWebBuild, type BuildLog } from './build.ts';
import { WEB_DIR } from './build-stamp.ts';
import { WEB_ENV, type WebInfo } from '../src/lib/web-info.ts';

export interface WebHandlerOptions {
  /** Where server components reach the API (this same process), e.g. http://127.0.0.1:8025. */
  apiUrl: () => string;
  info: () => WebInfo;
  log: BuildLog & { error(message: string): void };
}

export interface WebHandler {
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Resolves when the build is current (not when Next is loaded: that is on first use). */
  ready: Promise<void>;
  close(): Promise<void>;
}

type RequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;
interface NextApp {
  prepare(): Promise<void>;
  getRequestHandler(): RequestHandler;
  close(): Promise<void>;
}

const BUILDING_RETRY_SECONDS = 3;

export function createWebHandler(options: WebHandlerOptions): WebHandler {
  const build = ensureWebBuild(options.log);
  let failure: Error | undefined;
  let built = false;
  build.done.then(
    () => (built = true),
    (error: Error) => {
      failure = error;
      options.log.error(`web UI: ${error.message}`);
    },
  );
  let app: NextApp | undefined;
  let loading: Promise<RequestHandler> | undefined;
  const load = () =>
    (loading ??= (async () => {
      const { default: next } = (await import('next')) as unknown as { default: (o: object) => NextApp };
      app = next({ dir: WEB_DIR, dev: false, quiet: true });
      await app.prepare();
      return app.getRequestHandler();
    })());

  return {
    ready: build.done,
    handle(req, res) {
      if (!built) {
        building(res, failure);
        return;
      }
      // Known only once the listener is bound (port 0 in tests); read by src/lib/env.ts.
      process.env[WEB_ENV.apiUrl] ??= options.apiUrl();
      process.env[WEB_ENV.info] ??= JSON.stringify(options.info());
      load()
        .then((handle) => handle(req, res))
        .catch((error: Error) => {
          options.log.error(`web UI: ${req.url}: ${error.message}`);
          if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('The web UI failed; see the server log.');
        });
    },
    close: async () => {
      build.cancel();
      await app?.close();
    },
  };
}

function building(res: ServerResponse, failure: Error | undefined): void {
  const message = failure ? `The web UI failed to build: ${failure.message.split('\n')[0]} (see the server log)` : 'Letterbox is building the web UI; this page reloads when it is ready.';
  res.writeHead(failure ? 500 : 503, {
    'content-type': 'text/html; charset=utf-8',
    'retry-after': String(BUILDING_RETRY_SECONDS),
    'cache-control': 'no-store',
  });
  res.end(
    `<!doctype html><meta charset="utf-8">${failure ? '' : `<meta http-equiv="refresh" content="${BUILDING_RETRY_SECONDS}">`}` +
      `<title>Letterbox</title><p>${escapeHtml(message)}</p><p>The API is already available: <a href="/api/docs">/api/docs</a>.</p>`,
  );
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
