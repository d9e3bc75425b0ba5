// The web UI will be served on the API's origin: every non-API path goes to a fallback handler.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpApi, type RunningHttpApi } from '../../../src/http/http-api.ts';
import type { RunningLetterbox } from '../../../src/letterbox.ts';
import { silentLogger } from '../../../src/logger.ts';
import { api, DEFAULT_TEST_SETTINGS, startApiServer, type ApiServer } from '../support/api-server.ts';

let server: ApiServer;
let withFallback: RunningHttpApi;
let baseUrl: string;
const seen: string[] = [];

beforeAll(async () => {
  server = await startApiServer();
  const letterbox: RunningLetterbox = server.letterbox;
  withFallback = await startHttpApi({
    host: '127.0.0.1',
    port: 0,
    databaseUrl: server.database.url,
    pool: letterbox.database.pool,
    log: silentLogger,
    settings: DEFAULT_TEST_SETTINGS,
    fallback: (req, res) => {
      seen.push(`${req.method} ${req.url}`);
      res.writeHead(200, { 'content-type': 'text/html' }).end('<h1>web inbox</h1>');
    },
  });
  baseUrl = `http://127.0.0.1:${withFallback.port}`;
});
afterAll(async () => {
  await withFallback?.stop();
  await server?.stop();
});

describe('the fallback handler', () => {
  it('gets every path outside /api, /healthz and /readyz, with its method and body untouched', async () => {
    const page = await fetch(`${baseUrl}/inbox/bob?x=1`);
    expect(await page.text()).toBe('<h1>web inbox</h1>');
    await fetch(`${baseUrl}/_next/action`, { method: 'POST', body: 'form=1' });
    expect(seen).toEqual(['GET /inbox/bob?x=1', 'POST /_next/action']);
  });

  it('does not get API paths', async () => {
    expect((await api(baseUrl, '/api/v1/messages')).status).toBe(200);
    expect((await api(baseUrl, '/healthz')).body).toEqual({ status: 'ok' });
    expect((await api(baseUrl, '/api/v1/unknown')).body.error.code).toBe('route_not_found');
    expect(seen).toHaveLength(2);
  });
});

