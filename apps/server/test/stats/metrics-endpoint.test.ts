// /metrics and /api/v1/stats on a running node: what SMTP traffic (accepted, rejected by a fault)
// does to them.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestLetterbox, type TestLetterbox } from '../smtp/support/test-letterbox.ts';
import { send } from '../faults/support.ts';

let server: TestLetterbox;
let secured: TestLetterbox;
beforeAll(async () => {
  server = await startTestLetterbox();
  secured = await startTestLetterbox({ apiToken: 'sesame' });
});
afterAll(async () => {
  await server?.stop();
  await secured?.stop();
});

const scrape = async () => (await fetch(`http://127.0.0.1:${server.letterbox.httpPort}/metrics`)).text();
/** The server notices a client's close a moment after the client closed it. */
const activeConnectionsBecome = (n: number) =>
  vi.waitFor(async () => expect(metric(await scrape(), 'letterbox_smtp_active_connections')).toBe(n), { timeout: 10_000, interval: 20 });

const metric = (text: string, series: string) => {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
};

describe('ingest statistics', () => {
  it('count accepted messages and bytes by run, fault rejects, latencies and connections', async () => {
    for (let i = 0; i < 3; i++) expect((await send(server, { to: 'a+run-load1@x.test' })).ok).toBe(true);
    expect((await send(server, { to: 'b@x.test' })).ok).toBe(true);
    expect((await send(server, { to: 'c+reject-550+run-load2@x.test' })).ok).toBe(false);

    const response = await fetch(`http://127.0.0.1:${server.letterbox.httpPort}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = await response.text();
    expect(metric(text, 'letterbox_smtp_messages_accepted_total{run="load1"}')).toBe(3);
    expect(metric(text, 'letterbox_smtp_messages_accepted_total{run="(none)"}')).toBe(1);
    expect(metric(text, 'letterbox_smtp_bytes_accepted_total{run="load1"}')).toBeGreaterThan(3 * 100);
    expect(metric(text, 'letterbox_smtp_rejects_total{stage="rcpt_to",reason="fault",run="load2"}')).toBe(1);
    expect(metric(text, 'letterbox_smtp_accept_duration_seconds_count{run="load1"}')).toBe(3);
    expect(metric(text, 'letterbox_ingest_committed_messages_total')).toBe(4);
    expect(metric(text, 'letterbox_ingest_commit_duration_seconds_count')).toBeGreaterThanOrEqual(1);

    const stats = await (await fetch(`http://127.0.0.1:${server.letterbox.httpPort}/api/v1/stats`)).json() as {
      messages: number; rejects: number; loadTestMode: boolean; accept: { count: number; p50Ms: number | null };
      runs: { run: string; messages: number; rejects: { stage: string; reason: string; count: number }[] }[];
    };
    expect(stats).toMatchObject({ messages: 4, rejects: 1, loadTestMode: false, accept: { count: 4 } });
    expect(stats.accept.p50Ms).toBeGreaterThan(0);
    expect(stats.runs.find((r) => r.run === 'load2')!.rejects).toEqual([{ stage: 'rcpt_to', reason: 'fault', count: 1 }]);
  });

  it('counts open SMTP connections', async () => {
    const net = await import('node:net');
    await activeConnectionsBecome(0);
    const socket = net.connect(server.letterbox.smtpPort, '127.0.0.1');
    await new Promise((resolve) => socket.once('data', resolve));
    await activeConnectionsBecome(1);
    socket.destroy();
    await activeConnectionsBecome(0);
  });

  it('/metrics needs the API token when one is configured', async () => {
    const base = `http://127.0.0.1:${secured.letterbox.httpPort}`;
    expect((await fetch(`${base}/metrics`)).status).toBe(401);
    expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer sesame' } })).status).toBe(200);
  });
});
