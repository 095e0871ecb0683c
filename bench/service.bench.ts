/**
 * Service benchmark (issue 3), on PostgreSQL and Redis. Prints:
 *   1. end to end: 200 fixture PDFs uploaded over HTTP, processed by 2 worker
 *      processes on BullMQ, from the first upload to the last contract done
 *      (obligations stored): documents per second, and the ratio to the bare
 *      extraction (ingest + extractClauses, one process, sequentially) of the
 *      same 200 files measured in the same run;
 *   2. search: GET /api/v1/obligations?counterparty=..&q=.. latency (p50 / p95
 *      / p99) and requests per second with 10,000 contracts and 200,000
 *      obligations loaded, sequentially and with 8 requests in flight.
 * Targets (issue 3): the service adds no more than 50% on top of the bare
 * extraction; search p95 under 50 ms.
 * Needs DATABASE_URL and REDIS_URL; everything it creates (two throw-away
 * databases, the Redis keys under its own prefix, the worker processes) is
 * removed at the end, also when a step fails.
 * Figures are also written to bench/results.json (under "service").
 *
 * The same file is the worker process (`--worker`): `pactwatch worker` cannot
 * be given a Redis key prefix, and the bench must not touch the default one.
 * It is also, with `--bare`, one share of the bare extraction run in parallel.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { type AddressInfo } from 'node:net';
import path from 'node:path';
import pino from 'pino';
import { createToken } from '../src/auth/tokens';
import { loadConfig, type Config } from '../src/config';
import { openStore, openThrowAwayStore } from '../src/db';
import { extractClauses } from '../src/extract';
import { createApp } from '../src/http/app';
import { ingest } from '../src/ingest';
import { createJobQueue, runWorker } from '../src/jobs';
import { loadRuleset } from '../src/rules/load-rules';
import { deleteKeysUnder } from '../test/helpers/redis-keys';
import { type CleanUps, loadContractBook, ms, percentile, prng, runBench, saveResults, SEARCH_WORDS, throwAwayBenchDatabase, typedName } from './bench-data';

/** The API's per-token limit, high enough never to refuse the bench's requests while its cost still counts. */
const RATE_LIMIT_FOR_BENCH = String(100_000_000);

const ROOT = path.join(__dirname, '..');
const FIXTURES = path.join(ROOT, 'fixtures', 'contracts');
const UPLOADS = 200;
const WARM_UPS = 4;
const WORKERS = 2;
// One job at a time per worker process (one extraction thread each): 2 workers on the 2 cores of the target machine.
const WORKER_CONCURRENCY = process.env.BENCH_WORKER_CONCURRENCY ?? '1';
const UPLOADS_IN_FLIGHT = 4;
const CONTRACTS = 10_000;
const OBLIGATIONS_PER_CONTRACT = 20;
const COUNTERPARTIES = 500;
const SEARCHES = 500;
const SEARCHES_IN_FLIGHT = 8;
/** `e2e` or `search` runs one half only. */
const ONLY = process.env.BENCH_ONLY;

const sleep = (n: number) => new Promise((r) => setTimeout(r, n));

function latencySummary(latencies: number[], wallMs: number) {
  const s = [...latencies].sort((a, b) => a - b);
  return {
    requests: s.length,
    p50Ms: Number(percentile(s, 50).toFixed(1)),
    p95Ms: Number(percentile(s, 95).toFixed(1)),
    p99Ms: Number(percentile(s, 99).toFixed(1)),
    maxMs: Number(s[s.length - 1].toFixed(1)),
    reqPerS: Number((s.length / (wallMs / 1000)).toFixed(1)),
  };
}

/** Runs `count` tasks with at most `inFlight` at once. */
async function pool(count: number, inFlight: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(inFlight, count) }, async () => {
      while (next < count) await task(next++);
    }),
  );
}

