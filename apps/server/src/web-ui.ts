// The web UI (apps/web, Next.js) on the HTTP listener, loaded from its directory at run time so
// the server package has no build-time dependency on it (tests and the API run without Next).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LetterboxConfig } from './config.ts';
import type { Logger } from './logger.ts';

// Set by scripts/build-server.mjs to the bundled handler; unset when running from TypeScript sources.
declare const __LETTERBOX_WEB_HANDLER__: string | undefined;
const WEB_HANDLER_MODULE =
  typeof __LETTERBOX_WEB_HANDLER__ === 'string' ? __LETTERBOX_WEB_HANDLER__ : new URL('../../web/server/web-handler.ts', import.meta.url).href;
const VERSION_FILE = new URL('../package.json', import.meta.url);

export interface ListenerPorts {
  smtpPort: number;
  smtpsPort: number | null;
  imapPort: number;
  imapsPort: number;
  httpPort: number;
}

export interface WebUi {
  handle(req: IncomingMessage, res: ServerResponse): void;
  ready: Promise<void>;
  close(): Promise<void>;
}

/** The shape of apps/web/server/web-handler.ts, declared here so typechecking stays per package. */
interface WebHandlerModule {
  createWebHandler(options: {
    apiUrl: () => string;
    info: () => unknown;
    log: { info(message: string): void; error(message: string): void };
  }): WebUi;
}

export async function startWebUi(options: {
  config: LetterboxConfig;
  log: Logger;
  apiUrl: () => string;
  ports: () => ListenerPorts;
}): Promise<WebUi> {
  const { config, log } = options;
  const { readFile } = await import('node:fs/promises');
  const { version } = JSON.parse(await readFile(VERSION_FILE, 'utf8')) as { version: string };
  const module = (await import(WEB_HANDLER_MODULE)) as WebHandlerModule;
  const web = module.createWebHandler({
    apiUrl: options.apiUrl,
    info: () => ({
      version,
      host: config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host,
      ...options.ports(),
      retention: { maxMessages: config.retentionMaxMessages, maxAgeMs: config.retentionMaxAgeMs },
      catchAllAddress: config.catchAllAddress,
      smtpAuth: config.smtpAuth,
      imapAuth: config.imapAuth,
    }),
    log,
  });
  // A failed build is logged by the handler and shown on every page; the API keeps serving.
  web.ready.catch(() => undefined);
  return web;
}
