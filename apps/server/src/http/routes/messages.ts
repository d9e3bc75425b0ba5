// Messages: list, get (id or `latest`), mark read/unread, delete one, delete by filter.
// Each route carries its OpenAPI operation (summary, description, schemas with examples).
import {
  deleteResultSchema, errorBodySchema, listMessagesQuerySchema, messageDetailSchema, messageFilterSchema,
  messagePageSchema, messagePathSchema, patchMessageBodySchema,
} from '@letterbox/contracts';
import { deleteMessagesByFilter, deleteMessagesByIds } from '../../domain/messages/delete-messages.ts';
import { findMessages } from '../../domain/messages/find-messages.ts';
import { getMessage } from '../../domain/messages/get-message.ts';
import { markRead } from '../../domain/messages/mark-read.ts';
import { resolveMessageRef } from '../../domain/messages/resolve-message-ref.ts';
import { API_PREFIX, type ApiApp, type ApiContext } from '../api-context.ts';
import { filterFromQuery } from '../message-filter-params.ts';

const TAG = 'Messages';
const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema };

export function messageRoutes(app: ApiApp, ctx: ApiContext): void {
  app.get(`${API_PREFIX}/messages`, {
    schema: {
      operationId: 'listMessages',
      tags: [TAG],
      summary: 'List messages',
      description:
        'Messages matching every given filter, newest first, without bodies. Pages are bounded (limit 1-200); ' +
        'follow `nextCursor`. Example: `GET /api/v1/messages?to=bob@example.test&subject=Welcome&run=ci-42`.',
      querystring: listMessagesQuerySchema,
      response: { 200: messagePageSchema, ...errors },
    },
  }, async (request) => {
    const { limit, cursor, ...rest } = request.query;
    return findMessages(ctx, { filter: filterFromQuery(rest), limit, cursor });
  });

  app.get(`${API_PREFIX}/messages/:id`, {
    schema: {
      operationId: 'getMessage',
      tags: [TAG],
      summary: 'Get one message',
      description:
        'Envelope, headers, addresses, bodies, attachments list, SMTP facts and derived data (links with their text, ' +
        'one-time codes, List-Unsubscribe targets). `{id}` may be `latest`: the newest message matching the query filters, ' +
        'e.g. `GET /api/v1/messages/latest?to=bob@example.test`.',
      params: messagePathSchema,
      querystring: messageFilterSchema,
      response: { 200: messageDetailSchema, ...errors },
    },
  }, async (request) => {
    const id = await resolveMessageRef(ctx, request.params.id, filterFromQuery(request.query));
    return getMessage(ctx, id);
  });

  app.patch(`${API_PREFIX}/messages/:id`, {
    schema: {
      operationId: 'updateMessage',
      tags: [TAG],
      summary: 'Mark a message read or unread',
      description: 'Body `{"read": true}` or `{"read": false}`. API/UI read state; IMAP \\Seen flags are per mailbox and separate.',
      params: messagePathSchema,
      querystring: messageFilterSchema,
      body: patchMessageBodySchema,
      response: { 200: messageDetailSchema, ...errors },
    },
  }, async (request) => {
    const id = await resolveMessageRef(ctx, request.params.id, filterFromQuery(request.query));
    await markRead(ctx.pool, id, request.body.read);
    return getMessage(ctx, id);
  });

  app.delete(`${API_PREFIX}/messages/:id`, {
    schema: {
      operationId: 'deleteMessage',
      tags: [TAG],
      summary: 'Delete one message',
      description: 'Gone from the API at once and expunged from every IMAP mailbox (connected clients see EXPUNGE).',
      params: messagePathSchema,
      querystring: messageFilterSchema,
      response: { 200: deleteResultSchema, ...errors },
    },
  }, async (request) => {
    const id = await resolveMessageRef(ctx, request.params.id, filterFromQuery(request.query));
    await deleteMessagesByIds(ctx, [id]);
    return { deleted: 1 };
  });

  app.delete(`${API_PREFIX}/messages`, {
    schema: {
      operationId: 'deleteMessages',
      tags: [TAG],
      summary: 'Delete messages by filter (all without one)',
      description: 'Deletes every message matching the filters; with no filter, every message. Example: `DELETE /api/v1/messages?run=ci-42`.',
      querystring: messageFilterSchema,
      response: { 200: deleteResultSchema, ...errors },
    },
  }, async (request) => ({ deleted: await deleteMessagesByFilter(ctx, filterFromQuery(request.query)) }));
}
