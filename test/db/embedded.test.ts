import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { loadConfig } from '../../src/config';
import { LOCK_FILE_NAME, openStore } from '../../src/db';
import { type AppError } from '../../src/errors';
import { clause, upload } from './db-modes';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');

/** Opens the embedded database in another process, as a second `pactwatch serve` would. */
async function openInAnotherProcess(dataDir: string): Promise<{ opened?: boolean; contracts?: number; code?: string; message?: string; error?: string }> {
  const { stdout } = await run(process.execPath, ['--require', 'tsx/cjs', path.join(__dirname, 'open-store.child.ts'), dataDir], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '' },
    timeout: 60_000,
  });
  return JSON.parse(stdout) as { opened?: boolean; code?: string; message?: string };
}

/** The pid of a process that has certainly exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid!;
}

describe('the embedded database on disk', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pactwatch-db-'));
  });

  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps its data across a close and a reopen, and only one process may open it at a time', async () => {
    const config = loadConfig({ PACTWATCH_DATA_DIR: dataDir });
    let started = Date.now();
    const first = await openStore(config);
    const freshMs = Date.now() - started;
    let contractId: string;
    try {
      const { contract } = await first.createContract(upload('Durable Vendor Ltd', 'kept across restarts'), 'analyst-1');
      contractId = contract.id;
      await first.saveExtraction(contract.id, 'Supplier shall notify Customer of a breach.', [{ number: 1, start: 0, end: 43 }], [
        clause({ text: 'Supplier shall notify Customer of a breach.' }),
      ]);

      // A second opener in this process is refused as well: two instances on one directory corrupt it.
      const sameProcess = await openStore(config).then(
        () => null,
        (err: AppError) => err,
      );
      expect(sameProcess).toMatchObject({ code: 'DATA_DIR_LOCKED', status: 503 });

      const other = await openInAnotherProcess(dataDir);
      expect(other.code).toBe('DATA_DIR_LOCKED');
      expect(other.message).toContain(`in use by process ${process.pid}`);
      expect(other.message).toContain(dataDir);
      expect(other.message).toMatch(/stop that process/);
    } finally {
      await first.close();
    }
    expect(fs.existsSync(path.join(dataDir, LOCK_FILE_NAME))).toBe(false);

    started = Date.now();
    const reopened = await openStore(config);
    const reopenMs = Date.now() - started;
    try {
      expect(await reopened.getContract(contractId)).toMatchObject({ counterpartyName: 'Durable Vendor Ltd', status: 'queued' });
      expect((await reopened.listClauses(contractId)).map((c) => c.text)).toEqual(['Supplier shall notify Customer of a breach.']);
      expect((await reopened.getContractFile(contractId))?.bytes.toString()).toBe('kept across restarts');
    } finally {
      await reopened.close();
    }
    // Figures for the notes, not a timing test.
    process.stderr.write(`embedded database open: fresh directory ${freshMs} ms, reopen ${reopenMs} ms\n`);

    // Once closed, another process opens it and sees the same data.
    expect(await openInAnotherProcess(dataDir)).toEqual({ opened: true, contracts: 1 });
  });

  it('takes over a lock left behind by a process that died', async () => {
    const pid = await deadPid();
    fs.writeFileSync(path.join(dataDir, LOCK_FILE_NAME), JSON.stringify({ pid, hostname: os.hostname(), startedAt: new Date().toISOString(), token: 'left-behind' }));
    const store = await openStore(loadConfig({ PACTWATCH_DATA_DIR: dataDir }));
    try {
      expect((await store.listContracts({}, { limit: 10, offset: 0 })).total).toBe(1);
      expect(JSON.parse(fs.readFileSync(path.join(dataDir, LOCK_FILE_NAME), 'utf8'))).toMatchObject({ pid: process.pid });
    } finally {
      await store.close();
    }
  });
});
