// What the routes need: the pool, the node's waiters and event hub, and the API settings.
import type { FastifyInstance, FastifyBaseLogger, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type pg from 'pg';
import type { EventHub } from '../domain/events/event-hub.ts';
import type { FaultRules } from '../domain/faults/fault-rule-cache.ts';
import type { IngestStats } from '../domain/stats/ingest-stats.ts';
import type { MessageWaiters } from '../domain/messages/wait-for-messages.ts';
import type { Logger } from '../logger.ts';

export interface ApiSettings {
  /** Bearer token every /api request must carry; null = open. */
  apiToken: string | null;
  /** Allowed CORS origins; ['*'] = any; [] = no CORS headers. */
  corsOrigins: string[];
  /** Longest wait a client may ask for. */
  maxWaitMs: number;
  /** Run TTL, for expiresAt in run listings; null = runs do not expire. */
  runTtlMs: number | null;
  catchAllAddress: string;
}

export interface ApiContext {
  pool: pg.Pool;
  log: Logger;
  hub: EventHub;
  waiters: MessageWaiters;
  settings: ApiSettings;
  /** This node's fault-rule cache, reloaded after API changes (absent: rules apply on NOTIFY only). */
  faultRules?: FaultRules;
  /** This node's ingest statistics (/api/v1/stats, /metrics); absent: those routes are not served. */
  stats?: IngestStats;
}

export type ApiApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

export const API_PREFIX = '/api/v1';
