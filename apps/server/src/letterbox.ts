// Composition root: configuration -> database -> SMTP catcher + background parser + retention,
// IMAP listeners and the HTTP API.
// main.ts runs it as a process; tests start it in-process on port 0.
import { join, resolve } from 'node:path';
import type { LetterboxConfig } from './config.ts';
import { openDatabase, type Database } from './db/database.ts';
import { startFaultRuleCache } from './domain/faults/fault-rule-cache.ts';
import { DEFAULT_GROUP_COMMIT_LIMITS } from './domain/messages/group-commit-batcher.ts';
import { createMessageIngester } from './domain/messages/ingest-message.ts';
import { deferredParser } from './domain/messages/deferred-parser.ts';
import { IngestStats } from './domain/stats/ingest-stats.ts';
import { instrumentIngester } from './domain/stats/instrument-ingester.ts';
import { startPendingMessageParser, type PendingMessageParser } from './domain/messages/parse-pending-messages.ts';
import { startRetention } from './domain/messages/prune-retention.ts';
import { RetentionBackpressure } from './domain/messages/retention-backpressure.ts';
import { createLogger, type Logger } from './logger.ts';
import { startHttpApi, type RunningHttpApi } from './http/http-api.ts';
import { startCatchAllDelivery, type CatchAllDelivery } from './imap/catch-all-delivery.ts';
import { deliverToInbox } from './imap/deliver-to-inbox.ts';
import { startImapListeners } from './imap/imap-listeners.ts';
import { startSmtpCatcher } from './smtp/smtp-catcher.ts';
import { loadTlsKeyPair } from './tls/self-signed-certificate.ts';
import { startWebUi, type ListenerPorts, type WebUi } from './web-ui.ts';

export interface Endpoint {
  name: string;
  url: string;
}

export interface RunningLetterbox {
  smtpPort: number;
  smtpsPort: number | null;
  imapPort: number;
  imapsPort: number;
  httpPort: number;
  /** The HTTP API (open waits, for tests and benchmarks). */
  http: RunningHttpApi;
  database: Database;
  parser: PendingMessageParser;
  /** Fills the catch-all INBOX in the background. */
  catchAllDelivery: CatchAllDelivery;
  /** Every listening endpoint plus the data directory and database, for the banner. */
  endpoints: Endpoint[];
  dataDir: string;
  /** Graceful: stop accepting, answer in-flight messages, 421 to the rest, close the database. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** Serve the Next.js web UI (apps/web) on the HTTP port; off by default so tests skip Next. */
  webUi?: boolean;
}

