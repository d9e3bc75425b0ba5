// The fault rules every node applies, cached in memory: SMTP commands never query for them. A
// node reloads the whole (small) table when NOTIFY letterbox_fault_rules says it changed, and
// after its LISTEN connection comes back (notifications sent while it was down are gone). The
// node that served a create/delete reloads before answering, so its own SMTP sees the change
// as soon as the API call returns; other nodes see it once the NOTIFY arrives (milliseconds).
import type { FaultStage } from '@letterbox/contracts';
import type pg from 'pg';
import { listen, type Listener } from '../../db/listen.ts';
import type { Logger } from '../../logger.ts';
import { faultReply, type FaultAction } from './fault-action.ts';
import { FAULT_RULE_COLUMNS, FAULT_RULES_CHANNEL, type FaultRuleRow } from './fault-rule-rows.ts';
import { SeededDraws } from './seeded-draw.ts';

export interface FaultRules {
  /** Actions of the rules that fire for one command at `stage` in a session of `run` (advances their draws). */
  actionsAt(stage: FaultStage, run: string | null): FaultAction[];
  /** Re-reads the rules; resolves once the cache reflects every change committed before the call. */
  reload(): Promise<void>;
  close(): Promise<void>;
}

interface CachedRule {
  id: string;
  run: string | null;
  probability: number;
  seed: number;
  action: FaultAction;
}

export interface FaultRuleCacheOptions {
  pool: pg.Pool;
  databaseUrl: string;
  log: Logger;
}

export async function startFaultRuleCache(options: FaultRuleCacheOptions): Promise<FaultRules> {
  const { pool, log } = options;
  let byStage = new Map<FaultStage, CachedRule[]>();
  const draws = new SeededDraws();

  const load = async () => {
    const result = await pool.query<FaultRuleRow>(`SELECT ${FAULT_RULE_COLUMNS} FROM fault_rules ORDER BY id`);
    const next = new Map<FaultStage, CachedRule[]>();
    for (const row of result.rows) {
      const source = `rule ${row.id}`;
      const rule: CachedRule = {
        id: row.id,
        run: row.run,
        probability: row.probability,
        seed: row.seed,
        action: {
          delayMs: row.delayMs,
          reply: row.replyCode === null ? null : faultReply(row.replyCode, row.enhancedStatus, row.replyMessage, source),
          disconnect: row.disconnect,
          source,
        },
      };
      next.set(row.stage, [...(next.get(row.stage) ?? []), rule]);
    }
    byStage = next;
    draws.keepOnly(new Set(result.rows.map((r) => r.id)));
  };

  // Reloads are serialised; a request during one schedules exactly one more, which starts after
  // the running one and so sees every commit that preceded the request.
  let current: Promise<void> = Promise.resolve();
  let queued: Promise<void> | null = null;
  const reload = (): Promise<void> => {
    if (queued) return queued;
    const next = current.catch(() => {}).then(() => {
      queued = null;
      return load();
    });
    queued = next;
    current = next;
    return next;
  };
  const reloadInBackground = () => {
    reload().catch((error: Error) => log.warn(`fault rules: reload failed: ${error.message}`));
  };

  const listener: Listener = await listen(options.databaseUrl, FAULT_RULES_CHANNEL, reloadInBackground, {
    onReconnect: reloadInBackground,
    log: (message) => log.warn(message),
  });
  try {
    await reload();
  } catch (error) {
    await listener.close();
    throw error;
  }

  return {
    actionsAt(stage, run) {
      const rules = byStage.get(stage);
      if (!rules) return [];
      const fired: FaultAction[] = [];
      for (const rule of rules) {
        if (rule.run !== null && rule.run !== run) continue;
        if (draws.fires(rule.id, rule.seed, rule.probability)) fired.push(rule.action);
      }
      return fired;
    },
    reload,
    close: () => listener.close(),
  };
}