/** CPU seconds a process has used (all its threads), from /proc; null where there is no /proc. */
function processCpuSeconds(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, fields 14 and 15 of the file, in clock ticks (100 per second on Linux)
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** Busy and total jiffies of the whole machine, to tell whether both cores were kept busy. */
function machineCpu(): { busy: number; total: number } | null {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0];
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = v[3] + (v[4] ?? 0);
    const total = v.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

async function listen(app: ReturnType<typeof createApp>, cleanups: CleanUps): Promise<string> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  cleanups.add(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

// ---- the worker process -------------------------------------------------

async function workerProcess(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel });
  const store = await openStore(config, { logger });
  // The bench holds our stdin open: when it goes away, so do we.
  process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
  process.stdin.resume();
  try {
    await runWorker(config, { store, logger, prefix: process.env.PW_BENCH_PREFIX });
  } finally {
    await store.close();
  }
  process.exit(0);
}

interface WorkerHandle {
  child: ChildProcess;
  stop(): Promise<void>;
}

function startWorker(env: Record<string, string>): Promise<WorkerHandle> {
  // BENCH_PROFILE_DIR=<dir>: the workers write CPU profiles there, to see where their time goes.
  const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE_DIR] : [];
  // The worker logs every job to stdout, synchronously, as in production. A file takes those lines
  // without ever making the worker wait; a pipe to this busy process filled up and stalled it.
  const logFile = path.join(os.tmpdir(), `pactwatch-bench-worker-${randomBytes(4).toString('hex')}.log`);
  const logFd = fs.openSync(logFile, 'w');
  const child = spawn(process.execPath, [...profile, path.join(ROOT, 'bin', 'run-ts.js'), __filename, '--worker'], {
    env: { ...process.env, ...env },
    stdio: ['pipe', logFd, 'pipe'],
  });
  fs.closeSync(logFd);
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      if ((await Promise.race([exited.then(() => true), sleep(15_000).then(() => false)])) === false) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    fs.rmSync(logFile, { force: true });
  };
  return new Promise((resolve, reject) => {
    let exited = false;
    child.once('exit', (code) => {
      exited = true;
      fs.rmSync(logFile, { force: true });
      reject(new Error(`worker exited with ${code} before it started: ${stderr}`));
    });
    void (async () => {
      const until = Date.now() + 60_000;
      while (!exited) {
        if (fs.readFileSync(logFile, 'utf8').includes('"msg":"worker started"')) return resolve({ child, stop });
        if (Date.now() > until) {
          await stop();
          return reject(new Error(`worker not started after 60 s: ${stderr}`));
        }
        await sleep(50);
      }
    })();
  });
}

// ---- 1. end to end ------------------------------------------------------

interface FileToUpload {
  name: string;
  bytes: Buffer;
}

async function bareExtraction(files: FileToUpload[], config: Config) {
  const ruleset = loadRuleset(config.rulesDir);
  // The first parse in a process pays pdf.js start-up; the workers are warmed up the same way.
  extractClauses(await ingest(files[0].bytes, config), ruleset);
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  let clauses = 0;
  for (const f of files) clauses += extractClauses(await ingest(f.bytes, config), ruleset).length;
  const wallMs = ms(t0);
  const cpu = process.cpuUsage(cpu0);
  return { wallMs, cpuS: (cpu.user + cpu.system) / 1e6, clauses };
}

function fixtureFiles(): FileToUpload[] {
  const pdfs = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.pdf')).sort();
  return Array.from({ length: UPLOADS }, (_, i) => {
    const name = pdfs[i % pdfs.length];
    return { name, bytes: fs.readFileSync(path.join(FIXTURES, name)) };
  });
}

/** `--bare <from> <to>`: one share of the files, started by a line on stdin so that all shares start together. */
async function bareShareProcess(from: number, to: number): Promise<void> {
  const config = loadConfig();
  const ruleset = loadRuleset(config.rulesDir);
  const files = fixtureFiles().slice(from, to);
  extractClauses(await ingest(files[0].bytes, config), ruleset);
  process.stdout.write('ready\n');
  await new Promise((r) => process.stdin.once('data', r));
  const cpu0 = process.cpuUsage();
  for (const f of files) extractClauses(await ingest(f.bytes, config), ruleset);
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(`${JSON.stringify({ cpuS: (cpu.user + cpu.system) / 1e6 })}\n`);
  process.exit(0);
}

