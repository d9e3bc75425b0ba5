// A message's raw .eml, its HTML and text parts alone, and its attachments' content.
import { attachmentPathSchema, errorBodySchema, messageFilterSchema, messagePathSchema } from '@letterbox/contracts';
import { z } from 'zod';
import { getAttachment, getMessagePart, getRawMessage } from '../../domain/messages/get-message-content.ts';
import { resolveMessageRef } from '../../domain/messages/resolve-message-ref.ts';
import { API_PREFIX, type ApiApp, type ApiContext } from '../api-context.ts';
import { filterFromQuery } from '../message-filter-params.ts';

const TAG = 'Message content';
const errors = { 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema };
/** Bodies are not JSON; the docs describe them as strings of the given media type. */
const body = (description: string) => z.string().meta({ description });
const binary = (description: string) => z.any().meta({ description });

/**
 * Message HTML is untrusted (DESIGN invariant 6): opened directly, it runs sandboxed with no
 * scripts, no same-origin access and no remote loads; inline styles and data: images still show.
 */
export const HTML_CONTENT_SECURITY_POLICY = "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data: cid:; font-src data:";

export function contentDisposition(kind: 'attachment' | 'inline', filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}

export function messageContentRoutes(app: ApiApp, ctx: ApiContext): void {
  app.get(`${API_PREFIX}/messages/:id/raw`, {
    schema: {
      operationId: 'getMessageRaw',
      tags: [TAG],
      summary: 'Download the raw message (.eml)',
      description: 'The bytes exactly as received over SMTP, as `message/rfc822`.',
      params: messagePathSchema,
      querystring: messageFilterSchema,
      response: { 200: binary('message/rfc822 bytes'), ...errors },
    },
  }, async (request, reply) => {
    const id = await resolveMessageRef(ctx, request.params.id, filterFromQuery(request.query));
    const raw = await getRawMessage(ctx, id);
    return reply.type('message/rfc822').header('content-disposition', contentDisposition('attachment', `${id}.eml`)).send(raw);
  });

  for (const part of ['html', 'text'] as const) {
    app.get(`${API_PREFIX}/messages/:id/${part}`, {
      schema: {
        operationId: part === 'html' ? 'getMessageHtml' : 'getMessageText',
        tags: [TAG],
        summary: part === 'html' ? 'The HTML body alone' : 'The plain-text body alone',
        description:
          part === 'html'
            ? 'text/html, served with a sandboxing Content-Security-Policy (no scripts, no remote content). 404 part_not_found when the message has no HTML body.'
            : 'text/plain; charset=utf-8. 404 part_not_found when the message has no plain-text body.',
        params: messagePathSchema,
        querystring: messageFilterSchema,
        response: { 200: body(part === 'html' ? 'text/html' : 'text/plain'), ...errors },
      },
    }, async (request, reply) => {
      const id = await resolveMessageRef(ctx, request.params.id, filterFromQuery(request.query));
      const content = await getMessagePart(ctx, id, part);
      if (part === 'html') reply.header('content-security-policy', HTML_CONTENT_SECURITY_POLICY).header('x-content-type-options', 'nosniff');
      return reply.type(part === 'html' ? 'text/html; charset=utf-8' : 'text/plain; charset=utf-8').send(content);
    });
  }

  app.get(`${API_PREFIX}/messages/:id/attachments/:attachmentId`, {
    schema: {
      operationId: 'getAttachment',
      tags: [TAG],
      summary: 'Download an attachment',
      description: 'The decoded content with its content type and filename. Attachment ids are listed in the message\'s `attachments`.',
      params: attachmentPathSchema,
      querystring: messageFilterSchema,
      response: { 200: binary('the attachment bytes'), ...errors },
    },
  }, async (request, reply) => {
    const id = await resolveMessageRef(ctx, request.params.id, filterFromQuery(request.query));
    const attachment = await getAttachment(ctx, id, request.params.attachmentId);
    return reply
      .type(attachment.contentType)
      .header('content-disposition', contentDisposition('attachment', attachment.filename ?? `attachment-${request.params.attachmentId}`))
      .header('x-content-type-options', 'nosniff')
      
      .send(attachment.content);
  });
}
