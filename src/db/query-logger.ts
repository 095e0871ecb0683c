import { type Logger as PinoLogger } from 'pino';
import { type Logger } from 'typeorm';

/**
 * Database messages into the service's log. Query parameters are never logged:
 * they carry document text and token hashes.
 */
export class QueryLogger implements Logger {
  constructor(private readonly out: PinoLogger) {}

  logQuery(): void {}

  logQueryError(error: string | Error, query: string): void {
    // Failures the store expects (a unique key already taken) are handled by the caller; keep them out of warn.
    this.out.debug({ err: typeof error === 'string' ? error : error.message, query }, 'query failed');
  }

  logQuerySlow(time: number, query: string): void {
    this.out.warn({ ms: time, query }, 'slow query');
  }

  logSchemaBuild(message: string): void {
    this.out.debug(message);
  }

  logMigration(message: string): void {
    this.out.info(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.out.warn(String(message));
    else this.out.debug(String(message));
  }
}
