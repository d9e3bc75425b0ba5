export * from './common.ts';
export * from './errors.ts';
export * from './events.ts';
export * from './health.ts';
export * from './inboxes.ts';
export * from './message-filter.ts';
export * from './messages.ts';
export * from './runs.ts';
