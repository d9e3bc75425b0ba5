'use client';
// The rules list with a create form and delete buttons, on /api/v1/fault-rules (same origin).
import { FAULT_STAGES, type FaultRule, type FaultRuleList, type FaultStage } from '@letterbox/contracts';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { apiErrorFrom } from '~/lib/api-error';
import { readTokenCookie } from '~/lib/api-token';
import { describeFaultRule, STAGE_LABELS } from '~/lib/fault-rule-text';

const RULES = '/api/v1/fault-rules';

async function call(method: string, path: string, body?: unknown): Promise<Response> {
  const token = readTokenCookie(document.cookie);
  const response = await fetch(path, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? null : JSON.stringify(body),
    cache: 'no-store',
  });
  if (!response.ok) throw await apiErrorFrom(response);
  return response;
}

type Outcome = 'reply' | 'delay' | 'disconnect';

export function FaultRulesView() {
  const [rules, setRules] = useState<FaultRule[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [stage, setStage] = useState<FaultStage>('rcpt_to');
  const [outcome, setOutcome] = useState<Outcome>('reply');

  const load = useCallback(async () => {
    try {
      setRules(((await (await call('GET', RULES)).json()) as FaultRuleList).rules);
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }, []);
  useEffect(() => void load(), [load]);

  const create = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    const number = (name: string, fallback: number) => (text(name) === '' ? fallback : Number(text(name)));
    const body = {
      stage,
      run: text('run') === '' ? null : text('run'),
      reply: outcome === 'reply'
        ? { code: number('code', 451), ...(text('enhancedStatus') ? { enhancedStatus: text('enhancedStatus') } : {}), ...(text('message') ? { message: text('message') } : {}) }
        : null,
      delayMs: number('delayMs', 0),
      disconnect: outcome === 'disconnect',
      probability: number('probability', 1),
      seed: number('seed', 0),
    };
    try {
      await call('POST', RULES, body);
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const remove = async (id: string) => {
    try {
      await call('DELETE', `${RULES}/${id}`);
      await load();
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const runless = stage === 'connect' || stage === 'ehlo';
  return (
    <section aria-labelledby="rules-heading">
      <h2 id="rules-heading">Rules</h2>
      {error && <p className="notice" role="alert">{error}</p>}
      {rules === null ? <p>Loading…</p> : rules.length === 0 ? <p>No rules: every command gets its normal reply.</p> : (
        <table>
          <thead><tr><th scope="col">Id</th><th scope="col">Rule</th><th scope="col">Seed</th><th scope="col">Delete</th></tr></thead>
          <tbody>
            {rules.map((rule) => (
              <tr key={rule.id}>
                <td>{rule.id}</td>
                <td>{describeFaultRule(rule)}</td>
                <td>{rule.seed}</td>
                <td><button type="button" className="danger" onClick={() => void remove(rule.id)} aria-label={`Delete rule ${rule.id}`}>Delete</button></td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>New rule</h3>
      <form onSubmit={(e) => void create(e)} style={{ display: 'grid', gap: '0.5rem', gridTemplateColumns: 'max-content 1fr', alignItems: 'center' }}>
        <label htmlFor="fr-stage">Stage</label>
        <select id="fr-stage" value={stage} onChange={(e) => setStage(e.target.value as FaultStage)}>
          {FAULT_STAGES.map((s) => <option key={s} value={s}>{STAGE_LABELS[s]}</option>)}
        </select>
        <label htmlFor="fr-run">Run</label>
        <input id="fr-run" name="run" placeholder={runless ? 'every session (no run known at this stage)' : 'every session'} disabled={runless} />
        <label htmlFor="fr-outcome">Then</label>
        <select id="fr-outcome" value={outcome} onChange={(e) => setOutcome(e.target.value as Outcome)}>
          <option value="reply">answer with an error</option>
          <option value="delay">only wait</option>
          <option value="disconnect">drop the connection</option>
        </select>
        {outcome === 'reply' && (
          <>
            <label htmlFor="fr-code">Code</label>
            <input id="fr-code" name="code" type="number" min={400} max={599} defaultValue={451} required />
            <label htmlFor="fr-enhanced">Enhanced status</label>
            <input id="fr-enhanced" name="enhancedStatus" placeholder="default for the code, e.g. 4.3.0" pattern="[45]\.\d{1,3}\.\d{1,3}" />
            <label htmlFor="fr-message">Message</label>
            <input id="fr-message" name="message" maxLength={200} placeholder="Injected fault (rule N)" />
          </>
        )}
        <label htmlFor="fr-delay">Delay (ms)</label>
        <input id="fr-delay" name="delayMs" type="number" min={0} max={600000} defaultValue={outcome === 'delay' ? 1000 : 0} />
        <label htmlFor="fr-probability">Probability</label>
        <input id="fr-probability" name="probability" type="number" min={0} max={1} step="any" defaultValue={1} />
        <label htmlFor="fr-seed">Seed</label>
        <input id="fr-seed" name="seed" type="number" step={1} defaultValue={0} />
        <span />
        <button type="submit">Add rule</button>
      </form>
    </section>
  );
}
