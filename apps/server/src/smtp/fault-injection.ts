// Fault injection in the SMTP catcher (issue 7): API rules at every stage (connect, EHLO, AUTH,
// MAIL FROM, RCPT TO, end of DATA) and address tags at RCPT TO and end of DATA
// (domain/faults/address-tags.ts). A fault waits, then answers with its code, drops the
// connection, or lets the command proceed normally.
//
// smtp-server has hooks for connect, AUTH, MAIL FROM, RCPT TO and DATA, but none for EHLO, and it
// derives the enhanced status of an error reply from the code alone. So each connection gets two
// instance-level patches at connect: EHLO/HELO consult the ehlo-stage rules first, and the reply
// to a command we failed carries the rule's enhanced status. Those patches reach into
// smtp-server's internals (`server.connections`, `send`, `_socket`, `handler_EHLO`), so
// apps/server/package.json pins smtp-server to one exact version; test/faults covers each of them.
import type { Socket } from 'node:net';
import type { SMTPServer, SMTPServerAddress, SMTPServerAuthentication, SMTPServerSession } from 'smtp-server';
import { tagActionsAt } from '../domain/faults/address-tags.ts';
import { combineFaultActions, type Fault, type FaultAction, type FaultReply, type FaultStage } from '../domain/faults/fault-action.ts';
import type { FaultRules } from '../domain/faults/fault-rule-cache.ts';
import { findTestRun } from '../domain/messages/find-test-run.ts';
import type { SmtpUser } from './on-auth.ts';

type Callback = (err?: Error | null) => void;

interface SmtpConnection {
  session: SMTPServerSession;
  send(code: number, data: string | string[], context?: unknown): void;
  _socket: Socket;
  handler_EHLO(command: Buffer, callback: () => void): void;
  handler_HELO(command: Buffer, callback: () => void): void;
}

export type FaultOutcomeKind = 'reply' | 'disconnect' | 'delay';

export interface FaultInjectionOptions {
  rules: FaultRules;
  /** Every fault that acted, for the ingest statistics. */
  onInjected?: (stage: FaultStage, outcome: FaultOutcomeKind, run: string | null) => void;
}

export interface DataGate {
  /** No fault, or only a delay that has passed: store the message. */
  proceed(): void;
  /** Answer the end of DATA with this error; nothing is stored. */
  fail(error: Error): void;
  /** The connection was dropped: nobody gets an answer, nothing is stored. */
  abandon(): void;
}

const NO_MESSAGE = Buffer.alloc(0);

export class SmtpFaultInjection {
  private readonly servers: SMTPServer[] = [];
  private readonly connections = new WeakMap<SMTPServerSession, SmtpConnection>();
  /** The enhanced status for the next error reply a connection sends (set just before failing). */
  private readonly pendingStatus = new WeakMap<SmtpConnection, FaultReply>();

  constructor(private readonly options: FaultInjectionOptions) {}

  addServer(server: SMTPServer): void {
    this.servers.push(server);
  }

  onConnect() {
    return (session: SMTPServerSession, callback: Callback): void => {
      const connection = this.findConnection(session);
      if (connection) this.instrument(connection);
      // RFC 2034: the greeting (and a refusal in its place) carries no enhanced status.
      this.apply('connect', null, connection, false, () => setImmediate(callback), callback);
    };
  }

  onAuth<R>(handler: (auth: SMTPServerAuthentication, session: SMTPServerSession, callback: R) => void) {
    return (auth: SMTPServerAuthentication, session: SMTPServerSession, callback: R): void => {
      const fail = callback as unknown as Callback;
      this.apply('auth', auth.username ?? null, this.connections.get(session), true, () => handler(auth, session, callback), fail);
    };
  }

  onMailFrom() {
    return (_address: SMTPServerAddress, session: SMTPServerSession, callback: Callback): void => {
      // Deferred like smtp-server's own default handler: a synchronous MAIL FROM reply leaves a
      // command pipelined after the following DATA unanswered (seen with smtp-server 3.21.6).
      this.apply('mail_from', userOf(session), this.connections.get(session), true, () => setImmediate(callback), callback);
    };
  }

