// The web UI as a request handler for apps/server's HTTP listener (same origin and port as the
// API). Builds on demand (see build.ts), then serves Next's production server in-process. Until
// the build is ready, pages answer 503 with a page that reloads itself.
import type { IncomingMessage, ServerResponse } from 'node:http';
import next from 'next';
import { ensureWebBuild, type BuildLog } from './build.ts';
import { WEB_DIR } from './build-stamp.ts';
import { WEB_ENV, type WebInfo } from '../src/lib/web-info.ts';

export interface WebHandlerOptions {
  /** Where server components reach the API (this same process), e.g. http://127.0.0.1:8025. */
  apiUrl: () => string;
  apiToken: string | null;
  info: () => WebInfo;
  log: BuildLog & { error(message: string): void };
}

export interface WebHandler {
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Resolves when the UI serves pages (after a build, if one was needed). */
  ready: Promise<void>;
  close(): Promise<void>;
}

const BUILDING_RETRY_SECONDS = 3;

export function createWebHandler(options: WebHandlerOptions): WebHandler {
  if (options.apiToken !== null) process.env[WEB_ENV.apiToken] = options.apiToken;
  const app = next({ dir: WEB_DIR, dev: false, quiet: true });
  let handle: ReturnType<typeof app.getRequestHandler> | undefined;
  let failure: Error | undefined;
  const ready = ensureWebBuild(options.log)
    .then(() => app.prepare())
    .then(() => {
      handle = app.getRequestHandler();
    });
  ready.catch((error: Error) => {
    failure = error;
    options.log.error(`web UI: ${error.message}`);
  });
  return {
    ready,
    handle(req, res) {
      // Known only once the listener is bound (port 0 in tests); read by src/lib/env.ts.
      process.env[WEB_ENV.apiUrl] ??= options.apiUrl();
      process.env[WEB_ENV.info] ??= JSON.stringify(options.info());
      if (handle) {
        handle(req, res).catch((error: Error) => {
          options.log.error(`web UI: ${req.url}: ${error.message}`);
          if (!res.headersSent) res.writeHead(500).end('internal error');
        });
        return;
      }
      const message = failure ? `The web UI failed to build: ${failure.message.split('\n')[0]}` : 'Letterbox is building the web UI; this page reloads when it is ready.';
      res.writeHead(failure ? 500 : 503, {
        'content-type': 'text/html; charset=utf-8',
        'retry-after': String(BUILDING_RETRY_SECONDS),
        'cache-control': 'no-store',
      });
      res.end(`<!doctype html><meta charset="utf-8">${failure ? '' : `<meta http-equiv="refresh" content="${BUILDING_RETRY_SECONDS}">`}<title>Letterbox</title><p>${escapeHtml(message)}</p><p>The API is already available at <a href="/api/docs">/api/docs</a>.</p>`);
    },
    close: () => app.close(),
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
