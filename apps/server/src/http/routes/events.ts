// Server-Sent Events of message changes, from the HTTP API's event hub (its LISTEN hears every node).
import type { ApiEvent } from '@letterbox/contracts';
import { errorBodySchema, eventsQuerySchema } from '@letterbox/contracts';
import { z } from 'zod';
import type { LetterboxEvent } from '../../domain/events/letterbox-events.ts';
import { API_PREFIX, type ApiApp, type ApiContext } from '../api-context.ts';

/** A comment line this often keeps proxies and load balancers from closing an idle stream. */
export const SSE_HEARTBEAT_MS = 15_000;
/** EventSource reconnects after this long when the stream drops. */
const SSE_RETRY_MS = 2_000;

/** Letterbox's internal events as the API names them; IMAP-only changes are not sent. */
export function toApiEvent(event: LetterboxEvent): ApiEvent | null {
  switch (event.type) {
    case 'messages.created':
      return { type: 'message.created', messageIds: event.messageIds };
    case 'messages.updated':
      return { type: 'message.updated', messageIds: event.messageIds };
    case 'messages.expunged':
      // Expunged everywhere = deleted as far as the API is concerned (the purge later is silent).
      return event.messageIds.length > 0 ? { type: 'message.deleted', messageIds: event.messageIds } : null;
    default:
      return null;
  }
}

export function eventRoutes(app: ApiApp, ctx: ApiContext): void {
  app.get(`${API_PREFIX}/events`, {
    schema: {
      operationId: 'streamEvents',
      tags: ['Events'],
      summary: 'Stream message events (SSE)',
      description:
        'text/event-stream. Event names `message.created`, `message.updated` (read state), `message.deleted`; ' +
        'data is JSON `{"type", "messageIds"}`. With an API token, pass it as `?token=` (EventSource cannot set headers). ' +
        'Example: `new EventSource("/api/v1/events?run=ci-42")`.',
      querystring: eventsQuerySchema,
      response: { 200: z.string().meta({ description: 'text/event-stream' }), 401: errorBodySchema },
    },
  }, (request, reply) => {
    const run = request.query.run;
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      ...(reply.getHeaders() as Record<string, string>),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write(`retry: ${SSE_RETRY_MS}\n: connected\n\n`);
    const send = (event: ApiEvent) => res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    const unsubscribe = ctx.hub.subscribe({
      onEvent(event) {
        const apiEvent = toApiEvent(event);
        if (!apiEvent) return;
        if (run === undefined || apiEvent.type !== 'message.created') {
          send(apiEvent);
          return;
        }
        ctx.pool
          .query<{ id: string }>('SELECT id FROM messages WHERE id = ANY($1::bigint[]) AND run = $2', [apiEvent.messageIds, run])
          .then(
            (r) => {
              if (r.rows.length > 0) send({ ...apiEvent, messageIds: r.rows.map((row) => row.id) });
            },
            (error: Error) => ctx.log.warn(`events: ${error.message}`),
          );
      },
    });
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), SSE_HEARTBEAT_MS);
    res.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  });
}
