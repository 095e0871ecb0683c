import { EventEmitter } from 'node:events';
import { PGlite } from '@electric-sql/pglite';

/**
 * A `pg`-shaped pool over one PGlite instance, for TypeORM's postgres driver.
 *
 * PGlite has a single session: two TypeORM query runners that each think they
 * hold a connection would interleave their statements, and one's COMMIT would
 * commit the other's work. So the pool behaves like a pg pool of size 1: the
 * session is lent to one query runner at a time and the next waits until it is
 * released. Everything TypeORM does (queries, transactions, migrations) goes
 * through a query runner, so nothing reaches the session around this queue.
 *
 * Unlike the shared-instance helper package, each pool owns its own PGlite, so
 * two stores in one process (tests) never share a database by accident.
 */

type Release = () => void;

class SessionQueue {
  private tail: Promise<void> = Promise.resolve();

  acquire(): Promise<Release> {
    let open!: () => void;
    const turn = new Promise<void>((resolve) => (open = resolve));
    const previous = this.tail;
    this.tail = previous.then(() => turn);
    let released = false;
    return previous.then(() => () => {
      if (released) return;
      released = true;
      open();
    });
  }
}

interface PgLikeResult {
  rows: unknown[];
  rowCount: number;
  command: string;
  fields: unknown[];
}

const WRITE_COMMANDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

function toPgResult(r: { rows: unknown[]; fields: unknown[]; affectedRows?: number; command?: string } | undefined): PgLikeResult {
  if (!r) return { rows: [], rowCount: 0, command: '', fields: [] };
  const command = (r.command ?? '').toUpperCase();
  return {
    rows: r.rows,
    fields: r.fields,
    command,
    rowCount: WRITE_COMMANDS.has(command) ? (r.affectedRows ?? 0) : r.rows.length,
  };
}

class PGliteSession extends EventEmitter {
  constructor(private readonly db: PGlite) {
    super();
  }

  async query(sql: string, params?: unknown[]): Promise<PgLikeResult> {
    if (params && params.length > 0) return toPgResult(await this.db.query(sql, params));
    // Without parameters the text may hold several statements (migrations); the last result is the answer.
    const results = await this.db.exec(sql);
    return toPgResult(results[results.length - 1]);
  }
}

export interface PGlitePoolHooks {
  /** Called once when the pool is created, before the database is opened (takes the data-dir lock). */
  beforeOpen?: () => void;
  /** Called after the database is closed (releases the lock), also when opening failed. */
  afterClose?: () => void;
  /** Timings for the logs. */
  onOpened?: (ms: number) => void;
}

/** A value for TypeORM's `driver` option: `{ Pool }` bound to a PGlite at `dataDir` (undefined: in memory). */
export function pgliteDriver(dataDir: string | undefined, hooks: PGlitePoolHooks = {}): { Pool: new () => EventEmitter } {
  class PGlitePool extends EventEmitter {
    private readonly queue = new SessionQueue();
    private readonly ready: Promise<PGliteSession>;
    private db: PGlite | null = null;
    private ended = false;

    constructor() {
      super();
      hooks.beforeOpen?.();
      const started = Date.now();
      this.ready = PGlite.create(dataDir === undefined ? {} : { dataDir }).then(
        (db) => {
          this.db = db;
          hooks.onOpened?.(Date.now() - started);
          return new PGliteSession(db);
        },
        (err: unknown) => {
          hooks.afterClose?.();
          throw err;
        },
      );
      // The first connect() reports a failure; this only keeps it from counting as unhandled meanwhile.
      this.ready.catch(() => undefined);
    }

    connect(callback?: (err: Error | null, client: PGliteSession | null, done: Release) => void): Promise<PGliteSession> | void {
      const lend = async (): Promise<[PGliteSession, Release]> => {
        if (this.ended) throw new Error('the embedded database is closed');
        const session = await this.ready;
        const release = await this.queue.acquire();
        return [session, release];
      };
      if (!callback) return lend().then(([session]) => session);
      lend().then(
        ([session, release]) => callback(null, session, release),
        (err: Error) => callback(err, null, () => undefined),
      );
    }

    async query(sql: string, params?: unknown[]): Promise<PgLikeResult> {
      if (this.ended) throw new Error('the embedded database is closed');
      const session = await this.ready;
      const release = await this.queue.acquire();
      try {
        return await session.query(sql, params);
      } finally {
        release();
      }
    }

    end(callback?: (err: Error | null) => void): Promise<void> {
      const close = async () => {
        if (this.ended) return;
        this.ended = true;
        try {
          await this.ready.catch(() => undefined);
          // Wait for whoever holds the session to finish before closing under them.
          const release = await this.queue.acquire();
          try {
            await this.db?.close();
          } finally {
            release();
          }
        } finally {
          if (this.db) hooks.afterClose?.();
        }
      };
      const done = close();
      if (callback) done.then(() => callback(null), (err: Error) => callback(err));
      return done;
    }
  }
  return { Pool: PGlitePool };
}
