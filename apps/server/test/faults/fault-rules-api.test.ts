// /api/v1/fault-rules: list, create, delete, validation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestLetterbox, type TestLetterbox } from '../smtp/support/test-letterbox.ts';
import { apiBase, createRule, send } from './support.ts';

let server: TestLetterbox;
beforeAll(async () => {
  server = await startTestLetterbox();
});
afterAll(async () => {
  await server?.stop();
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON bodies under test
const json = async (response: Response | Promise<Response>): Promise<any> => (await response).json();
const post = (body: unknown) =>
  fetch(`${apiBase(server)}/fault-rules`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('/api/v1/fault-rules', () => {
  it('creates with defaults, lists in creation order, deletes one, then all of a run', async () => {
    const a = await createRule(server, { stage: 'rcpt_to', reply: { code: 550 } });
    expect(a).toMatchObject({
      stage: 'rcpt_to', run: null, delayMs: 0, disconnect: false, probability: 1, seed: 0,
      reply: { code: 550, enhancedStatus: '5.1.1', message: `Injected fault (rule ${a.id})` },
    });
    const b = await createRule(server, { stage: 'data', run: 'r', delayMs: 10 });
    const c = await createRule(server, { stage: 'auth', run: 'r', disconnect: true });
    const list = await json(fetch(`${apiBase(server)}/fault-rules`));
    expect(list.rules.map((r: { id: string }) => r.id)).toEqual([a.id, b.id, c.id]);

    expect((await fetch(`${apiBase(server)}/fault-rules/${a.id}`, { method: 'DELETE' })).status).toBe(200);
    const missing = await fetch(`${apiBase(server)}/fault-rules/${a.id}`, { method: 'DELETE' });
    expect(missing.status).toBe(404);
    expect((await json(missing)).error.code).toBe('fault_rule_not_found');

    const bulk = await fetch(`${apiBase(server)}/fault-rules?run=r`, { method: 'DELETE' });
    expect(await json(bulk)).toEqual({ deleted: 2 });
    expect((await json(fetch(`${apiBase(server)}/fault-rules`))).rules).toEqual([]);
  });

  it('a deleted rule stops acting at once on the node that deleted it', async () => {
    const rule = await createRule(server, { stage: 'rcpt_to', reply: { code: 550 } });
    expect((await send(server, { to: 'a@x.test' })).ok).toBe(false);
    await fetch(`${apiBase(server)}/fault-rules/${rule.id}`, { method: 'DELETE' });
    expect((await send(server, { to: 'a@x.test' })).ok).toBe(true);
  });

  it.each([
    [{ stage: 'rcpt_to' }, /reply, a delay or disconnect/],
    [{ stage: 'rcpt_to', reply: { code: 250 } }, /code/],
    [{ stage: 'rcpt_to', reply: { code: 550, enhancedStatus: '4.1.1' } }, /same class/],
    [{ stage: 'rcpt_to', reply: { code: 550 }, disconnect: true }, /exclude/],
    [{ stage: 'connect', run: 'r', delayMs: 5 }, /global/],
    [{ stage: 'rcpt_to', delayMs: 5, probability: 1.5 }, /probability/],
    [{ stage: 'helo', delayMs: 5 }, /stage/],
    [{ stage: 'rcpt_to', reply: { code: 550, message: 'two\r\nlines' } }, /one line/],
  ])('refuses %j with 400', async (body, message) => {
    const response = await post(body);
    expect(response.status).toBe(400);
    const error = (await json(response)).error;
    expect(error.code).toBe('invalid_parameter');
    expect(error.message).toMatch(message);
  });

  it('is in the OpenAPI document', async () => {
    const doc = await json(fetch(`${apiBase(server)}/openapi.json`));
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/fault-rules', '/api/v1/fault-rules/{id}']));
    expect(doc.paths['/api/v1/fault-rules'].post.operationId).toBe('createFaultRule');
  });
});
