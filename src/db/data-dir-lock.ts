import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../errors';

/**
 * PGlite keeps no lock on its data directory, and two processes writing the same
 * directory silently lose committed data. So whoever opens it first writes a lock
 * file (created exclusively) naming its process; everyone else is refused until
 * that process closes the database or dies.
 */
export const LOCK_FILE_NAME = 'pactwatch.lock';

interface LockOwner {
  pid: number;
  hostname: string;
  startedAt: string;
  token: string;
}

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readOwner(lockPath: string): LockOwner | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(lockPath, 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid !== 'number' || typeof parsed.token !== 'string') return null;
    return {
      pid: parsed.pid,
      hostname: String(parsed.hostname ?? ''),
      startedAt: String(parsed.startedAt ?? ''),
      token: parsed.token,
    };
  } catch {
    return null;
  }
}

function lockedError(dataDir: string, lockPath: string, owner: LockOwner | null): AppError {
  const who = owner
    ? `process ${owner.pid}${owner.hostname && owner.hostname !== os.hostname() ? ` on host ${owner.hostname}` : ''} (since ${owner.startedAt})`
    : 'another process';
  return new AppError(
    'DATA_DIR_LOCKED',
    503,
    `The embedded database in ${dataDir} is in use by ${who}. ` +
      'Only one process may open it: stop that process, or run the API and the jobs in one process, ' +
      'or point PACTWATCH_DATA_DIR at another directory (or set DATABASE_URL to share a PostgreSQL server). ' +
      `If no such process is running, delete ${lockPath}.`,
  );
}

export function acquireDataDirLock(dataDir: string): DataDirLock {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, LOCK_FILE_NAME);
  const me: LockOwner = {
    pid: process.pid,
    hostname: os.hostname(),
    startedAt: new Date().toISOString(),
    token: `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}`,
  };

  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx', 0o644);
      try {
        fs.writeSync(fd, JSON.stringify(me));
      } finally {
        fs.closeSync(fd);
      }
      return {
        path: lockPath,
        release() {
          // Only remove the lock if it is still ours.
          if (readOwner(lockPath)?.token === me.token) fs.rmSync(lockPath, { force: true });
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const owner = readOwner(lockPath);
    if (owner === null) {
      // A lock being written right now reads as empty; give its writer a moment before calling it junk.
      const age = Date.now() - (fs.statSync(lockPath, { throwIfNoEntry: false })?.mtimeMs ?? 0);
      if (age < 2000) throw lockedError(dataDir, lockPath, null);
    } else {
      const sameHost = owner.hostname === os.hostname();
      // A process on another host cannot be checked from here, so its lock is never taken over.
      if (!sameHost || isAlive(owner.pid)) throw lockedError(dataDir, lockPath, owner);
    }
    // Stale: its process is gone. Remove it only if it is still the one we looked at, then try again.
    const again = readOwner(lockPath);
    if ((again?.token ?? null) === (owner?.token ?? null)) fs.rmSync(lockPath, { force: true });
  }
  throw lockedError(dataDir, lockPath, readOwner(lockPath));
}
