import { describe, expect, it } from 'vitest';
import {
  ERROR_STATUS, errorBodySchema, inboxSchema, listMessagesQuerySchema, MAX_PAGE_SIZE, messageDetailSchema, messageFilterSchema, messagePageSchema,
  messageSummarySchema, testRunSchema, waitQuerySchema, waitResultSchema,
} from '../src/index.ts';

describe('message filter schema', () => {
  it('turns query-string values into typed filters', () => {
    expect(messageFilterSchema.parse({ to: 'bob@x.test', hasAttachment: 'true', read: '0', header: ['A:1', 'B'] })).toEqual({
      to: 'bob@x.test', hasAttachment: true, read: false, header: ['A:1', 'B'],
    });
  });

  it.each([
    ['hasAttachment', { hasAttachment: 'yes' }],
    ['since', { since: 'yesterday' }],
    ['header', { header: ':value' }],
    ['run', { run: 'x'.repeat(201) }],
    ['subjectRegex', { subjectRegex: 'x'.repeat(301) }],
  ])('rejects a bad %s', (field, input) => {
    const result = messageFilterSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path).toEqual([field]);
  });
});

describe('page and wait parameters', () => {
  it('defaults the page size and bounds it', () => {
    expect(listMessagesQuerySchema.parse({}).limit).toBe(50);
    expect(listMessagesQuerySchema.safeParse({ limit: String(MAX_PAGE_SIZE + 1) }).success).toBe(false);
  });

  it('leaves the wait timeout to the server and defaults count to 1', () => {
    expect(waitQuerySchema.parse({})).toEqual({ count: 1 });
    expect(waitQuerySchema.safeParse({ count: '0' }).success).toBe(false);
  });
});

describe('error envelope', () => {
  it('accepts every code and maps each to an HTTP error status', () => {
    for (const [code, status] of Object.entries(ERROR_STATUS)) {
      expect(errorBodySchema.safeParse({ error: { code, message: 'm' } }).success).toBe(true);
      expect(status).toBeGreaterThanOrEqual(400);
    }
    expect(errorBodySchema.safeParse({ error: { code: 'nope', message: 'm' } }).success).toBe(false);
  });
});

describe('documented examples', () => {
  it.each([
    ['Message', messageDetailSchema],
    ['MessageSummary', messageSummarySchema],
    ['MessagePage', messagePageSchema],
    ['WaitResult', waitResultSchema],
    ['Inbox', inboxSchema],
    ['TestRun', testRunSchema],
    ['Error', errorBodySchema],
  ] as const)('the %s example is valid for its own schema', (_name, schema) => {
    const example = schema.meta()?.example;
    expect(example).toBeDefined();
    expect(schema.safeParse(example).error).toBeUndefined();
  });
});