/** The same files split between `processes` bare processes running at once: the bare figure with the service's parallelism. */
async function bareInParallel(processes: number): Promise<{ wallMs: number; cpuS: number }> {
  const per = Math.ceil(UPLOADS / processes);
  const children = Array.from({ length: processes }, (_, i) =>
    spawn(process.execPath, [path.join(ROOT, 'bin', 'run-ts.js'), __filename, '--bare', String(i * per), String(Math.min(UPLOADS, (i + 1) * per))], {
      env: { ...process.env, DATABASE_URL: '', REDIS_URL: '' },
      stdio: ['pipe', 'pipe', 'inherit'],
    }),
  );
  try {
    const lines = children.map((child) => {
      const queue: string[] = [];
      const waiting: ((line: string) => void)[] = [];
      let buffered = '';
      child.stdout?.on('data', (d: Buffer) => {
        buffered += d.toString();
        let nl: number;
        while ((nl = buffered.indexOf('\n')) >= 0) {
          const line = buffered.slice(0, nl);
          buffered = buffered.slice(nl + 1);
          const w = waiting.shift();
          if (w) w(line);
          else queue.push(line);
        }
      });
      return () =>
        new Promise<string>((resolve, reject) => {
          const q = queue.shift();
          if (q !== undefined) return resolve(q);
          waiting.push(resolve);
          child.once('close', (code) => reject(new Error(`bare extraction process exited with ${code}`)));
        });
    });
    await Promise.all(lines.map((next) => next()));
    const t0 = process.hrtime.bigint();
    for (const c of children) c.stdin?.write('go\n');
    const results = (await Promise.all(lines.map((next) => next()))).map((l) => JSON.parse(l) as { cpuS: number });
    return { wallMs: ms(t0), cpuS: results.reduce((a, r) => a + r.cpuS, 0) };
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  }
}

async function upload(base: string, token: string, file: FileToUpload, counterparty: string): Promise<string> {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(file.bytes)], { type: 'application/pdf' }), file.name);
  form.append('counterparty', counterparty);
  form.append('role', 'customer');
  const res = await fetch(`${base}/api/v1/contracts`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const body = (await res.json()) as { id: string; duplicate: boolean };
  if (res.status !== 202) throw new Error(`upload answered ${res.status}: ${JSON.stringify(body)}`);
  if (body.duplicate) throw new Error(`upload of ${file.name} for ${counterparty} was taken for a duplicate`);
  return body.id;
}

