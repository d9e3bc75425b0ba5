// One Letterbox for every end-to-end test file (files run one after another).
import type { TestProject } from 'vitest/node';
import { startLetterboxProcess } from './letterbox-process';

declare module 'vitest' {
  export interface ProvidedContext {
    letterbox: { baseUrl: string; smtpPort: number };
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const letterbox = await startLetterboxProcess();
  project.provide('letterbox', { baseUrl: letterbox.baseUrl, smtpPort: letterbox.smtpPort });
  return () => letterbox.stop();
}
