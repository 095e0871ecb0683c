import 'reflect-metadata';
import path from 'node:path';
import { type Logger as PinoLogger } from 'pino';
import { DataSource } from 'typeorm';
import { type Config } from '../config';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock';
import { ENTITIES } from './entities';
import { pgliteDriver } from './pglite-pool';
import { QueryLogger } from './query-logger';

/** Where the generated migrations live; both modes run the same files. */
export const MIGRATIONS_GLOB = path.join(__dirname, '..', '..', 'migrations', '*.{ts,js}');

/** The embedded database's files, beside the lock file in the data directory. */
export function pgliteDir(dataDir: string): string {
  return path.join(dataDir, 'pglite');
}

export interface DataSourceOptions {
  logger?: PinoLogger;
  /** Embedded mode only: a throw-away database in memory instead of `config.dataDir` (tests). */
  memory?: boolean;
}

/**
 * PostgreSQL through `pg` when `config.databaseUrl` is set; otherwise PGlite
 * under `config.dataDir`, whose lock is taken when the data source is
 * initialized and released when it is destroyed. Nothing is synchronized from
 * the entities: the schema comes from the migrations only.
 */
export function createDataSource(config: Config, options: DataSourceOptions = {}): DataSource {
  const common = {
    type: 'postgres' as const,
    entities: ENTITIES,
    migrations: [MIGRATIONS_GLOB],
    migrationsTableName: 'migrations',
    migrationsRun: false,
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+ and PGlite: no extension to install.
    uuidExtension: 'pgcrypto' as const,
    installExtensions: false,
    logger: options.logger ? new QueryLogger(options.logger.child({ component: 'db' })) : undefined,
    logging: options.logger ? (['error', 'warn', 'migration'] as ('error' | 'warn' | 'migration')[]) : false,
    // without a logger TypeORM would print slow queries to the console; with one they go to pino
    maxQueryExecutionTime: options.logger ? 1000 : undefined,
  };
  if (config.databaseUrl) {
    return new DataSource({ ...common, url: config.databaseUrl, applicationName: 'pactwatch' });
  }
  let lock: DataDirLock | null = null;
  const log = options.logger?.child({ component: 'db' });
  const driver = pgliteDriver(options.memory ? undefined : pgliteDir(config.dataDir), {
    beforeOpen: () => {
      if (!options.memory) lock = acquireDataDirLock(config.dataDir);
    },
    afterClose: () => {
      lock?.release();
      lock = null;
    },
    onOpened: (ms) => log?.info({ ms, dataDir: options.memory ? 'memory' : config.dataDir }, 'embedded database open'),
  });
  return new DataSource({ ...common, driver, poolSize: 1 });
}
