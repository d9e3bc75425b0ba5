// A minimal leveled logger writing one line per event to stderr (stdout carries the banner).
import type { LogLevel } from './config.ts';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export function createLogger(level: LogLevel, write: (line: string) => void = (line) => process.stderr.write(line + '\n')): Logger {
  const at = (messageLevel: Exclude<LogLevel, 'silent'>) => (message: string) => {
    if (RANK[messageLevel] >= RANK[level]) write(`${new Date().toISOString()} ${messageLevel.padEnd(5)} ${message}`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const silentLogger: Logger = createLogger('silent');
