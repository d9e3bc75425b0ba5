// `pnpm --filter @letterbox/web build`: the same build `pnpm start` makes (skipped when current),
// stamped so that the next start does not rebuild.
import { ensureWebBuild } from './build.ts';

ensureWebBuild({ info: (message) => console.log(message) }).done.then(
  () => console.log('web UI: build is current'),
  (error: Error) => {
    console.error(error.message);
    process.exit(1);
  },
);
