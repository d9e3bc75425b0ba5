// RCPT TO: every address is accepted (DESIGN invariant 2), up to a recipient limit per message.
import type { SMTPServerAddress, SMTPServerSession } from 'smtp-server';

/**
 * RFC 5321 §4.5.3.1.8 asks servers to accept at least 100 recipients; 1,000 covers mass-mailing
 * tests while bounding the mailbox rows one message can create. More get 452 4.5.3.
 */
export const MAX_RECIPIENTS_PER_MESSAGE = 1000;

export function onRcptTo() {
  return (address: SMTPServerAddress, session: SMTPServerSession, callback: (err?: Error | null) => void): void => {
    if (session.envelope.rcptTo.length >= MAX_RECIPIENTS_PER_MESSAGE) {
      callback(Object.assign(new Error(`Too many recipients (at most ${MAX_RECIPIENTS_PER_MESSAGE} per message)`), { responseCode: 452 }));
      return;
    }
    void address;
    callback();
  };
}
