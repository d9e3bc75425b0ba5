export * from './memory-backend.ts';
export * from './transcript.ts';
export { describeBackendContract, type BackendContractFixture } from './backend-contract.ts';
