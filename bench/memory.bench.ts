/**
 * Memory benchmark (issue 6): the resident memory of a `pactwatch worker`
 * process (node bin/pactwatch.js worker, as an operator starts it, with its
 * default concurrency of 2) while it processes 300-page PDFs, uploaded through
 * `pactwatch serve`, on PostgreSQL and a Redis of the bench's own:
 *   a. one 300-page PDF, the worker's first job (the extraction thread starts);
 *   b. the same contract re-processed (the thread is warm);
 *   c. two different 300-page PDFs at once (two jobs, two threads).
 * For each: the peak resident set (VmHWM from /proc/<pid>/status, reset
 * between runs; the extraction threads live in the same process, so they are
 * in it), the highest VmRSS sampled every 10 ms and when it came, the resident
 * set before and after, and the time from the upload to the contract done.
 * The PDF is typeset from the fixture contracts' pages, as in extract.bench.ts.
 * Needs DATABASE_URL and redis-server; everything it creates is removed at
 * the end. Figures go to bench/results.json (under "memory").
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createToken } from '../src/auth/tokens';
import { buildPdf } from '../scripts/build-fixtures';
import { readFixtureSource } from '../scripts/fixture-source';
import { type CleanUps, ms, runBench, saveResults, throwAwayBenchDatabase } from './bench-data';
import { freePort, loadAverage, memoryOf, redisServerBinary, resetPeak, sleep, startPactwatch, startRedis } from './service-stack';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'contracts');
const PAGES = 300;
const SAMPLE_MS = 10;
const JOB_LIMIT_MS = 10 * 60_000;

/** A 300-page PDF of the fixtures' pages, starting at the `from`-th page (a different `from` gives different bytes). */
async function longPdf(from: number): Promise<Buffer> {
  const names = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.txt')).sort();
  const pages = names.flatMap((n) => readFixtureSource(fs.readFileSync(path.join(FIXTURES, n), 'utf8')));
  const chosen = Array.from({ length: PAGES }, (_, i) => pages[(from + i) % pages.length]);
  return buildPdf(chosen, `Benchmark Portfolio ${from}`);
}

const MiB = (x: number) => Number(x.toFixed(1));

interface Run {
  label: string;
  contracts: number;
  rssBeforeMiB: number;
  /** the higher of VmHWM and the highest sample (the kernel updates VmHWM lazily, so a sample can exceed it by a little) */
  peakMiB: number;
  peakHwmMiB: number;
  peakSampledMiB: number;
  /** from the (first) upload or re-process request to the sampled peak */
  peakAtS: number;
  rssAfterMiB: number;
  /** from the request to every contract done */
  doneS: number;
  /** from the request to the extraction stored (text and clauses), per contract */
  extractedS: number[];
  pages: number[];
  clauses: number[];
  obligations: number[];
  samples: number;
  loadAvgAfter: number[];
}

