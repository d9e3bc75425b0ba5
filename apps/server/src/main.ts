// `letterbox` as a process: configuration from flags and environment, start, banner, and a
// graceful shutdown on SIGINT/SIGTERM (a second signal exits at once).
import { ConfigError, loadConfig } from './config.ts';
import { formatBanner, startLetterbox } from './letterbox.ts';
import { createLogger } from './logger.ts';

async function main(): Promise<void> {
  let loaded;
  try {
    loaded = loadConfig(process.argv.slice(2), process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`letterbox: ${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  if (loaded.kind === 'help') {
    process.stdout.write(loaded.text + '\n');
    return;
  }
  const { config } = loaded;
  const log = createLogger(config.logLevel);
  const running = await startLetterbox(config, log, { webUi: true });
  process.stdout.write(formatBanner(running) + '\n');

  let signalled = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (signalled) {
      log.warn(`${signal} again: exiting without waiting`);
      process.exit(1);
    }
    signalled = true;
    log.info(`${signal}: shutting down`);
    running.stop().then(
      () => process.exit(0),
      (error: Error) => {
        log.error(`shutdown failed: ${error.message}`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

main().catch((error: Error) => {
  process.stderr.write(`letterbox: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
