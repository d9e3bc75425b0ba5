import { errorBodySchema, inboxPageSchema, listInboxesQuerySchema } from '@letterbox/contracts';
import { listInboxes } from '../../domain/inboxes/list-inboxes.ts';
import { API_PREFIX, type ApiApp, type ApiContext } from '../api-context.ts';

export function inboxRoutes(app: ApiApp, ctx: ApiContext): void {
  app.get(`${API_PREFIX}/inboxes`, {
    schema: {
      operationId: 'listInboxes',
      tags: ['Inboxes'],
      summary: 'List the recipient addresses seen',
      description:
        'Every envelope recipient address with its message count and last-received time, in address order. ' +
        '`address` filters by substring; `run` limits to one run. Example: `GET /api/v1/inboxes?address=example.test`.',
      querystring: listInboxesQuerySchema,
      response: { 200: inboxPageSchema, 400: errorBodySchema, 401: errorBodySchema },
    },
  }, async (request) => listInboxes(ctx.pool, { ...request.query, catchAllAddress: ctx.settings.catchAllAddress }));
}
