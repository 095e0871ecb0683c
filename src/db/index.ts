import { randomBytes } from 'node:crypto';
import { type Logger as PinoLogger } from 'pino';
import { Client } from 'pg';
import { type Config } from '../config';
import { createDataSource } from './data-source';
import { type Store } from './store';
import { TypeormStore } from './typeorm-store';

export { createDataSource, pgliteDir } from './data-source';
export { LOCK_FILE_NAME } from './data-dir-lock';
export { normalizeCounterpartyName } from './normalize-name';
export { TypeormStore } from './typeorm-store';
export type * from './store';

export interface OpenStoreOptions {
  logger?: PinoLogger;
  /** Embedded mode only: a throw-away database in memory instead of `config.dataDir`. */
  memory?: boolean;
}

/**
 * Opens the database and brings its schema up to date. In embedded mode this
 * takes the data directory's lock (AppError DATA_DIR_LOCKED when another
 * process holds it) until `close()`.
 */
export async function openStore(config: Config, opts: OpenStoreOptions = {}): Promise<TypeormStore> {
  const started = Date.now();
  const dataSource = createDataSource(config, { logger: opts.logger, memory: opts.memory });
  await dataSource.initialize();
  const store = new TypeormStore(dataSource, opts.logger);
  try {
    await store.migrate();
  } catch (err) {
    await store.close();
    throw err;
  }
  opts.logger?.info({ ms: Date.now() - started, mode: config.databaseUrl ? 'postgresql' : 'embedded' }, 'database ready');
  return store;
}

export interface ThrowAwayStore {
  store: TypeormStore & Store;
  /** The throw-away database's URL (PostgreSQL only), for another process to open it too. */
  url: string | null;
  /** Closes the store and drops what it created. */
  close(): Promise<void>;
}

/**
 * For tests: a store on a fresh, empty, migrated database that is gone after
 * `close()`. Without `config.databaseUrl`: embedded, in memory. With it: a new
 * database created on that server under a random name, dropped on close.
 */
export async function openThrowAwayStore(config: Config, opts: { logger?: PinoLogger } = {}): Promise<ThrowAwayStore> {
  if (!config.databaseUrl) {
    const store = await openStore(config, { logger: opts.logger, memory: true });
    return { store, url: null, close: () => store.close() };
  }
  // The name is ours, made of hex digits only, so it can be spliced into CREATE/DROP DATABASE safely.
  const name = `pactwatch_test_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: config.databaseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(config.databaseUrl);
  url.pathname = `/${name}`;
  const dropDatabase = async () => {
    const client = new Client({ connectionString: config.databaseUrl ?? undefined });
    await client.connect();
    try {
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    } finally {
      await client.end();
    }
  };
  let store: TypeormStore;
  try {
    store = await openStore({ ...config, databaseUrl: url.toString() }, opts);
  } catch (err) {
    await dropDatabase();
    throw err;
  }
  return {
    store,
    url: url.toString(),
    async close() {
      await store.close();
      await dropDatabase();
    },
  };
}
