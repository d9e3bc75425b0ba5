// The HTTP app: Fastify with zod schemas from @letterbox/contracts for validation, serialization
// and the OpenAPI 3.1 document, one error envelope, optional token auth and CORS. Paths outside
// the API go to `fallback` (the web UI, later) on the same origin and port.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import cors from '@fastify/cors';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { API_PREFIX, type ApiApp, type ApiContext } from './api-context.ts';
import { requireToken } from './auth.ts';
import { errorHandler, sendError } from './errors.ts';
import { eventRoutes } from './routes/events.ts';
import { faultRuleRoutes } from './routes/fault-rules.ts';
import { METRICS_PATH, statsRoutes } from './routes/stats.ts';
import { healthRoutes } from './routes/health.ts';
import { inboxRoutes } from './routes/inboxes.ts';
import { messageContentRoutes } from './routes/message-content.ts';
import { messageRoutes } from './routes/messages.ts';
import { runRoutes } from './routes/runs.ts';
import { waitRoutes } from './routes/wait.ts';

export type RequestHandler = (req: IncomingMessage, res: ServerResponse) => void;

export const OPENAPI_PATH = `${API_PREFIX}/openapi.json`;
export const DOCS_PATH = '/api/docs';
/** Path parameters up to this length reach validation (run ids are up to 200 characters, URL-encoded up to 3x). */
const MAX_PARAM_LENGTH = 1_000;
/** JSON bodies are tiny here (`{"read": true}`). */
const BODY_LIMIT_BYTES = 64 * 1024;

/** Paths the API answers; everything else goes to the fallback handler when there is one. */
export function isApiPath(url: string): boolean {
  const path = url.split('?')[0]!;
  return path === '/healthz' || path === '/readyz' || path === METRICS_PATH || path === '/api' || path.startsWith('/api/');
}

export async function buildHttpApp(ctx: ApiContext, fallback?: RequestHandler): Promise<ApiApp> {
  const app = Fastify({
    bodyLimit: BODY_LIMIT_BYTES,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PARAM_LENGTH },
    serverFactory: (handler) =>
      createServer((req, res) => (fallback && !isApiPath(req.url ?? '/') ? fallback(req, res) : handler(req, res))),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler(ctx.log));
  app.setNotFoundHandler((request, reply) => sendError(reply, 'route_not_found', `no route ${request.method} ${request.url.split('?')[0]}`));

  if (ctx.settings.corsOrigins.length > 0) {
    const any = ctx.settings.corsOrigins.includes('*');
    await app.register(cors, {
      origin: any ? true : ctx.settings.corsOrigins,
      methods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
      allowedHeaders: ['authorization', 'content-type'],
      maxAge: 600,
    });
  }
  if (ctx.settings.apiToken !== null) app.addHook('onRequest', requireToken(ctx.settings.apiToken));

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Letterbox API',
        version: '1',
        description:
          'Assert on mail sent to Letterbox: list, fetch, wait for and delete messages; test runs; inboxes; events. ' +
          'Errors are `{"error": {"code", "message"}}`. With an API token configured, send `Authorization: Bearer <token>`.',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: ctx.settings.apiToken === null ? [] : [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, { routePrefix: DOCS_PATH });

  app.get(OPENAPI_PATH, { schema: { hide: true } }, async () => app.swagger());
  healthRoutes(app, ctx);
  messageRoutes(app, ctx);
  waitRoutes(app, ctx);
  messageContentRoutes(app, ctx);
  inboxRoutes(app, ctx);
  runRoutes(app, ctx);
  eventRoutes(app, ctx);
  faultRuleRoutes(app, ctx);
  statsRoutes(app, ctx);
  return app;
}
