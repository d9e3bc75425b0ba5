import { describeBackendContract } from '../src/testing/backend-contract.ts';
import { MemoryBackend } from '../src/testing/memory-backend.ts';

describeBackendContract('memory', async () => {
  const backend = new MemoryBackend({ users: { 'c@sandbox.test': { password: 'secret' } } });
  return {
    backend,
    username: 'c@sandbox.test',
    password: 'secret',
    deliver: async (mailbox, raw) => void backend.deliver('c@sandbox.test', mailbox, raw),
  };
});
