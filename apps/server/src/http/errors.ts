// One error envelope for every failure: `{error: {code, message, details?}}` with the status that
// belongs to the code (ERROR_STATUS in @letterbox/contracts).
import { ERROR_STATUS, type ErrorBody, type ErrorCode } from '@letterbox/contracts';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError } from '../domain/app-error.ts';
import type { Logger } from '../logger.ts';

export function sendError(reply: FastifyReply, code: ErrorCode, message: string, details?: Record<string, unknown>): FastifyReply {
  const body: ErrorBody = { error: details ? { code, message, details } : { code, message } };
  return reply.code(ERROR_STATUS[code]).type('application/json; charset=utf-8').send(body);
}

/** Fastify's own client errors (bad JSON, wrong content type, body too large) are 400s too. */
const CLIENT_ERROR_MIN = 400;
const SERVER_ERROR_MIN = 500;

export function errorHandler(log: Logger) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof AppError) return sendError(reply, error.code, error.message, error.details);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const context = error.validationContext ?? 'request';
      const problems = error.validation.map((issue) => {
        const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
        return `${context}${path ? `.${path}` : ''}: ${issue.message}`;
      });
      const fields = error.validation.map((issue) => issue.instancePath.replace(/^\//, '').split('/')[0]).filter(Boolean);
      return sendError(reply, 'invalid_parameter', problems.join('; '), { fields: [...new Set(fields)] });
    }
    const status = error.statusCode ?? SERVER_ERROR_MIN;
    if (status >= CLIENT_ERROR_MIN && status < SERVER_ERROR_MIN) return sendError(reply, 'invalid_parameter', error.message);
    log.error(`http: ${request.method} ${request.url}: ${error.stack ?? error.message}`);
    return sendError(reply, 'internal_error', 'internal error (logged on the server)');
  };
}