export async function startLetterbox(
  config: LetterboxConfig,
  log: Logger = createLogger(config.logLevel),
  options: StartOptions = {},
): Promise<RunningLetterbox> {
  const dataDir = resolve(config.dataDir);
  const database = await openDatabase({
    databaseUrl: config.databaseUrl ?? undefined,
    dataDir: join(dataDir, 'postgres'),
    embeddedPort: config.embeddedPostgresPort ?? undefined,
    log: (message) => log.info(`database: ${message}`),
  });
  // Shutdown in two phases. First every protocol listener stops at once (no new connections, 421
  // / BYE to late commands, in-flight work answered) - one listener's grace period must not keep
  // another accepting. Then the rest, in reverse order of start: ingest drained, background work
  // stopped, database closed last.
  const listeners: (() => Promise<void>)[] = [];
  const cleanups: (() => Promise<void>)[] = [() => database.close()];
  const report = (error: Error) => log.error(`shutdown: ${error.message}`);
  const stopAll = async () => {
    await Promise.all(listeners.splice(0).map((stop) => stop().catch(report)));
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(report);
  };
  try {
    // The parser backs off while ingest is busy; `ingester` is created just below.
    let ingestBusy = () => false;
    const stats = new IngestStats(config.loadTestMode);
    const parser = config.loadTestMode
      ? deferredParser()
      : startPendingMessageParser({ pool: database.pool, log, ingestBusy: () => ingestBusy() });
    cleanups.push(() => parser.stop());
    // The catch-all INBOX exists (marked isCatchAll) before anything can delete a message: deletion
    // locks it to stay clear of a delivery in flight (prune-retention.ts expungeMessages).
    await deliverToInbox(database.pool, config.catchAllAddress, config.catchAllAddress, { maxMessages: 0 });
    const catchAllDelivery = startCatchAllDelivery({
      pool: database.pool,
      catchAllAddress: config.catchAllAddress,
      log,
      ingestBusy: () => ingestBusy(),
    });
    cleanups.push(() => catchAllDelivery.stop());
    const retention = startRetention({
      pool: database.pool,
      policy: { maxMessages: config.retentionMaxMessages, maxAgeMs: config.retentionMaxAgeMs },
      log,
    });
    cleanups.push(() => retention.stop());

    const backpressure = config.retentionMaxMessages === null ? undefined : new RetentionBackpressure(database.pool, config.retentionMaxMessages);
    const ingester = instrumentIngester(createMessageIngester({
      // A pool of its own, one connection per commit in flight: acknowledgements never wait
      // behind API or IMAP queries for a connection of the shared pool.
      pool: database.openPool(DEFAULT_GROUP_COMMIT_LIMITS.maxConcurrentCommits),
      retention: backpressure,
      catchAllAddress: config.catchAllAddress,
      log,
      onCommitted: () => {
        parser.wake();
        catchAllDelivery.wake();
      },
      onBatchCommitted: (messages, seconds) => stats.committed(messages, seconds),
    }), stats);
    ingestBusy = () => ingester.busy();
    cleanups.push(() => ingester.whenIdle());
    const tls = await loadTlsKeyPair({ dataDir, certPath: config.tlsCertPath, keyPath: config.tlsKeyPath });
    const faultRules = await startFaultRuleCache({ pool: database.pool, databaseUrl: database.url, log });
    cleanups.push(() => faultRules.close());
    const smtp = await startSmtpCatcher({
      config, tls, ingester, log, faultRules,
      onFault: (stage, outcome, run) =>
        outcome === 'delay' ? stats.delayed(stage) : stats.rejected(run, stage, outcome === 'disconnect' ? 'fault_disconnect' : 'fault'),
    });
    stats.gauges = {
      activeConnections: () => smtp.activeConnections(),
      pendingIngestBytes: () => ingester.pendingBytes(),
      retentionHeldSeconds: () => backpressure?.heldSeconds ?? 0,
    };
    listeners.push(() => smtp.stop());

    const endpoints: Endpoint[] = [{ name: 'SMTP', url: `smtp://${hostForUrl(config.host)}:${smtp.smtpPort}` }];
    if (smtp.smtpsPort !== null) endpoints.push({ name: 'SMTPS', url: `smtps://${hostForUrl(config.host)}:${smtp.smtpsPort}` });
    const imap = await startImapListeners({ config, pool: database.pool, databaseUrl: database.url, tls, log });
    listeners.push(() => imap.stop());
    endpoints.push({ name: 'IMAP', url: `imap://${hostForUrl(config.host)}:${imap.imapPort} (STARTTLS)` });
    endpoints.push({ name: 'IMAPS', url: `imaps://${hostForUrl(config.host)}:${imap.imapsPort}` });
    // Known once every listener is bound (port 0 in tests); the web UI reads it on first request.
    const bound: { ports?: ListenerPorts } = {};
    let web: WebUi | undefined;
    if (options.webUi) {
      const ui = await startWebUi({
        config,
        log,
        apiUrl: () => `http://${hostForUrl(loopbackFor(config.host))}:${bound.ports?.httpPort ?? config.httpPort}`,
        ports: () => bound.ports!,
      });
      cleanups.push(() => ui.close());
      web = ui;
    }
    const http = await startHttpApi({
      fallback: web?.handle,
      host: config.host,
      port: config.httpPort,
      databaseUrl: database.url,
      pool: database.pool,
      log,
      faultRules,
      stats,
      settings: {
        apiToken: config.apiToken,
        corsOrigins: config.corsOrigins,
        maxWaitMs: config.apiMaxWaitMs,
        runTtlMs: config.runTtlMs,
        catchAllAddress: config.catchAllAddress,
      },
    });
    listeners.push(() => http.stop());
    bound.ports = { smtpPort: smtp.smtpPort, smtpsPort: smtp.smtpsPort, imapPort: imap.imapPort, imapsPort: imap.imapsPort, httpPort: http.port };
    const httpBase = `http://${hostForUrl(config.host)}:${http.port}`;
    if (web) endpoints.push({ name: 'Web UI', url: `${httpBase}/` });
    endpoints.push({ name: 'HTTP API', url: `${httpBase}/api/v1 (OpenAPI: /api/v1/openapi.json)` });
    endpoints.push({ name: 'API docs', url: `${httpBase}/api/docs` });
    endpoints.push({ name: 'Database', url: database.embedded ? `${redact(database.url)} (embedded)` : redact(database.url) });
    endpoints.push({ name: 'TLS certificate', url: tls.source });

    let stopping: Promise<void> | undefined;
    return {
      smtpPort: smtp.smtpPort,
      smtpsPort: smtp.smtpsPort,
      imapPort: imap.imapPort,
      imapsPort: imap.imapsPort,
      httpPort: http.port,
      http,
      database,
      parser,
      catchAllDelivery,
      endpoints,
      dataDir,
      stop: () => (stopping ??= stopAll()),
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Where this process reaches its own listener: a wildcard bind is reached over loopback. */
function loopbackFor(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '::1';
  return host;
}

function hostForUrl(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

/** The banner shows where the database is, never its password. */
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url;
  }
}

export function formatBanner(running: Pick<RunningLetterbox, 'endpoints' | 'dataDir'>): string {
  const width = Math.max(...running.endpoints.map((e) => e.name.length), 'Data directory'.length);
  const lines = ['Letterbox is running', ...running.endpoints.map((e) => `  ${e.name.padEnd(width)}  ${e.url}`)];
  lines.push(`  ${'Data directory'.padEnd(width)}  ${running.dataDir}`);
  return lines.join('\n');
}
