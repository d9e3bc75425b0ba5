/**
 * ImapServer: listens on a port (plain with optional STARTTLS, or implicit TLS), runs one
 * Connection per client, and on close() sends `* BYE` to every client before closing (M51).
 */
import net, { type AddressInfo, type Socket } from 'node:net';
import tls, { type SecureContext, type SecureContextOptions } from 'node:tls';
import type { ImapBackend } from './backend.ts';
import type { CommandSpec } from './command.ts';
import { commandRegistry } from './commands/index.ts';
import { AuthBackoff } from './auth-backoff.ts';
import { Connection } from './connection.ts';
import { resolveLimits, type ImapLimits } from './limits.ts';

export interface ImapLogger {
  error(message: string, err?: unknown): void;
  debug?(message: string): void;
}

export interface ImapServerOptions {
  backend: ImapBackend;
  /** Key and certificate (PEM). With `implicitTls` the port speaks TLS from the first byte (993);
   *  otherwise STARTTLS is offered (143). Without it, no TLS at all. */
  tls?: SecureContextOptions;
  implicitTls?: boolean;
  /** Allow LOGIN/AUTHENTICATE without TLS (loopback dev mode); otherwise LOGINDISABLED is advertised. */
  allowInsecureAuth?: boolean;
  limits?: Partial<ImapLimits>;
  /** Fields of our `* ID` reply (RFC 2971). */
  serverId?: Record<string, string>;
  greeting?: string;
  logger?: ImapLogger;
}

/** What connections need from their server. */
export interface ServerContext {
  backend: ImapBackend;
  limits: ImapLimits;
  commands: Map<string, CommandSpec>;
  startTlsContext: SecureContext | null;
  allowInsecureAuth: boolean;
  serverId: Record<string, string>;
  greeting: string;
  logger: ImapLogger;
  onClosed(conn: Connection): void;
  /** Open connections authenticated as `user`. */
  connectionsOf(user: string): number;
  authBackoff: AuthBackoff;
}

const consoleLogger: ImapLogger = { error: (message, err) => console.error(message, err) };

export class ImapServer {
  private readonly server: net.Server;
  private readonly connections = new Set<Connection>();
  private readonly ctx: ServerContext;

  constructor(options: ImapServerOptions) {
    const limits = resolveLimits(options.limits);
    const secureContext = options.tls ? tls.createSecureContext({ minVersion: 'TLSv1.2', ...options.tls }) : null;
    this.ctx = {
      backend: options.backend,
      limits,
      commands: commandRegistry,
      startTlsContext: options.implicitTls ? null : secureContext,
      allowInsecureAuth: options.allowInsecureAuth ?? false,
      serverId: options.serverId ?? { name: 'Letterbox', version: '0.1.0' },
      greeting: options.greeting ?? 'Letterbox IMAP4rev1 ready',
      logger: options.logger ?? consoleLogger,
      onClosed: (conn) => this.connections.delete(conn),
      connectionsOf: (user) => [...this.connections].filter((c) => c.user === user).length,
      authBackoff: new AuthBackoff(limits.authFailureDelayMs, limits.maxAuthFailureDelayMs, limits.authBackoffResetMs),
    };
    const onSocket = (socket: Socket): void => {
      const { maxConnections, maxConnectionsPerIp } = this.ctx.limits;
      const ip = socket.remoteAddress ?? '';
      const fromIp = [...this.connections].filter((c) => c.remoteAddress === ip).length;
      if (this.connections.size >= maxConnections || fromIp >= maxConnectionsPerIp) {
        socket.on('error', () => {});
        socket.end('* BYE Too many connections\r\n');
        return;
      }
      const conn = new Connection(socket, this.ctx);
      this.connections.add(conn);
      void conn.serve();
    };
    if (options.implicitTls) {
      if (!options.tls) throw new Error('implicitTls needs tls key and cert');
      this.server = tls.createServer({ minVersion: 'TLSv1.2', ...options.tls }, onSocket);
      this.server.on('tlsClientError', () => {});
    } else {
      this.server = net.createServer(onSocket);
    }
  }

  /** Starts listening; port 0 picks a free port. Resolves with the bound address. */
  listen(port = 143, host = '127.0.0.1'): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        this.server.off('error', reject);
        resolve(this.server.address() as AddressInfo);
      });
    });
  }

  get address(): AddressInfo | null {
    return this.server.address() as AddressInfo | null;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Stops accepting, sends `* BYE` to every client, then closes their sockets. */
  close(reason = 'Server shutting down'): Promise<void> {
    for (const conn of [...this.connections]) conn.bye(reason);
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
