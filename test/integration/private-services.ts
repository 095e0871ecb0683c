/**
 * Redis and PostgreSQL servers of a test's own, on free ports in a temporary
 * folder, for the fault tests that stop, kill and restart them. The servers CI
 * shares between suites (REDIS_URL, DATABASE_URL) are never touched.
 *
 * Every program runs from an argument array, never through a shell, and every
 * argument is ours (a port number, a folder this file made). PostgreSQL refuses
 * to run as root: when the tests run as root its programs run as the
 * `postgres` user (`runuser -u postgres --`), which the Debian package creates.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import IORedis from 'ioredis';
import { Client } from 'pg';

const run = promisify(execFile);

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `probe` until it gives something truthy, and returns that. */
export async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs: number, everyMs = 50): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** The first of `candidates` that exists, or a message saying what to install. */
function findProgram(name: string, candidates: string[], install: string): string {
  const found = candidates.find((p) => fs.existsSync(p));
  if (!found) throw new Error(`${name} not found (looked in ${candidates.join(', ')}); install ${install}`);
  return found;
}

function onPath(program: string): string[] {
  return (process.env.PATH ?? '').split(path.delimiter).filter(Boolean).map((dir) => path.join(dir, program));
}

// ---- Redis ---------------------------------------------------------------

export interface PrivateRedis {
  readonly port: number;
  readonly url: string;
  /** SIGKILL: no shutdown, nothing saved (the server keeps nothing on disk anyway). */
  kill(): Promise<void>;
  /** Starts the server again on the same port, empty, as a restarted Redis without persistence is. */
  start(): Promise<void>;
  /** Stops it for good and removes its folder. */
  close(): Promise<void>;
}

export async function startPrivateRedis(): Promise<PrivateRedis> {
  const binary = findProgram('redis-server', onPath('redis-server'), 'redis-server (apt-get install redis-server)');
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;

  const answers = async () => {
    const probe = new IORedis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      return (await probe.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      probe.disconnect();
    }
  };

  const start = async () => {
    if (child) throw new Error('private Redis is already running');
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--loglevel', 'warning'];
    const started = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    started.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    started.once('exit', () => {
      if (child === started) child = null;
    });
    child = started;
    try {
      await waitFor(`redis-server on port ${port}`, async () => {
        if (started.exitCode !== null) throw new Error(`redis-server exited with ${started.exitCode}: ${stderr}`);
        return answers();
      }, 20_000);
    } catch (err) {
      started.kill('SIGKILL');
      throw err;
    }
  };

  const kill = async () => {
    const running = child;
    if (!running) return;
    const exited = new Promise((r) => running.once('exit', r));
    running.kill('SIGKILL');
    await exited;
    child = null;
  };

  await start();
  return {
    port,
    url,
    kill,
    start,
    async close() {
      await kill();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---- PostgreSQL ----------------------------------------------------------

/** Where the PostgreSQL server programs are: the newest /usr/lib/postgresql/<version>/bin, else PATH. */
function postgresBinDir(): string {
  const base = '/usr/lib/postgresql';
  const versions = fs.existsSync(base)
    ? fs
        .readdirSync(base)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const initdb = findProgram('initdb', [...versions.map((v) => path.join(base, v, 'bin', 'initdb')), ...onPath('initdb')], 'postgresql (apt-get install postgresql)');
  return path.dirname(initdb);
}

function postgresUser(): { uid: number; gid: number } {
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('running as root, PostgreSQL needs a `postgres` user to run as (the postgresql package creates it)');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

export interface PrivatePostgres {
  readonly port: number;
  /** The `postgres` database of the private cluster (user postgres, trust authentication). */
  readonly url: string;
  /** `pg_ctl restart -m fast`: every session is ended, open transactions roll back, the server starts again. */
  restart(): Promise<void>;
  /** A URL for another database of this cluster. */
  urlFor(database: string): string;
  /** Stops the server and removes its folder. */
  close(): Promise<void>;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = postgresBinDir();
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? postgresUser() : null;
  // As root, run the server programs as postgres; otherwise as ourselves.
  const pgRun = (program: string, args: string[]) => {
    const full = path.join(bin, program);
    return asRoot ? run('runuser', ['-u', 'postgres', '--', full, ...args]) : run(full, args);
  };

  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-postgres-'));
  if (owner) fs.chownSync(dir, owner.uid, owner.gid);
  const data = path.join(dir, 'data');
  const log = path.join(dir, 'server.log');
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const ctl = async (args: string[]) => {
    try {
      await pgRun('pg_ctl', ['-D', data, '-l', log, '-t', '60', ...args]);
    } catch (err) {
      const tail = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').slice(-2000) : '';
      throw new Error(`pg_ctl ${args.join(' ')} failed: ${(err as Error).message}\n${tail}`, { cause: err });
    }
  };

  try {
    await pgRun('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '--no-sync', '-E', 'UTF8', '--locale', 'C']);
    // Settings go into the configuration file rather than `pg_ctl -o`, which pg_ctl hands to a shell.
    fs.appendFileSync(
      path.join(data, 'postgresql.conf'),
      [
        `port = ${port}`,
        `listen_addresses = '127.0.0.1'`,
        `unix_socket_directories = '${dir}'`,
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        'max_connections = 50',
        '',
      ].join('\n'),
    );
    await ctl(['-w', 'start']);
  } catch (err) {
    await ctl(['-m', 'immediate', 'stop']).catch(() => undefined);
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }

  const urlFor = (database: string) => `postgres://postgres@127.0.0.1:${port}/${encodeURIComponent(database)}`;
  return {
    port,
    url,
    urlFor,
    async restart() {
      await ctl(['-m', 'fast', '-w', 'restart']);
      // pg_ctl -w waits for the server to accept connections; check it does on TCP too
      await waitFor('PostgreSQL after its restart', async () => {
        const c = new Client({ connectionString: url });
        c.on('error', () => undefined);
        try {
          await c.connect();
          await c.query('SELECT 1');
          return true;
        } catch {
          return false;
        } finally {
          await c.end().catch(() => undefined);
        }
      }, 30_000);
    },
    async close() {
      await ctl(['-m', 'immediate', 'stop']).catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
