// One write per burst of SMTP replies instead of one per reply. A pipelining client sends
// MAIL FROM, RCPT TO and DATA in one packet and smtp-server answers each with its own
// `socket.write`, so each reply is a syscall of its own (the largest share of the catcher's CPU
// time per message after the database). Here the first reply of a synchronous run corks the
// socket and `process.nextTick` uncorks it: the replies of that run leave in one writev, before
// the event loop moves on, and a lone reply (the 250 after COMMIT) is held no longer than the rest
// of its tick. Order and content are unchanged.
//
// smtp-server has no hook for this: `server.connect` (where every connection is made) is wrapped
// on the instance to wrap that connection's `send`, the single place smtp-server writes a reply.
// Like fault-injection.ts this reaches into smtp-server 3.21.6's internals (`connect`,
// `connections`, `send`, `_socket`), hence its exact pin; test/smtp/reply-coalescing.test.ts
// covers it.
import type { Socket } from 'node:net';
import type { SMTPServer } from 'smtp-server';

interface SmtpConnectionInternals {
  _socket: Socket;
  send(code: number, data: string | string[], context?: unknown): void;
}

interface SmtpServerInternals {
  connections: Set<SmtpConnectionInternals>;
  connect(socket: Socket, socketOptions: unknown): void;
}

/**
 * 220 replies go out at once: after the STARTTLS one smtp-server hands the socket to TLS in the
 * same tick, and plaintext still corked in the socket would be written underneath the handshake.
 */
const UNCORKED_REPLY = 220;

export function coalesceReplies(server: SMTPServer): void {
  const internals = server as unknown as SmtpServerInternals;
  const connect = internals.connect.bind(server);
  internals.connect = (socket, socketOptions) => {
    connect(socket, socketOptions);
    // The connection just made is the one on this socket (init() may already have dropped it).
    for (const connection of internals.connections) {
      if (connection._socket === socket) {
        coalesce(connection);
        return;
      }
    }
  };
}

function coalesce(connection: SmtpConnectionInternals): void {
  const send = connection.send;
  let corked: Socket | null = null;
  const flush = () => {
    if (corked === null) return;
    const socket = corked;
    corked = null;
    socket.uncork();
  };
  connection.send = (code, data, context) => {
    // _socket changes once STARTTLS completes; each reply corks whichever socket it goes to.
    const socket = connection._socket;
    if (code === UNCORKED_REPLY) {
      flush();
      send.call(connection, code, data, context);
      return;
    }
    if (corked === null && !socket.destroyed) {
      socket.cork();
      corked = socket;
      process.nextTick(flush);
    }
    send.call(connection, code, data, context);
  };
}
