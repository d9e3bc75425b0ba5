// A bare smtp-server that accepts everything and discards the data: the ceiling for any catcher
// built on smtp-server. Options are those a catcher uses (any sender and recipient, optional AUTH,
// 50 MB SIZE, no reverse DNS, no logging). It counts every accepted recipient so the runner can
// check "stored exactly once" the same way as for the storing servers: on an IPC message
// { type: 'stats' } it answers { type: 'stats', recipients: [...] } (one entry per accepted message).
//
// Usage: node bare-smtp-server.mjs <port>   (prints "listening <port>" when ready)
import { importFromServer } from '../lib/deps.mjs';

const MAX_MESSAGE_BYTES = 50 * 1024 * 1024;
const { SMTPServer } = await importFromServer('smtp-server');

const port = Number(process.argv[2] ?? 0);
const recipients = [];

const server = new SMTPServer({
  logger: false,
  banner: 'bare smtp-server (discarding)',
  size: MAX_MESSAGE_BYTES,
  authOptional: true,
  hideSTARTTLS: true,
  disableReverseLookup: true,
  onAuth: (auth, session, callback) => callback(null, { user: auth.username }),
  onData(stream, session, callback) {
    stream.on('data', () => {});
    stream.on('end', () => {
      if (stream.sizeExceeded) {
        const err = new Error('Message exceeds the size limit');
        err.responseCode = 552;
        return callback(err);
      }
      for (const r of session.envelope.rcptTo) recipients.push(r.address);
      callback(null, 'discarded');
    });
  },
});

server.listen(port, '127.0.0.1', () => {
  console.log(`listening ${server.server.address().port}`);
});

process.on('message', (msg) => {
  if (msg?.type === 'stats') process.send({ type: 'stats', recipients });
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
