// /api/v1/fault-rules: list, create and delete fault-injection rules (issue 7). After a change the
// serving node reloads its rule cache before answering, so its own SMTP applies the change as soon
// as the response arrives; other nodes follow on NOTIFY.
import {
  createFaultRuleSchema, errorBodySchema, faultRuleListSchema, faultRulePathSchema, faultRuleSchema, runSchema,
} from '@letterbox/contracts';
import { z } from 'zod';
import { AppError } from '../../domain/app-error.ts';
import { createFaultRule } from '../../domain/faults/create-fault-rule.ts';
import { deleteFaultRule } from '../../domain/faults/delete-fault-rule.ts';
import { deleteFaultRules } from '../../domain/faults/delete-fault-rules.ts';
import { listFaultRules } from '../../domain/faults/list-fault-rules.ts';
import { API_PREFIX, type ApiApp, type ApiContext } from '../api-context.ts';

const TAG = 'Fault injection';
const STAGES_DOC =
  'Stages: `connect` (instead of the greeting), `ehlo`, `auth` (run = the AUTH username), `mail_from` (run = the AUTH user), ' +
  '`rcpt_to` (run = AUTH user, else a `+run-<id>` tag of that recipient), `data` (end of DATA, run as for the message; nothing is stored when it rejects). ' +
  'Several rules firing for one command: their delays add up and the first reply or disconnect wins. ' +
  'Probability draws are deterministic: the n-th evaluation of a rule on a node fires when sha256(`seed:n`) < probability.';

export function faultRuleRoutes(app: ApiApp, ctx: ApiContext): void {
  const reload = async () => ctx.faultRules?.reload();

  app.get(`${API_PREFIX}/fault-rules`, {
    schema: {
      operationId: 'listFaultRules',
      tags: [TAG],
      summary: 'List fault-injection rules',
      description: STAGES_DOC,
      response: { 200: faultRuleListSchema, 401: errorBodySchema },
    },
  }, async () => ({ rules: await listFaultRules(ctx.pool) }));

  app.post(`${API_PREFIX}/fault-rules`, {
    schema: {
      operationId: 'createFaultRule',
      tags: [TAG],
      summary: 'Create a fault-injection rule',
      description: `Every node applies it (cached, reloaded on NOTIFY). ${STAGES_DOC}`,
      body: createFaultRuleSchema,
      response: { 201: faultRuleSchema, 400: errorBodySchema, 401: errorBodySchema },
    },
  }, async (request, reply) => {
    const rule = await createFaultRule(ctx.pool, request.body);
    await reload();
    return reply.code(201).send(rule);
  });

  app.delete(`${API_PREFIX}/fault-rules/:id`, {
    schema: {
      operationId: 'deleteFaultRule',
      tags: [TAG],
      summary: 'Delete a fault-injection rule',
      params: faultRulePathSchema,
      response: { 200: z.object({ deleted: z.number().int() }), 400: errorBodySchema, 401: errorBodySchema, 404: errorBodySchema },
    },
  }, async (request) => {
    if (!(await deleteFaultRule(ctx.pool, request.params.id))) {
      throw new AppError('fault_rule_not_found', `no fault rule with id ${request.params.id}`);
    }
    await reload();
    return { deleted: 1 };
  });

  app.delete(`${API_PREFIX}/fault-rules`, {
    schema: {
      operationId: 'deleteFaultRules',
      tags: [TAG],
      summary: 'Delete every fault-injection rule, or every rule of one run',
      querystring: z.object({ run: runSchema.optional() }),
      response: { 200: z.object({ deleted: z.number().int() }), 400: errorBodySchema, 401: errorBodySchema },
    },
  }, async (request) => {
    const deleted = await deleteFaultRules(ctx.pool, request.query.run);
    await reload();
    return { deleted };
  });
}
