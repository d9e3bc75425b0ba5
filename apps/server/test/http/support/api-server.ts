// A running Letterbox (SMTP, IMAP and the HTTP API on 127.0.0.1:0) over a fresh
// migrated database, plus a nodemailer transport and a small fetch helper.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import pg from 'pg';
import { defaultConfig, type LetterboxConfig } from '../../../src/config.ts';
import type { ApiSettings } from '../../../src/http/api-context.ts';
import type { RunningHttpApi } from '../../../src/http/http-api.ts';
import { startLetterbox, type RunningLetterbox } from '../../../src/letterbox.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/database.ts';

export const DEFAULT_TEST_SETTINGS: ApiSettings = {
  apiToken: null,
  corsOrigins: [],
  maxWaitMs: 60_000,
  runTtlMs: null,
  catchAllAddress: 'catchall',
};

export interface ApiNode {
  letterbox: RunningLetterbox;
  http: RunningHttpApi;
  baseUrl: string;
  smtpPort: number;
  send(mail: Mail.Options): Promise<string>;
  stop(): Promise<void>;
}

export interface ApiServer extends ApiNode {
  database: TestDatabase;
  /** The test's own pool, independent of the server's. */
  db: pg.Pool;
  /** A second node on the same database (another Letterbox process's worth of listeners). */
  startNode(settings?: Partial<ApiSettings>): Promise<ApiNode>;
  stop(): Promise<void>;
}

async function startNode(databaseUrl: string, settings: Partial<ApiSettings>, config: Partial<LetterboxConfig>): Promise<ApiNode> {
  const dataDir = await mkdtemp(join(tmpdir(), 'letterbox-api-test-'));
  const api = { ...DEFAULT_TEST_SETTINGS, ...settings };
  const letterbox = await startLetterbox({
    ...defaultConfig(),
    host: '127.0.0.1',
    smtpPort: 0,
    imapPort: 0,
    imapsPort: 0,
    httpPort: 0,
    databaseUrl,
    dataDir,
    logLevel: 'silent',
    apiToken: api.apiToken,
    corsOrigins: api.corsOrigins,
    apiMaxWaitMs: api.maxWaitMs,
    runTtlMs: api.runTtlMs,
    catchAllAddress: api.catchAllAddress,
    ...config,
  });
  const http = letterbox.http;
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: letterbox.smtpPort, secure: false, ignoreTLS: true });
  return {
    letterbox,
    http,
    baseUrl: `http://127.0.0.1:${http.port}`,
    smtpPort: letterbox.smtpPort,
    /** Resolves after the 250 with the stored message id. */
    async send(mail) {
      const info = await transport.sendMail({ from: 'sender@example.test', ...mail });
      const id = /stored as (\d+)/.exec(info.response)?.[1];
      if (!id) throw new Error(`unexpected SMTP reply: ${info.response}`);
      return id;
    },
    async stop() {
      transport.close();
      await letterbox.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function startApiServer(settings: Partial<ApiSettings> = {}, config: Partial<LetterboxConfig> = {}): Promise<ApiServer> {
  const database = await createTestDatabase();
  const node = await startNode(database.url, settings, config);
  const db = new pg.Pool({ connectionString: database.url, max: 4 });
  db.on('error', () => {});
  const extra: ApiNode[] = [];
  return {
    ...node,
    database,
    db,
    startNode: async (more = {}) => {
      const n = await startNode(database.url, { ...settings, ...more }, config);
      extra.push(n);
      return n;
    },
    stop: async () => {
      for (const n of extra) await n.stop();
      await node.stop();
      await db.end();
      await database.drop();
    },
  };
}

export interface JsonResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

/** fetch + JSON body (or text when the response is not JSON). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read bodies loosely
export async function api<T = any>(baseUrl: string, path: string, init: RequestInit = {}): Promise<JsonResponse<T>> {
  const response = await fetch(baseUrl + path, init);
  const text = await response.text();
  const isJson = response.headers.get('content-type')?.includes('application/json');
  return { status: response.status, headers: response.headers, body: (isJson ? JSON.parse(text) : text) as T };
}