async function memoryBench(databaseUrl: string, redisServer: string, cleanups: CleanUps) {
  const loadAvgAtStart = loadAverage();
  console.log(`memory bench: ${os.cpus().length} cores, load average at start ${loadAvgAtStart.join(' / ')} (the machine is shared: others' work counts in it)`);
  const b0 = process.hrtime.bigint();
  const pdfs = [await longPdf(0), await longPdf(101), await longPdf(202)];
  console.log(`three ${PAGES}-page PDFs typeset in ${(ms(b0) / 1000).toFixed(1)} s: ${pdfs.map((p) => `${(p.length / 1e6).toFixed(2)} MB`).join(', ')}`);

  const { config, db, client } = await throwAwayBenchDatabase(databaseUrl, cleanups);
  const analyst = await createToken(db.store, config, { name: 'bench-analyst', role: 'analyst' }, 'bench');

  const redis = await startRedis(redisServer, cleanups);
  const port = await freePort();
  const env = { DATABASE_URL: db.url ?? '', REDIS_URL: redis.url, PORT: String(port), PACTWATCH_DEPLOYMENT: 'bench', PACTWATCH_LOG_LEVEL: 'info' };
  await startPactwatch('serve', env, cleanups);
  const base = `http://127.0.0.1:${port}`;
  const worker = await startPactwatch('worker', env, cleanups);
  await sleep(2000); // start-up garbage collected, the resident set as it idles
  const idle = memoryOf(worker.pid);
  if (!idle) throw new Error('cannot read /proc/<pid>/status: this benchmark needs Linux');
  console.log(`pactwatch worker (pid ${worker.pid}, default concurrency) idle: VmRSS ${MiB(idle.rssMiB)} MiB, VmHWM since start ${MiB(idle.hwmMiB)} MiB`);

  const request = async (method: string, url: string, body?: FormData) => {
    const res = await fetch(`${base}${url}`, { method, headers: { authorization: `Bearer ${analyst}` }, body });
    const json = (await res.json()) as { id?: string };
    if (res.status !== 202) throw new Error(`${method} ${url} answered ${res.status}: ${JSON.stringify(json)}`);
    return json;
  };
  const upload = async (bytes: Buffer, counterparty: string) => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), 'portfolio-300-pages.pdf');
    form.append('counterparty', counterparty);
    form.append('role', 'customer');
    return (await request('POST', '/api/v1/contracts', form)).id as string;
  };

  /** Starts the jobs, samples the worker until every contract is done, and reports. */
  const measure = async (label: string, start: () => Promise<string[]>): Promise<Run> => {
    if (!resetPeak(worker.pid)) console.log('  (VmHWM could not be reset: the peak is since the process started)');
    const before = memoryOf(worker.pid);
    let peak = { rss: before?.rssMiB ?? 0, at: 0 };
    let samples = 0;
    const logFrom = fs.statSync(worker.logFile).size;
    const startedAt = Date.now();
    const t0 = process.hrtime.bigint();
    const sampler = setInterval(() => {
      const m = memoryOf(worker.pid);
      samples++;
      if (m && m.rssMiB > peak.rss) peak = { rss: m.rssMiB, at: ms(t0) };
    }, SAMPLE_MS);
    try {
      const ids = await start();
      const until = Date.now() + JOB_LIMIT_MS;
      for (;;) {
        const rows = (await client.query(`SELECT id, status, error_code FROM contract WHERE id = ANY($1::uuid[])`, [ids])).rows as {
          id: string;
          status: string;
          error_code: string | null;
        }[];
        const failed = rows.filter((r) => r.status === 'failed');
        if (failed.length) throw new Error(`${label}: contract failed: ${failed.map((f) => f.error_code).join(', ')}`);
        if (rows.length === ids.length && rows.every((r) => r.status === 'done')) break;
        if (Date.now() > until) throw new Error(`${label}: not done after ${JOB_LIMIT_MS / 1000} s`);
        await sleep(50);
      }
      const doneMs = ms(t0);
      clearInterval(sampler);
      // when the worker logged each extraction stored (pino's "time" is in milliseconds since the epoch)
      const extracted = fs
        .readFileSync(worker.logFile, 'utf8')
        .slice(logFrom)
        .split('\n')
        .filter((l) => l.includes('"msg":"extracted"'))
        .map((l) => (JSON.parse(l) as { time: number }).time - startedAt);
      const hwm = memoryOf(worker.pid);
      await sleep(2000);
      const after = memoryOf(worker.pid);
      const counts = (
        await client.query(
          `SELECT c.page_count, (SELECT count(*)::int FROM clause WHERE contract_id = c.id) AS clauses, (SELECT count(*)::int FROM obligation WHERE contract_id = c.id) AS obligations
             FROM contract c WHERE c.id = ANY($1::uuid[]) ORDER BY c.created_at`,
          [ids],
        )
      ).rows as { page_count: number; clauses: number; obligations: number }[];
      const run: Run = {
        label,
        contracts: ids.length,
        rssBeforeMiB: MiB(before?.rssMiB ?? NaN),
        peakMiB: MiB(Math.max(hwm?.hwmMiB ?? 0, peak.rss)),
        peakHwmMiB: MiB(hwm?.hwmMiB ?? NaN),
        peakSampledMiB: MiB(peak.rss),
        peakAtS: Number((peak.at / 1000).toFixed(2)),
        rssAfterMiB: MiB(after?.rssMiB ?? NaN),
        doneS: Number((doneMs / 1000).toFixed(2)),
        extractedS: extracted.map((x) => Number((x / 1000).toFixed(2))),
        pages: counts.map((c) => c.page_count),
        clauses: counts.map((c) => c.clauses),
        obligations: counts.map((c) => c.obligations),
        samples,
        loadAvgAfter: loadAverage(),
      };
      console.log(
        `  ${label}: peak ${run.peakMiB} MiB (VmHWM ${run.peakHwmMiB} MiB; sampled every ${SAMPLE_MS} ms: ${run.peakSampledMiB} MiB at ${run.peakAtS} s), ` +
          `before ${run.rssBeforeMiB} MiB, 2 s after ${run.rssAfterMiB} MiB; request to done ${run.doneS} s (extraction stored at ${run.extractedS.join(', ')} s); ` +
          `${run.pages.join(' + ')} pages, ${run.clauses.join(' + ')} clauses, ${run.obligations.join(' + ')} obligations; load average after ${run.loadAvgAfter.join(' / ')}`,
      );
      return run;
    } finally {
      clearInterval(sampler);
    }
  };

  console.log(`${PAGES}-page PDFs through one pactwatch worker:`);
  let first = '';
  const runs = [
    await measure(`a. one ${PAGES}-page PDF, the worker's first job`, async () => [(first = await upload(pdfs[0], 'Longform Holdings Ltd'))]),
    await measure('b. the same contract re-processed (warm)', async () => {
      await request('POST', `/api/v1/contracts/${first}/reprocess`);
      return [first];
    }),
    await measure(`c. two different ${PAGES}-page PDFs at once`, () => Promise.all([upload(pdfs[1], 'Longform Partners LLC'), upload(pdfs[2], 'Longform Services GmbH')])),
  ];
  return {
    date: new Date().toISOString(),
    node: process.version,
    cores: os.cpus().length,
    loadAvgAtStart,
    note: 'shared 2-core machine: other work ran beside the bench; load averages (1/5/15 min) recorded',
    worker: 'node bin/pactwatch.js worker, PACTWATCH_WORKER_CONCURRENCY default (2): up to two extraction threads in the process',
    pdf: { pages: PAGES, megabytes: pdfs.map((p) => Number((p.length / 1e6).toFixed(2))) },
    idle: { rssMiB: MiB(idle.rssMiB), hwmSinceStartMiB: MiB(idle.hwmMiB) },
    runs,
  };
}

async function main(): Promise<void> {
  const { DATABASE_URL } = process.env;
  const redisServer = redisServerBinary();
  if (!DATABASE_URL || !redisServer || !fs.existsSync('/proc/self/status')) {
    console.log('memory bench skipped: it needs PostgreSQL (DATABASE_URL), redis-server on PATH (it starts a Redis of its own) and Linux (/proc)');
    return;
  }
  await runBench('memory', async (cleanups) => {
    const results = await memoryBench(DATABASE_URL, redisServer, cleanups);
    saveResults('memory', () => results);
  });
}

void main();
