// The SMTP catcher: smtp-server on the SMTP port (STARTTLS offered) and, optionally, on an
// implicit-TLS port. Advertised: PIPELINING, 8BITMIME, SMTPUTF8, SIZE, ENHANCEDSTATUSCODES,
// STARTTLS, AUTH PLAIN LOGIN CRAM-MD5 - each covered by test/smtp. DSN and REQUIRETLS are hidden:
// we neither generate delivery notifications nor relay, so advertising them would be a lie.
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerOptions } from 'smtp-server';
import type { LetterboxConfig } from '../config.ts';
import type { MessageIngester } from '../domain/messages/ingest-message.ts';
import type { Logger } from '../logger.ts';
import type { TlsKeyPair } from '../tls/self-signed-certificate.ts';
import type { FaultRules } from '../domain/faults/fault-rule-cache.ts';
import { coalesceReplies } from './coalesce-replies.ts';
import { SmtpFaultInjection, type FaultInjectionOptions } from './fault-injection.ts';
import { onAuth } from './on-auth.ts';
import { onData } from './on-data.ts';
import { onRcptTo } from './on-rcpt-to.ts';

/**
 * Simultaneous SMTP connections per listener. Each may hold one message in memory while it is
 * stored, so this times the size limit bounds the catcher's buffers; load tests use ~100. Past
 * it smtp-server answers 421 4.4.2 "Too many connected clients".
 */
export const MAX_SMTP_CONNECTIONS = 1000;
/** Idle clients are dropped after this long (421), as smtp-server's default; slow CI is not idle. */
const SOCKET_TIMEOUT_MS = 60_000;
const CLIENT_GONE_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED']);
/** How long shutdown waits for messages being received/stored before closing connections. */
export const SHUTDOWN_GRACE_MS = 10_000;

export interface SmtpCatcher {
  smtpPort: number;
  smtpsPort: number | null;
  /** Open SMTP connections on every listener (statistics). */
  activeConnections(): number;
  /** Stop accepting (late commands get 421), finish in-flight messages, close connections. */
  stop(): Promise<void>;
}

export interface SmtpCatcherOptions {
  config: Pick<LetterboxConfig, 'host' | 'hostname' | 'smtpPort' | 'smtpsPort' | 'maxMessageSize' | 'smtpAuth' | 'smtpCredentials'>;
  tls: TlsKeyPair;
  ingester: MessageIngester;
  log: Logger;
  /** Fault-injection rules (issue 7); address tags apply whenever this is set. */
  faultRules?: FaultRules;
  onFault?: FaultInjectionOptions['onInjected'];
}

export async function startSmtpCatcher(options: SmtpCatcherOptions): Promise<SmtpCatcher> {
  const { config, log } = options;
  const inFlight = new InFlightMessages();

  const faults = options.faultRules ? new SmtpFaultInjection({ rules: options.faultRules, onInjected: options.onFault }) : undefined;
  const serverOptions = (secure: boolean): SMTPServerOptions => ({
    secure,
    key: options.tls.key,
    cert: options.tls.cert,
    name: config.hostname,
    banner: 'Letterbox ESMTP: every message is caught, none is delivered',
    size: config.maxMessageSize,
    rejectOversized: true,
    authMethods: ['PLAIN', 'LOGIN', 'CRAM-MD5'],
    authOptional: config.smtpAuth === 'open',
    // A sandbox on loopback: clients (and test suites) authenticate without TLS.
    allowInsecureAuth: true,
    disableReverseLookup: true,
    hideENHANCEDSTATUSCODES: false,
    hideDSN: true,
    hideREQUIRETLS: true,
    maxClients: MAX_SMTP_CONNECTIONS,
    socketTimeout: SOCKET_TIMEOUT_MS,
    closeTimeout: SHUTDOWN_GRACE_MS,
    logger: false,
    onConnect: faults?.onConnect(),
    onAuth: faults ? faults.onAuth(onAuth({ mode: config.smtpAuth, credentials: config.smtpCredentials })) : onAuth({ mode: config.smtpAuth, credentials: config.smtpCredentials }),
    onMailFrom: faults?.onMailFrom(),
    onRcptTo: faults ? faults.onRcptTo(onRcptTo()) : onRcptTo(),
    onData: onData({ ingester: options.ingester, maxMessageSize: config.maxMessageSize, log, begin: () => inFlight.begin(), faults }),
  });

  const servers: SMTPServer[] = [];
  const listen = async (secure: boolean, port: number): Promise<number> => {
    const server = new SMTPServer(serverOptions(secure));
    coalesceReplies(server);
    // Clients that vanish (load generators, killed test runs) are routine, not warnings.
    server.on('error', (error: Error & { code?: string }) => {
      const routine = error.code !== undefined && CLIENT_GONE_CODES.has(error.code);
      (routine ? log.debug : log.warn)(`smtp${secure ? 's' : ''}: ${error.message}`);
    });
    servers.push(server);
    faults?.addServer(server);
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(port, config.host, () => {
        server.server.off('error', reject);
        resolve();
      });
    });
    return (server.server.address() as AddressInfo).port;
  };

  try {
    const smtpPort = await listen(false, config.smtpPort);
    const smtpsPort = config.smtpsPort === null ? null : await listen(true, config.smtpsPort);
    const activeConnections = () => servers.reduce((n, server) => n + connectionsOf(server).length, 0);
    return { smtpPort, smtpsPort, activeConnections, stop: () => stop(servers, inFlight) };
  } catch (error) {
    await stop(servers, inFlight);
    throw error;
  }
}

/** Messages that started to arrive and are not answered yet: graceful shutdown waits for them. */
class InFlightMessages {
  private count = 0;
  private idleWaiters: (() => void)[] = [];

  /** One message begins; the returned function (safe to call more than once) ends it. */
  begin(): () => void {
    this.count++;
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      if (--this.count === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    };
  }

  whenIdle(): Promise<void> {
    return this.count === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }
}

async function stop(servers: SMTPServer[], inFlight: InFlightMessages): Promise<void> {
  // close() stops the listener at once and makes every later command get 421 4.4.2.
  const closed = servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())));
  const grace = new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref());
  await Promise.race([inFlight.whenIdle(), grace]);
  // Everything received has been answered: tell the idle clients now instead of at the timeout.
  for (const server of servers) {
    for (const connection of connectionsOf(server)) {
      connection.send(421, 'Server shutting down');
      connection.close();
    }
  }
  await Promise.all(closed);
}

interface ClosableConnection {
  send(code: number, message: string): void;
  close(): void;
}

function connectionsOf(server: SMTPServer): ClosableConnection[] {
  const connections = (server as unknown as { connections?: Set<ClosableConnection> }).connections;
  return connections ? [...connections] : [];
}
