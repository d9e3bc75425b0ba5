// One load-generating SMTP client connection over a raw socket. After EHLO it repeatedly takes the
// next message index from the shared run state and sends MAIL FROM, RCPT TO and DATA in one write
// when the server advertises PIPELINING (one command per round trip otherwise), then the message
// (pre-encoded header block + shared body ending with CRLF.CRLF) once 354 arrives. The latency
// clock starts at the write of the end-of-data marker and stops at the final reply.
import net from 'node:net';
import { ReplyReader } from './reply-reader.mjs';

const EHLO = Buffer.from('EHLO bench.load.test\r\n', 'latin1');
const RSET = Buffer.from('RSET\r\n', 'latin1');
const QUIT = Buffer.from('QUIT\r\n', 'latin1');

const isPositive = (code) => code >= 200 && code < 300;

export class LoadConnection {
  /**
   * @param {object} run shared run state: { payload, total, next, acked, latencies, accepted,
   *   errors: Map, now(), onReady(conn), onDone(conn), onAccepted() }
   */
  constructor(run, host, port) {
    this.run = run;
    this.expect = [];
    this.index = -1;
    this.failedStep = null;
    this.pipelining = false;
    this.finished = false;
    this.sentAt = 0;
    this.reader = new ReplyReader((code, lines) => this.reply(code, lines));
    this.expect.push('greeting');
    this.socket = net.connect({ host, port, noDelay: true });
    this.socket.on('data', (chunk) => this.reader.push(chunk));
    this.socket.on('error', (err) => this.fail(`socket ${err.code ?? err.message}`));
    this.socket.on('close', () => this.fail('socket closed early'));
  }

  /** Starts sending messages (called once every connection has finished EHLO). */
  start() {
    this.nextMessage();
  }

  nextMessage() {
    const run = this.run;
    if (run.next >= run.total || run.stopped) {
      this.expect.push('quit');
      this.socket.write(QUIT);
      return;
    }
    this.index = run.next;
    run.next += 1;
    this.failedStep = null;
    const { payload } = run;
    if (this.pipelining) {
      this.socket.cork();
      this.socket.write(payload.mailFrom);
      this.socket.write(payload.rcpt[this.index]);
      this.socket.write(payload.dataCmd);
      this.socket.uncork();
      this.expect.push('mail', 'rcpt', 'data');
    } else {
      this.socket.write(payload.mailFrom);
      this.expect.push('mail');
    }
  }

  reply(code, lines) {
    const step = this.expect.shift();
    switch (step) {
      case 'greeting':
        if (code !== 220) return this.fail(`greeting ${code}`);
        this.reader.captureNext();
        this.expect.push('ehlo');
        this.socket.write(EHLO);
        return;
      case 'ehlo':
        if (code !== 250) return this.fail(`EHLO ${code}`);
        this.pipelining = lines.some((l) => /^250[- ]PIPELINING\b/i.test(l));
        this.run.onReady(this);
        return;
      case 'mail':
      case 'rcpt':
        if (!isPositive(code)) this.stepFailed(step, code);
        if (!this.pipelining) this.sendAfter(step);
        return;
      case 'data':
        return this.dataReply(code);
      case 'eod':
        return this.endOfData(code);
      case 'rset':
        return this.nextMessage();
      case 'quit':
        this.finished = true;
        this.socket.end();
        this.run.onDone(this);
        return;
      default:
        return this.fail(`unexpected reply ${code}`);
    }
  }

  /** Without PIPELINING: the next command of the transaction, or RSET after a failure. */
  sendAfter(step) {
    if (this.failedStep) return this.reset();
    const { payload } = this.run;
    if (step === 'mail') {
      this.expect.push('rcpt');
      this.socket.write(payload.rcpt[this.index]);
    } else {
      this.expect.push('data');
      this.socket.write(payload.dataCmd);
    }
  }

  stepFailed(step, code) {
    if (!this.failedStep) {
      this.failedStep = step;
      this.run.countError(`${step.toUpperCase()} ${code}`);
    }
  }

  dataReply(code) {
    if (code !== 354 || this.failedStep) {
      if (code !== 354) this.stepFailed('data', code);
      // A 354 after a failed RCPT would be a server bug; end that DATA without content.
      if (code === 354) {
        this.expect.push('eod');
        this.socket.write(Buffer.from('.\r\n'));
        return;
      }
      return this.reset();
    }
    const { payload } = this.run;
    this.socket.cork();
    this.socket.write(payload.head[this.index]);
    this.socket.write(payload.body);
    this.socket.uncork();
    this.sentAt = this.run.now();
    this.expect.push('eod');
  }

  endOfData(code) {
    const run = this.run;
    if (this.failedStep) return this.reset();
    if (code === 250) {
      run.acked[this.index] = 1;
      run.latencies[run.accepted] = run.now() - this.sentAt;
      run.accepted += 1;
      run.onAccepted();
    } else {
      run.countError(`EOD ${code}`);
    }
    this.index = -1;
    this.nextMessage();
  }

  reset() {
    this.index = -1;
    this.expect.push('rset');
    this.socket.write(RSET);
  }

  fail(reason) {
    if (this.finished) return;
    this.finished = true;
    this.run.countError(reason);
    if (this.index >= 0) this.run.countError('in flight when connection ended');
    this.socket.destroy();
    this.run.onDone(this);
  }
}