  onRcptTo(handler: (address: SMTPServerAddress, session: SMTPServerSession, callback: Callback) => void) {
    return (address: SMTPServerAddress, session: SMTPServerSession, callback: Callback): void => {
      const run = findTestRun(NO_MESSAGE, userOf(session), [address.address]);
      const actions = both(this.options.rules.actionsAt('rcpt_to', run), tagActionsAt('rcpt_to', [address.address]));
      this.act('rcpt_to', run, combineFaultActions(actions), this.connections.get(session), true, () => handler(address, session, callback), callback);
    };
  }

  /** End of DATA, the whole message in hand (its run: findTestRun; its envelope recipients), before it is stored. */
  atData(session: SMTPServerSession, run: string | null, recipients: readonly string[], gate: DataGate): void {
    const actions = both(this.options.rules.actionsAt('data', run), tagActionsAt('data', recipients));
    const fault = combineFaultActions(actions);
    const connection = this.connections.get(session);
    // A connection dropped during the delay (by the client) gets no answer and stores nothing.
    this.act('data', run, fault, connection, true,
      () => (gone(connection) ? gate.abandon() : gate.proceed()),
      (error) => (gone(connection) ? gate.abandon() : gate.fail(error!)),
      gate.abandon);
  }

  private apply(stage: FaultStage, run: string | null, connection: SmtpConnection | undefined, enhanced: boolean, proceed: () => void, fail: Callback): void {
    this.act(stage, run, combineFaultActions(this.options.rules.actionsAt(stage, run)), connection, enhanced, proceed, fail);
  }

  private act(
    stage: FaultStage,
    run: string | null,
    fault: Fault | null,
    connection: SmtpConnection | undefined,
    enhanced: boolean,
    proceed: () => void,
    fail: Callback,
    abandoned?: () => void,
  ): void {
    if (fault === null) {
      proceed();
      return;
    }
    const outcome = fault.outcome;
    this.options.onInjected?.(stage, outcome.kind === 'continue' ? 'delay' : outcome.kind, run);
    const now = () => {
      if (outcome.kind === 'continue') proceed();
      else if (outcome.kind === 'disconnect') {
        connection?._socket.destroy();
        abandoned?.();
      } else {
        if (connection && enhanced) this.pendingStatus.set(connection, outcome.reply);
        fail(Object.assign(new Error(outcome.reply.message), { responseCode: outcome.reply.code }));
      }
    };
    // Never synchronously: smtp-server's pipelining expects handler callbacks on a later tick.
    // unref: a long injected delay must not keep a stopping process alive (shutdown closes the
    // connection, and `now` then finds it gone).
    if (fault.delayMs > 0) setTimeout(now, fault.delayMs).unref();
    else setImmediate(now);
  }

  private findConnection(session: SMTPServerSession): SmtpConnection | undefined {
    for (const server of this.servers) {
      const connections = (server as unknown as { connections?: Set<SmtpConnection> }).connections;
      if (!connections) continue;
      for (const connection of connections) if (connection.session === session) return connection;
    }
    return undefined;
  }

  private instrument(connection: SmtpConnection): void {
    this.connections.set(connection.session, connection);
    const send = connection.send.bind(connection);
    connection.send = (code, data, context) => {
      const status = this.pendingStatus.get(connection);
      if (status && status.code === code && typeof data === 'string') {
        this.pendingStatus.delete(connection);
        send(code, `${status.enhancedStatus} ${data}`, false);
        return;
      }
      send(code, data, context);
    };
    for (const name of ['handler_EHLO', 'handler_HELO'] as const) {
      const original = connection[name].bind(connection);
      connection[name] = (command, callback) => {
        const fault = combineFaultActions(this.options.rules.actionsAt('ehlo', null));
        // The greeting exchange carries no enhanced status (RFC 2034), so the reply goes out as is.
        this.act('ehlo', null, fault, connection, false, () => original(command, callback), (error) => {
          const code = (error as Error & { responseCode: number }).responseCode;
          connection.send(code, error!.message, false);
          callback();
        });
      };
    }
  }
}

/** Rule actions, then tag actions (per message: usually both empty, so no new array). */
function both(rules: FaultAction[], tags: FaultAction[]): FaultAction[] {
  return tags.length === 0 ? rules : rules.length === 0 ? tags : [...rules, ...tags];
}

function userOf(session: SMTPServerSession): string | null {
  return (session.user as SmtpUser | undefined)?.username ?? null;
}

function gone(connection: SmtpConnection | undefined): boolean {
  return connection !== undefined && connection._socket.destroyed;
}
