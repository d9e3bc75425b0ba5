/**
 * Test helpers: the in-memory reference backend and the transcript client. The shared backend
 * suite lives at `@letterbox/imap-core/testing/backend-contract` so that importing this module
 * (the memserver, benchmarks) does not load vitest.
 */
export * from './memory-backend.ts';
export * from './transcript.ts';
export type { BackendContractFixture } from './backend-contract.ts';
