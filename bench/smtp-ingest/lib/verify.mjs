// "Every acknowledged message stored exactly once": compares the recipients the load generator got
// a 250 for with the recipients the server holds (one entry per stored message per recipient).
// Each message goes to its own unique recipient, so the recipient identifies the message.
import { WARMUP_DOMAIN, recipientOf } from './payloads.mjs';

/**
 * @returns {{acked, stored, lost, duplicated, storedNotAcked, foreign}} lost: acknowledged but not
 *   stored; duplicated: stored more than once; storedNotAcked: stored without a 250 reaching the
 *   client (allowed: the connection may have ended after the commit); foreign: unknown recipients;
 *   warmup: stored warm-up messages (not checked).
 */
export function verifyStored(acked, storedRecipients) {
  const counts = new Map();
  let warmup = 0;
  for (const r of storedRecipients) {
    if (r.endsWith(`@${WARMUP_DOMAIN}`)) warmup += 1;
    else counts.set(r, (counts.get(r) ?? 0) + 1);
  }
  const result = { acked: 0, stored: storedRecipients.length - warmup, lost: 0, duplicated: 0, storedNotAcked: 0, foreign: 0, warmup };
  for (let i = 0; i < acked.length; i += 1) {
    const key = recipientOf(i);
    const n = counts.get(key) ?? 0;
    counts.delete(key);
    if (acked[i]) result.acked += 1;
    if (acked[i] && n === 0) result.lost += 1;
    if (!acked[i] && n > 0) result.storedNotAcked += 1;
    if (n > 1) result.duplicated += 1;
  }
  result.foreign = counts.size;
  return result;
}
