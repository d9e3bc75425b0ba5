import { errorBodySchema, healthSchema, readinessSchema } from '@letterbox/contracts';
import { checkReadiness } from '../../domain/check-readiness.ts';
import type { ApiApp, ApiContext } from '../api-context.ts';

export function healthRoutes(app: ApiApp, ctx: ApiContext): void {
  app.get('/healthz', {
    schema: {
      operationId: 'liveness',
      tags: ['Health'],
      summary: 'Liveness',
      description: 'The process serves HTTP. Open even when an API token is configured.',
      response: { 200: healthSchema },
    },
  }, async () => ({ status: 'ok' as const }));

  app.get('/readyz', {
    schema: {
      operationId: 'readiness',
      tags: ['Health'],
      summary: 'Readiness',
      description: 'Ready when the database answers and every migration of this build is applied; 503 otherwise. Open without a token.',
      response: { 200: readinessSchema, 503: readinessSchema.or(errorBodySchema) },
    },
  }, async (_request, reply) => {
    const readiness = await checkReadiness(ctx.pool);
    return reply.code(readiness.status === 'ready' ? 200 : 503).send(readiness);
  });
}
