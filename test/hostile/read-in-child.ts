import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');

export interface ChildReport {
  status: 'done' | 'failed' | 'crashed';
  code?: string;
  detail?: string;
  clauses?: number;
  pages?: number;
  /** time ingest and extraction took, in ms */
  ms: number;
  /** how far the process's peak resident memory rose while reading the file, in MB */
  rssGrowthMb: number;
}

/**
 * Reads `bytes` in a process of its own (read-file.child.ts, started the way
 * the service starts), so its time and memory are measured apart from jest's.
 * A child that dies (out of memory, or past `timeoutMs`) rejects.
 */
export async function readInChild(bytes: Buffer, env: Record<string, string> = {}, timeoutMs = 120_000): Promise<ChildReport> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pactwatch-hostile-'));
  const file = path.join(dir, 'upload');
  try {
    fs.writeFileSync(file, bytes);
    const { stdout } = await run(process.execPath, [path.join(ROOT, 'bin', 'run-ts.js'), path.join(__dirname, 'read-file.child.ts'), file], {
      cwd: ROOT,
      env: { ...process.env, HOSTILE_ENV: JSON.stringify(env) },
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
      maxBuffer: 1024 * 1024,
    });
    return JSON.parse(stdout) as ChildReport;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `tasks` at most `limit` at a time (the machine has two cores shared by every suite). */
export async function inTurns<T>(tasks: (() => Promise<T>)[], limit = 2): Promise<T[]> {
  const out: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        out[i] = await tasks[i]();
      }
    }),
  );
  return out;
}