async function endToEnd(env: { DATABASE_URL: string; REDIS_URL: string }, cleanups: CleanUps) {
  const pdfs = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.pdf'));
  const files = fixtureFiles();
  const config = loadConfig({ ...env, PACTWATCH_DEPLOYMENT: 'bench', PACTWATCH_LOG_LEVEL: 'info', PACTWATCH_RATE_LIMIT: RATE_LIMIT_FOR_BENCH });

  // Bare first, on an otherwise idle machine.
  const bare = await bareExtraction(files, config);
  console.log(
    `bare extraction of the ${UPLOADS} PDFs (${pdfs.length} fixtures cycled), one process, sequential: ${(bare.wallMs / 1000).toFixed(2)} s ` +
      `(${(UPLOADS / (bare.wallMs / 1000)).toFixed(1)} docs/s, ${bare.clauses} clauses, ${bare.cpuS.toFixed(1)} s of CPU: the garbage collector's threads use the second core a little)`,
  );
  const bareParallel = await bareInParallel(WORKERS);
  console.log(
    `bare extraction of the same ${UPLOADS} PDFs split between ${WORKERS} processes running at once: ${(bareParallel.wallMs / 1000).toFixed(2)} s ` +
      `(${(UPLOADS / (bareParallel.wallMs / 1000)).toFixed(1)} docs/s, ${bareParallel.cpuS.toFixed(1)} s of CPU)`,
  );

  const db = await openThrowAwayStore(config);
  cleanups.add(() => db.close());
  const prefix = `pwbench-${randomBytes(4).toString('hex')}`;
  cleanups.add(() => deleteKeysUnder(env.REDIS_URL, prefix));
  // The API logs every request as in production; the lines are written, to nowhere, so their cost counts.
  const apiLogger = pino({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: false }));
  const jobs = createJobQueue(config, { store: db.store, logger: apiLogger, prefix });
  cleanups.add(() => jobs.close());
  const base = await listen(createApp({ store: db.store, jobs, config, logger: apiLogger }), cleanups);
  const token = await createToken(db.store, config, { name: 'bench-analyst', role: 'analyst' }, 'bench');

  const workerEnv = {
    DATABASE_URL: db.url ?? '',
    REDIS_URL: env.REDIS_URL,
    PW_BENCH_PREFIX: prefix,
    PACTWATCH_WORKER_CONCURRENCY: WORKER_CONCURRENCY,
    PACTWATCH_LOG_LEVEL: 'info',
    PACTWATCH_DEPLOYMENT: 'bench',
  };
  const workers: WorkerHandle[] = [];
  cleanups.add(async () => {
    await Promise.all(workers.map((w) => w.stop()));
  });
  for (const w of await Promise.all(Array.from({ length: WORKERS }, () => startWorker(workerEnv)))) workers.push(w);

  const finished = async () => {
    const rows = (await db.store.dataSource.query(`SELECT status, count(*)::int AS n FROM contract GROUP BY status`)) as { status: string; n: number }[];
    const by = Object.fromEntries(rows.map((r) => [r.status, r.n])) as Record<string, number>;
    return { done: by.done ?? 0, failed: by.failed ?? 0 };
  };
  const waitUntilFinished = async (count: number, timeoutMs: number) => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const f = await finished();
      if (f.done + f.failed >= count) return f;
      if (Date.now() > until) throw new Error(`only ${f.done} done and ${f.failed} failed of ${count} after ${timeoutMs / 1000} s`);
      await sleep(25);
    }
  };

  // Warm-up, not timed: each worker loads its rules and starts its extraction thread on its first job.
  await Promise.all(Array.from({ length: WARM_UPS }, (_, i) => upload(base, token, files[i], `Bench Warm-up ${i}`)));
  await waitUntilFinished(WARM_UPS, 120_000);

  const workerCpu0 = workers.map((w) => processCpuSeconds(w.child.pid ?? -1));
  const apiCpu0 = process.cpuUsage();
  const machine0 = machineCpu();
  const uploadMs: number[] = [];
  const t0 = process.hrtime.bigint();
  await pool(UPLOADS, UPLOADS_IN_FLIGHT, async (i) => {
    const u0 = process.hrtime.bigint();
    await upload(base, token, files[i], `Bench Vendor ${String(i).padStart(3, '0')} Ltd`);
    uploadMs.push(ms(u0));
  });
  const uploadedMs = ms(t0);
  const result = await waitUntilFinished(WARM_UPS + UPLOADS, 600_000);
  const serviceMs = ms(t0);
  const machine1 = machineCpu();
  const apiCpu = process.cpuUsage(apiCpu0);
  const workerCpu = workers.map((w, i) => {
    const now = processCpuSeconds(w.child.pid ?? -1);
    const before = workerCpu0[i];
    return now === null || before === null ? null : now - before;
  });

  const stored = (await db.store.dataSource.query(
    `WITH timed AS (SELECT c.id, c.status FROM contract c JOIN counterparty p ON p.id = c.counterparty_id WHERE p.name LIKE 'Bench Vendor %')
     SELECT (SELECT count(*)::int FROM clause WHERE contract_id IN (SELECT id FROM timed)) AS clauses,
            (SELECT count(*)::int FROM obligation WHERE contract_id IN (SELECT id FROM timed)) AS obligations,
            (SELECT count(*)::int FROM timed t WHERE t.status = 'done' AND NOT EXISTS (SELECT 1 FROM obligation o WHERE o.contract_id = t.id)) AS without_obligations`,
  )) as { clauses: number; obligations: number; without_obligations: number }[];
  if (result.failed > 0) throw new Error(`${result.failed} contract(s) failed`);

  const ratio = serviceMs / bare.wallMs;
  // The service had 2 worker processes (one extraction thread each) on 2 cores; bare had 1 core.
  const perCore = (serviceMs * WORKERS) / bare.wallMs;
  const workerCpuTotal = workerCpu.every((x) => x !== null) ? workerCpu.reduce((a, b) => a + (b ?? 0), 0) : null;
  const busyShare = machine0 && machine1 ? (machine1.busy - machine0.busy) / (machine1.total - machine0.total) : null;
  const upSorted = [...uploadMs].sort((a, b) => a - b);

  console.log(
    `service: ${UPLOADS} uploads over HTTP (${UPLOADS_IN_FLIGHT} in flight, all accepted in ${(uploadedMs / 1000).toFixed(2)} s, upload p50 ${percentile(upSorted, 50).toFixed(0)} ms / p95 ${percentile(upSorted, 95).toFixed(0)} ms), ` +
      `${WORKERS} worker processes (concurrency ${WORKER_CONCURRENCY} each), first upload to last contract done: ${(serviceMs / 1000).toFixed(2)} s = ${(UPLOADS / (serviceMs / 1000)).toFixed(1)} docs/s ` +
      `(${result.done - WARM_UPS} done, ${result.failed} failed; ${stored[0].clauses} clauses, ${stored[0].obligations} obligations stored, ${stored[0].without_obligations} done contracts without obligations)`,
  );
  const parallelRatio = serviceMs / bareParallel.wallMs;
  console.log(
    `service vs bare: ${(serviceMs / 1000).toFixed(2)} s vs ${(bare.wallMs / 1000).toFixed(2)} s = ratio ${ratio.toFixed(2)} in wall-clock time ` +
      `(the service ran ${WORKERS} workers on ${WORKERS} cores, bare ran in 1 process on 1 core); per core (service time x ${WORKERS} / bare time): ${perCore.toFixed(2)} (${((perCore - 1) * 100).toFixed(0)}% on top); ` +
      `against bare in ${WORKERS} processes at once (the same parallelism): ${parallelRatio.toFixed(2)} (${((parallelRatio - 1) * 100).toFixed(0)}% on top)`,
  );
  console.log(
    `CPU during the service run: workers ${workerCpu.map((c) => (c === null ? '?' : `${c.toFixed(1)} s`)).join(' + ')}` +
      `${workerCpuTotal === null ? '' : ` = ${workerCpuTotal.toFixed(1)} s (bare: ${bare.cpuS.toFixed(1)} s)`}, API process ${((apiCpu.user + apiCpu.system) / 1e6).toFixed(1)} s` +
      `${busyShare === null ? '' : `, machine busy ${(busyShare * 100).toFixed(0)}% of ${WORKERS} cores`}`,
  );

  return {
    uploads: UPLOADS,
    fixtures: pdfs.length,
    workers: WORKERS,
    workerConcurrency: Number(WORKER_CONCURRENCY),
    uploadsInFlight: UPLOADS_IN_FLIGHT,
    serviceMs: Math.round(serviceMs),
    docsPerS: Number((UPLOADS / (serviceMs / 1000)).toFixed(2)),
    uploadsAcceptedMs: Math.round(uploadedMs),
    uploadP50Ms: Math.round(percentile(upSorted, 50)),
    uploadP95Ms: Math.round(percentile(upSorted, 95)),
    bareMs: Math.round(bare.wallMs),
    bareDocsPerS: Number((UPLOADS / (bare.wallMs / 1000)).toFixed(2)),
    bareParallelMs: Math.round(bareParallel.wallMs),
    ratio: Number(ratio.toFixed(3)),
    perCoreRatio: Number(perCore.toFixed(3)),
    parallelRatio: Number(parallelRatio.toFixed(3)),
    cpu: {
      workersS: workerCpuTotal === null ? null : Number(workerCpuTotal.toFixed(1)),
      bareS: Number(bare.cpuS.toFixed(1)),
      bareParallelS: Number(bareParallel.cpuS.toFixed(1)),
      apiS: Number(((apiCpu.user + apiCpu.system) / 1e6).toFixed(1)),
      machineBusyShare: busyShare === null ? null : Number(busyShare.toFixed(2)),
    },
    clauses: stored[0].clauses,
    obligations: stored[0].obligations,
  };
}

