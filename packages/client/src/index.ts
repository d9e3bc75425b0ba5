export { createLetterbox, type LetterboxClient, type RunScope } from './client.ts';
export { LetterboxApiError, LetterboxTimeoutError } from './errors.ts';
export type { ListOptions, MessageRef, Messages, WaitForManyOptions, WaitOptions } from './messages.ts';
export type { Filter } from './query.ts';
export type { ClientOptions } from './transport.ts';
export type {
  Address, Attachment, ErrorCode, Inbox, InboxPage, Link, Message, MessagePage, MessageSummary, OneTimeCode, RunPage, TestRun, Unsubscribe,
} from '@letterbox/contracts';
