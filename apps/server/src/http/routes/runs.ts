import { deleteResultSchema, errorBodySchema, listRunsQuerySchema, runPageSchema, runPathSchema } from '@letterbox/contracts';
import { deleteRun } from '../../domain/runs/delete-run.ts';
import { listRuns } from '../../domain/runs/list-runs.ts';
import { API_PREFIX, type ApiApp, type ApiContext } from '../api-context.ts';

const TAG = 'Test runs';

export function runRoutes(app: ApiApp, ctx: ApiContext): void {
  app.get(`${API_PREFIX}/runs`, {
    schema: {
      operationId: 'listRuns',
      tags: [TAG],
      summary: 'List test runs',
      description:
        'A message belongs to a run by, first match wins: (1) the SMTP AUTH username, (2) an `X-Letterbox-Run` header, ' +
        '(3) a `+run-<id>` tag in a recipient\'s local part (`user+run-123@example.test` -> `123`). Runs are listed in name order.',
      querystring: listRunsQuerySchema,
      response: { 200: runPageSchema, 400: errorBodySchema, 401: errorBodySchema },
    },
  }, async (request) => listRuns(ctx.pool, { ...request.query, runTtlMs: ctx.settings.runTtlMs }));

  app.delete(`${API_PREFIX}/runs/:run`, {
    schema: {
      operationId: 'deleteRun',
      tags: [TAG],
      summary: 'Delete a test run and its messages',
      description: 'Deletes every message of the run (expunged from IMAP too). 404 run_not_found when the run has no messages.',
      params: runPathSchema,
      response: { 200: deleteResultSchema, 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema },
    },
  }, async (request) => ({ deleted: await deleteRun(ctx, request.params.run) }));
}
