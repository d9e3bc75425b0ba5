// Optional API token: with one configured, every /api request needs `Authorization: Bearer
// <token>` or `?token=<token>` (EventSource cannot set headers). Health probes and the API docs
// page stay open: they show no mail.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from './errors.ts';

const OPEN_PREFIXES = ['/api/docs'];

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

export function tokenFromRequest(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer\s+(.+)$/i.exec(header);
    return match ? match[1]!.trim() : null;
  }
  const query = request.query as Record<string, unknown> | undefined;
  return typeof query?.token === 'string' ? query.token : null;
}

export function requireToken(token: string) {
  const expected = digest(token);
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0]!;
    if (!path.startsWith('/api/') || OPEN_PREFIXES.some((p) => path.startsWith(p))) return;
    const given = tokenFromRequest(request);
    // Compare digests in constant time: the token's length and content do not leak through timing.
    if (given === null || !timingSafeEqual(digest(given), expected)) {
      reply.header('www-authenticate', 'Bearer realm="letterbox"');
      return sendError(reply, 'unauthorized', given === null ? 'this server requires an API token (Authorization: Bearer <token>)' : 'wrong API token');
    }
  };
}
