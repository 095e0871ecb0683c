/**
 * The service as it is deployed, for the load and memory benchmarks: a Redis
 * of the bench's own, `pactwatch serve` and `pactwatch worker` processes
 * (bin/pactwatch.js, as an operator starts them), and what /proc says about
 * them. `pactwatch worker` uses the default queue names, so the bench gives
 * its processes a private Redis: on a shared one another worker could take
 * the bench's jobs, or the bench another's.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { type CleanUps } from './bench-data';

const ROOT = path.join(__dirname, '..');
const PACTWATCH = path.join(ROOT, 'bin', 'pactwatch.js');

export const sleep = (n: number) => new Promise((r) => setTimeout(r, n));

/** A TCP port nobody listens on now (the kernel's pick). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The redis-server binary on PATH (or PACTWATCH_BENCH_REDIS_SERVER), or null. */
export function redisServerBinary(): string | null {
  const candidate = process.env.PACTWATCH_BENCH_REDIS_SERVER || 'redis-server';
  const probe = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? candidate : null;
}

export interface RunningProcess {
  child: ChildProcess;
  pid: number;
  logFile: string;
  stop(): Promise<void>;
}

async function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  if (!(await Promise.race([exited.then(() => true), sleep(graceMs).then(() => false)]))) {
    child.kill('SIGKILL');
    await exited;
  }
}

/**
 * Starts `command args`, its output going to a log file (a pipe to this busy
 * process could fill up and stall it), and waits for `ready` in the log.
 * Stopped with SIGTERM (SIGKILL after 15 s) at clean-up.
 */
async function startLogged(label: string, command: string, args: string[], env: NodeJS.ProcessEnv, ready: string, cleanups: CleanUps): Promise<RunningProcess> {
  const logFile = path.join(os.tmpdir(), `pactwatch-bench-${label}-${randomBytes(4).toString('hex')}.log`);
  const fd = fs.openSync(logFile, 'w');
  const child = spawn(command, args, { env, stdio: ['ignore', fd, fd] });
  fs.closeSync(fd);
  const stop = async () => {
    await stopChild(child, 15_000);
    fs.rmSync(logFile, { force: true });
  };
  cleanups.add(stop);
  const until = Date.now() + 90_000;
  for (;;) {
    const log = fs.readFileSync(logFile, 'utf8');
    if (log.includes(ready)) break;
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`${label} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${log.slice(-3000)}`);
    if (Date.now() > until) throw new Error(`${label} not ready after 90 s:\n${log.slice(-3000)}`);
    await sleep(50);
  }
  if (child.pid === undefined) throw new Error(`${label} has no pid`);
  return { child, pid: child.pid, logFile, stop };
}

/** A throw-away Redis on a free port, keeping nothing on disk; its URL. */
export async function startRedis(binary: string, cleanups: CleanUps): Promise<{ url: string; process: RunningProcess }> {
  const port = await freePort();
  const redis = await startLogged(
    'redis',
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', os.tmpdir(), '--logfile', ''],
    process.env,
    'Ready to accept connections',
    cleanups,
  );
  return { url: `redis://127.0.0.1:${port}`, process: redis };
}

/**
 * `node bin/pactwatch.js serve|worker` with the given environment on top of
 * this one's, minus the variables that would point it elsewhere.
 */
export function startPactwatch(command: 'serve' | 'worker', env: Record<string, string>, cleanups: CleanUps): Promise<RunningProcess> {
  const base = { ...process.env };
  for (const k of Object.keys(base)) if (k.startsWith('PACTWATCH_') || k === 'DATABASE_URL' || k === 'REDIS_URL' || k === 'PORT') delete base[k];
  const ready = command === 'serve' ? 'Pactwatch listening on' : '"msg":"worker started"';
  return startLogged(command, process.execPath, [PACTWATCH, command], { ...base, ...env }, ready, cleanups);
}

/** VmRSS and VmHWM (the peak resident set since the process started, or since resetPeak) in MiB; null once it is gone. */
export function memoryOf(pid: number): { rssMiB: number; hwmMiB: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMiB: kb('VmRSS') / 1024, hwmMiB: kb('VmHWM') / 1024 };
  } catch {
    return null;
  }
}

/** Sets VmHWM back to the current RSS (Linux: writing 5 to clear_refs), so the next peak is the next job's own. */
export function resetPeak(pid: number): boolean {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/** CPU seconds a process has used so far (user + system, all its threads), from /proc; null where there is none. */
export function cpuSecondsOf(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the fields after the command name, which is in parentheses and may hold spaces
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100 on Linux)
  } catch {
    return null;
  }
}

/** The 1, 5 and 15 minute load averages, rounded. */
export function loadAverage(): number[] {
  return os.loadavg().map((x) => Number(x.toFixed(2)));
}
