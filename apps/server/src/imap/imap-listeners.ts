// The IMAP (STARTTLS) and IMAPS (implicit TLS) listeners of one node, sharing one Postgres
// backend (one LISTEN connection) and the SMTP certificate.
import type pg from 'pg';
import { ImapServer, type ImapServerOptions } from '@letterbox/imap-core';
import type { LetterboxConfig } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { TlsKeyPair } from '../tls/self-signed-certificate.ts';
import { createPostgresBackend } from './postgres-backend.ts';

export interface ImapListeners {
  imapPort: number;
  imapsPort: number;
  /** `* BYE` to every client, then closes the listeners and the change feed. */
  stop(): Promise<void>;
}

export interface ImapListenersOptions {
  config: LetterboxConfig;
  pool: pg.Pool;
  databaseUrl: string;
  tls: TlsKeyPair;
  log: Logger;
}

export async function startImapListeners({ config, pool, databaseUrl, tls, log }: ImapListenersOptions): Promise<ImapListeners> {
  const backend = await createPostgresBackend({
    pool,
    databaseUrl,
    auth: { mode: config.imapAuth, credentials: config.imapCredentials, catchAllAddress: config.catchAllAddress },
    log: (message) => log.warn(`imap: ${message}`),
  });
  const allowPlaintext = config.imapPlaintextLogin === 'allow' || (config.imapPlaintextLogin === 'auto' && config.imapAuth === 'open');
  const common: ImapServerOptions = {
    backend,
    tls: { key: tls.key, cert: tls.cert },
    // One APPEND may be as large as one SMTP message.
    limits: { maxAppendBytes: config.maxMessageSize },
    logger: {
      error: (message, err) => log.error(`imap: ${message}${err instanceof Error ? `: ${err.stack ?? err.message}` : ''}`),
      debug: (message) => log.debug(`imap: ${message}`),
    },
  };
  const plain = new ImapServer({ ...common, allowInsecureAuth: allowPlaintext });
  const implicit = new ImapServer({ ...common, implicitTls: true });
  const servers: ImapServer[] = [];
  try {
    const imapPort = (await plain.listen(config.imapPort, config.host)).port;
    servers.push(plain);
    const imapsPort = (await implicit.listen(config.imapsPort, config.host)).port;
    servers.push(implicit);
    return {
      imapPort,
      imapsPort,
      stop: async () => {
        await Promise.all(servers.map((s) => s.close()));
        await backend.close();
      },
    };
  } catch (error) {
    await Promise.all(servers.map((s) => s.close()));
    await backend.close();
    throw error;
  }
}
