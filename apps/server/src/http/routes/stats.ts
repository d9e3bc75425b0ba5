// Ingest statistics of this node: GET /api/v1/stats (JSON) and GET /metrics (Prometheus text).
// /metrics sits outside /api where scrapers expect it; with an API token configured it needs the
// token like the API (Prometheus: `authorization: { credentials: <token> }`).
import { createHash, timingSafeEqual } from 'node:crypto';
import { errorBodySchema, ingestStatsSchema } from '@letterbox/contracts';
import { prometheusText, PROMETHEUS_CONTENT_TYPE } from '../../domain/stats/prometheus-text.ts';
import { summarizeStats } from '../../domain/stats/summarize-stats.ts';
import { API_PREFIX, type ApiApp, type ApiContext } from '../api-context.ts';
import { tokenFromRequest } from '../auth.ts';
import { sendError } from '../errors.ts';

export const METRICS_PATH = '/metrics';

const digest = (value: string) => createHash('sha256').update(value).digest();

export function statsRoutes(app: ApiApp, ctx: ApiContext): void {
  const stats = ctx.stats;
  if (!stats) return;

  app.get(`${API_PREFIX}/stats`, {
    schema: {
      operationId: 'getIngestStats',
      tags: ['Statistics'],
      summary: "This node's ingest statistics",
      description:
        'Messages and bytes acknowledged, rejects by stage and reason, SMTP accept latency (end of DATA to the acknowledging commit) ' +
        'and commit latency, active connections, by run. Runs past the per-node label limit are added up under "(other)". ' +
        `The same numbers in the Prometheus format: GET ${METRICS_PATH}.`,
      response: { 200: ingestStatsSchema, 401: errorBodySchema },
    },
  }, async () => summarizeStats(stats));

  app.get(METRICS_PATH, { schema: { hide: true } }, async (request, reply) => {
    const token = ctx.settings.apiToken;
    if (token !== null) {
      const given = tokenFromRequest(request);
      if (given === null || !timingSafeEqual(digest(given), digest(token))) {
        reply.header('www-authenticate', 'Bearer realm="letterbox"');
        return sendError(reply, 'unauthorized', 'this server requires an API token (Authorization: Bearer <token>)');
      }
    }
    return reply.type(PROMETHEUS_CONTENT_TYPE).send(prometheusText(stats));
  });
}
