// The long poll CI uses instead of a polling loop: answers as soon as `count` messages match.
import { DEFAULT_WAIT_TIMEOUT_MS, errorBodySchema, waitQuerySchema, waitResultSchema } from '@letterbox/contracts';
import { AppError } from '../../domain/app-error.ts';
import { API_PREFIX, type ApiApp, type ApiContext } from '../api-context.ts';
import { filterFromQuery } from '../message-filter-params.ts';

export function waitRoutes(app: ApiApp, ctx: ApiContext): void {
  app.get(`${API_PREFIX}/messages/wait`, {
    schema: {
      operationId: 'waitForMessages',
      tags: ['Messages'],
      summary: 'Wait for matching messages',
      description:
        'Returns as soon as at least `count` messages match the filters, counting messages already stored (use `since` ' +
        'or `run` to ignore older mail). Woken by PostgreSQL NOTIFY, so a delivery to any node counts. On timeout: ' +
        '**408** with code `wait_timeout` and `details.matched`. Example: ' +
        '`GET /api/v1/messages/wait?to=bob@example.test&subject=Verify&run=ci-42&timeout=10000`.',
      querystring: waitQuerySchema,
      response: { 200: waitResultSchema, 400: errorBodySchema, 401: errorBodySchema, 408: errorBodySchema },
    },
  }, async (request, reply) => {
    const { timeout: asked, count, ...rest } = request.query;
    const timeout = asked ?? Math.min(DEFAULT_WAIT_TIMEOUT_MS, ctx.settings.maxWaitMs);
    if (timeout > ctx.settings.maxWaitMs) {
      throw new AppError('invalid_parameter', `querystring.timeout: at most ${ctx.settings.maxWaitMs} ms on this server (--api-max-wait)`, { fields: ['timeout'] });
    }
    const filter = filterFromQuery(rest);
    // The client hanging up ends the wait (and frees the waiter) at once.
    const abort = new AbortController();
    reply.raw.on('close', () => abort.abort());
    const messages = await ctx.waiters.wait({ filter, count, timeoutMs: timeout, signal: abort.signal });
    return { messages };
  });
}
