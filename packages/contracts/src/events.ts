import { z } from 'zod';
import { idSchema, runSchema } from './common.ts';

/** What the SSE stream at /api/v1/events sends as `event:` names, with JSON `data:`. */
export const apiEventTypeSchema = z.enum(['message.created', 'message.updated', 'message.deleted']);
export type ApiEventType = z.infer<typeof apiEventTypeSchema>;

export const apiEventSchema = z
  .object({ type: apiEventTypeSchema, messageIds: z.array(idSchema) })
  .meta({ id: 'Event', example: { type: 'message.created', messageIds: ['42'] } });
export type ApiEvent = z.infer<typeof apiEventSchema>;

export const eventsQuerySchema = z.object({
  run: runSchema.optional().meta({ description: 'Only created events of messages in this run (updated and deleted events are sent unfiltered).' }),
  token: z.string().optional().meta({ description: 'The API token, for EventSource, which cannot set headers.' }),
});