// ---- 2. search ----------------------------------------------------------



async function search(env: { DATABASE_URL: string }, cleanups: CleanUps) {
  const { config, db, client } = await throwAwayBenchDatabase(env.DATABASE_URL, cleanups, { PACTWATCH_LOG_LEVEL: 'info', PACTWATCH_RATE_LIMIT: RATE_LIMIT_FOR_BENCH });

  const l0 = process.hrtime.bigint();
  // Each contract takes 20 (clause, obligation) pairs; one contract in three is a customer's (we are the provider).
  const loaded = await loadContractBook((text, params) => client.query(text, params), config, {
    contracts: CONTRACTS,
    obligationsPerContract: OBLIGATIONS_PER_CONTRACT,
    counterparties: COUNTERPARTIES,
    providerEvery: 3,
  });
  const sizes = (await client.query(
    `SELECT (SELECT count(*)::int FROM contract) AS contracts, (SELECT count(*)::int FROM clause) AS clauses,
            (SELECT count(*)::int FROM obligation) AS obligations, (SELECT count(*)::int FROM counterparty) AS counterparties,
            (SELECT count(DISTINCT text)::int FROM clause) AS texts,
            pg_size_pretty(pg_total_relation_size('clause') + pg_total_relation_size('obligation')) AS size`,
  )).rows[0] as { contracts: number; clauses: number; obligations: number; counterparties: number; texts: number; size: string };
  console.log(
    `search data: ${sizes.contracts} contracts, ${sizes.obligations} obligations, ${sizes.clauses} clauses (${sizes.texts} distinct texts from ${loaded.templates} fixture clause/obligation pairs), ` +
      `${sizes.counterparties} counterparties, clause + obligation tables ${sizes.size}; loaded in ${(ms(l0) / 1000).toFixed(1)} s`,
  );

  // No job runs here: the in-process runner, never started, stands in for the queue.
  const jobs = createJobQueue({ ...config, redisUrl: null }, { store: db.store, logger: pino({ level: 'silent' }) });
  cleanups.add(() => jobs.close());
  const apiLogger = pino({ level: 'info' }, pino.destination({ dest: '/dev/null', sync: false }));
  const base = await listen(createApp({ store: db.store, jobs, config, logger: apiLogger }), cleanups);
  const token = await createToken(db.store, config, { name: 'bench-legal', role: 'legal' }, 'bench');

  const rand = prng(3);
  const queries = Array.from({ length: SEARCHES }, () => {
    const name = loaded.names[Math.floor(rand() * loaded.names.length)];
    return { counterparty: typedName(name, rand()), q: SEARCH_WORDS[Math.floor(rand() * SEARCH_WORDS.length)] };
  });
  let hits = 0;
  let found = 0;
  const get = async (query: { counterparty?: string; q?: string }) => {
    const qs = new URLSearchParams(query as Record<string, string>).toString();
    const res = await fetch(`${base}/api/v1/obligations?${qs}`, { headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { total: number };
    if (res.status !== 200) throw new Error(`search answered ${res.status}: ${JSON.stringify(body)}`);
    return body.total;
  };
  const run = async (list: { counterparty?: string; q?: string }[], inFlight: number) => {
    const latencies: number[] = [];
    const t0 = process.hrtime.bigint();
    let slowest = { ms: -1, query: list[0] };
    await pool(list.length, inFlight, async (i) => {
      const r0 = process.hrtime.bigint();
      const total = await get(list[i]);
      const took = ms(r0);
      latencies.push(took);
      if (took > slowest.ms) slowest = { ms: took, query: list[i] };
      hits += total > 0 ? 1 : 0;
      found += total;
    });
    return { ...latencySummary(latencies, ms(t0)), slowest };
  };

  await run(queries.slice(0, 50), 1); // warm-up: connections, plans, caches
  hits = 0;
  found = 0;
  const sequential = await run(queries, 1);
  const hitShare = hits / SEARCHES;
  const meanTotal = found / SEARCHES;
  const concurrent = await run(queries, SEARCHES_IN_FLIGHT);
  const show = (label: string, s: ReturnType<typeof latencySummary>) =>
    console.log(`search ${label}: ${s.requests} requests, p50 ${s.p50Ms} ms, p95 ${s.p95Ms} ms, p99 ${s.p99Ms} ms, max ${s.maxMs} ms, ${s.reqPerS} req/s`);
  console.log(`search GET /api/v1/obligations?counterparty=<name>&q=<words>: ${(hitShare * 100).toFixed(0)}% of the queries find something, ${meanTotal.toFixed(1)} obligations on average`);
  show('sequential', sequential);
  show(`${SEARCHES_IN_FLIGHT} in flight`, concurrent);

  // For comparison, the two filters alone (fewer requests: figures for context, not the target).
  const byName = await run(queries.slice(0, 200).map((q) => ({ counterparty: q.counterparty })), 1);
  show('counterparty only, sequential', byName);
  const byWords = await run(queries.slice(0, 100).map((q) => ({ q: q.q })), 1);
  show('q only (whole database), sequential', byWords);

  // The exact statements the store runs for one request, with their plans' timings.
  const explain = async (filter: { counterparty?: string; q?: string }) => {
    const ds = db.store.dataSource;
    const original = ds.query.bind(ds);
    const captured: { sql: string; params: unknown[] }[] = [];
    ds.query = (async (sql: string, params?: unknown[]) => {
      // copied now: the store keeps adding to the same array for its next statement
      captured.push({ sql, params: [...(params ?? [])] });
      return original(sql, params);
    }) as typeof ds.query;
    try {
      await db.store.searchObligations(filter, { limit: 20, offset: 0 });
    } finally {
      ds.query = original;
    }
    const out: { statement: string; executionMs: number; plan: string[] }[] = [];
    for (const c of captured) {
      const plan = (await client.query(`EXPLAIN (ANALYZE, BUFFERS) ${c.sql}`, c.params)).rows.map((r: Record<string, string>) => r['QUERY PLAN']);
      const exec = plan.find((l) => l.startsWith('Execution Time'));
      out.push({
        statement: /SELECT count\(\*\)/.test(c.sql) ? 'count' : 'page',
        executionMs: exec ? Number(/([\d.]+) ms/.exec(exec)?.[1]) : NaN,
        // the plan's nodes only, without the planner's cost estimates
        plan: plan
          .filter((l, i) => i === 0 || /->/.test(l))
          .map((l) => l.replace(/\s+\(cost=[^)]*\)/, '').replace(/^(\s*)->\s+/, '$1'))
          .slice(0, 12),
      });
    }
    return out;
  };
  // A typical request (the first), and the slowest of the sequential run.
  const typical = queries[0];
  const slow = sequential.slowest.query as { counterparty: string; q: string };
  const examples: [string, Awaited<ReturnType<typeof explain>>][] = [
    [`counterparty + q, typical (counterparty=${JSON.stringify(typical.counterparty)}, q=${JSON.stringify(typical.q)})`, await explain(typical)],
    [`counterparty + q, the slowest sequential request (${sequential.slowest.ms.toFixed(0)} ms: counterparty=${JSON.stringify(slow.counterparty)}, q=${JSON.stringify(slow.q)})`, await explain(slow)],
    [`q only (q=${JSON.stringify(typical.q)})`, await explain({ q: typical.q })],
  ];
  for (const [kind, statements] of examples) {
    console.log(`EXPLAIN ANALYZE ${kind}: ${statements.map((s) => `${s.statement} query ${s.executionMs} ms`).join(', ')}`);
    for (const s of statements) for (const line of s.plan) console.log(`    ${s.statement}: ${line}`);
  }

  return {
    contracts: sizes.contracts,
    obligations: sizes.obligations,
    clauses: sizes.clauses,
    counterparties: sizes.counterparties,
    distinctClauseTexts: sizes.texts,
    hitShare: Number(hitShare.toFixed(2)),
    meanResults: Number(meanTotal.toFixed(1)),
    sequential,
    concurrent: { inFlight: SEARCHES_IN_FLIGHT, ...concurrent },
    counterpartyOnly: byName,
    qOnly: byWords,
    explainMs: {
      typical: Object.fromEntries(examples[0][1].map((s) => [s.statement, s.executionMs])),
      slowest: Object.fromEntries(examples[1][1].map((s) => [s.statement, s.executionMs])),
      qOnly: Object.fromEntries(examples[2][1].map((s) => [s.statement, s.executionMs])),
    },
  };
}

// ---- main ---------------------------------------------------------------

async function main(): Promise<void> {
  const { DATABASE_URL, REDIS_URL } = process.env;
  if (!DATABASE_URL || !REDIS_URL) {
    console.log('service bench skipped: it needs PostgreSQL and Redis, e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379 npm run bench');
    return;
  }
  await runBench('service', async (cleanups) => {
    const e2e = ONLY === 'search' ? null : await endToEnd({ DATABASE_URL, REDIS_URL }, cleanups);
    await cleanups.run();
    const searchResults = ONLY === 'e2e' ? null : await search({ DATABASE_URL }, cleanups);

    // A partial run keeps the other half's figures from before.
    saveResults('service', (prior) => ({
      ...prior,
      date: new Date().toISOString(),
      node: process.version,
      ...(e2e ? { endToEnd: e2e } : {}),
      ...(searchResults ? { search: searchResults } : {}),
      targets: { maxRatio: 1.5, searchP95Ms: 50 },
    }));
    const verdicts: string[] = [];
    if (e2e) {
      verdicts.push(
        `service adds <= 50% on top of bare extraction: wall-clock vs 1 bare process ${e2e.ratio <= 1.5 ? 'met' : 'NOT met'} (${e2e.ratio.toFixed(2)}), ` +
          `per core ${e2e.perCoreRatio <= 1.5 ? 'met' : 'NOT met'} (${e2e.perCoreRatio.toFixed(2)}), vs ${WORKERS} bare processes ${e2e.parallelRatio <= 1.5 ? 'met' : 'NOT met'} (${e2e.parallelRatio.toFixed(2)})`,
      );
    }
    if (searchResults) {
      const p95 = Math.max(searchResults.sequential.p95Ms, searchResults.concurrent.p95Ms);
      verdicts.push(`search p95 < 50 ms: ${p95 < 50 ? 'met' : 'NOT met'} (${p95} ms, the worse of sequential and ${SEARCHES_IN_FLIGHT} in flight)`);
    }
    console.log(`targets: ${verdicts.join('; ')}`);
  });
}

const bareAt = process.argv.indexOf('--bare');
if (bareAt >= 0) {
  bareShareProcess(Number(process.argv[bareAt + 1]), Number(process.argv[bareAt + 2])).catch((err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
} else if (process.argv.includes('--worker')) {
  workerProcess().catch((err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
} else {
  void main();
}
