/**
 * Load benchmark (issue 6), on PostgreSQL, with the service run as it is
 * deployed: `pactwatch serve` (one process) and two `pactwatch worker`
 * processes on BullMQ, with a Redis of the bench's own (see service-stack.ts).
 *   1. Reads on a portfolio of 10,000 contracts and 200,000 obligations
 *      (seed-portfolio.ts, bulk SQL into a throw-away database):
 *        - GET /api/v1/obligations?counterparty=<name>           (500 names, typed as users type them)
 *        - GET /api/v1/obligations?counterparty=<name>&q=<words>
 *        - GET /api/v1/incidents/:id/deadlines for 20 vendor incidents (the vendor and one customer each)
 *        - GET /api/v1/incidents/:id/deadlines for one incident of ours reaching every customer
 *      each first one request at a time (latency, answer size), then sustained
 *      with autocannon, 10 connections for 20 s (2 for the incident reaching
 *      every customer, whose answer is tens of megabytes): requests per
 *      second, p50 / p90 / p99 / max latency, non-2xx answers.
 *   2. 50 uploads at once (fixture contracts: PDF, DOCX and TXT, 50 different
 *      files) while three of the reads above go on (4 + 3 + 3 connections):
 *      every upload answered 202, every contract ends `done` with clauses and
 *      obligations, the total is 10,050; the reads' latency before and during.
 * The machine is shared (2 cores): the load averages before and after each
 * step are recorded with the figures. Needs DATABASE_URL and redis-server;
 * everything it creates is removed at the end, also when a step fails.
 * Figures go to bench/results.json (under "load").
 * BENCH_LOAD_SECONDS and BENCH_LOAD_CONNECTIONS shorten or change the read runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Client } from 'pg';
import { createToken } from '../src/auth/tokens';
import { type CleanUps, ms, percentile, prng, runBench, saveResults, SEARCH_WORDS, throwAwayBenchDatabase, typedName } from './bench-data';
import { seedPortfolio, type Portfolio } from './seed-portfolio';
import { cpuSecondsOf, freePort, loadAverage, redisServerBinary, sleep, startPactwatch, startRedis } from './service-stack';

interface CannonResult {
  requests: { total: number };
  latency: { p50: number; p90: number; p99: number; max: number; average: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}
interface CannonInstance extends PromiseLike<CannonResult> {
  stop(): void;
  on(event: 'reqError', listener: (err: Error) => void): void;
}
// autocannon ships no type declarations: the part of its programmatic API used here
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => CannonInstance;

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'contracts');
const SECONDS = Number(process.env.BENCH_LOAD_SECONDS ?? 20);
const CONNECTIONS = Number(process.env.BENCH_LOAD_CONNECTIONS ?? 10);
const WARM_UP_SECONDS = 3;
const UPLOADS = 50;
const WORKERS = 2;
// one job at a time per worker process: two workers on the two cores
const WORKER_CONCURRENCY = '1';
const BROAD_CONNECTIONS = 2;
const RATE_LIMIT = 100_000_000;
const ALONE = 20;
const VENDOR_INCIDENTS = 20;
const UPLOAD_DEADLINE_MS = 15 * 60_000;



interface ReadFigures {
  connections: number;
  seconds: number;
  requests: number;
  reqPerS: number;
  p50Ms: number;
  p90Ms: number;
  p99Ms: number;
  maxMs: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  errorMessages: Record<string, number>;
  /** CPU the API process used per second of the run (1.0 = one core) */
  apiCores: number | null;
  loadAvgAfter: number[];
}

interface Reads {
  label: string;
  paths: string[];
  token: string;
}

/** Starts autocannon on `reads`, each connection taking the next path in turn; failed requests' messages are counted in `errors`. */
function fire(base: string, reads: Reads, connections: number, seconds: number, errors?: Map<string, number>): CannonInstance {
  let next = 0;
  const instance = autocannon({
    url: base,
    connections,
    duration: seconds,
    timeout: 60,
    headers: { authorization: `Bearer ${reads.token}` },
    requests: [{ setupRequest: (req: Record<string, unknown>) => ({ ...req, path: reads.paths[next++ % reads.paths.length] }) }],
  });
  instance.on('reqError', (err: Error) => errors?.set(err.message, (errors.get(err.message) ?? 0) + 1));
  return instance;
}

function figures(r: CannonResult, connections: number, wallS: number, apiCpuS: number | null, errors: Map<string, number>): ReadFigures {
  return {
    connections,
    seconds: Number(wallS.toFixed(1)),
    requests: r.requests.total,
    reqPerS: Number((r.requests.total / wallS).toFixed(1)),
    p50Ms: r.latency.p50,
    p90Ms: r.latency.p90,
    p99Ms: r.latency.p99,
    maxMs: r.latency.max,
    non2xx: r.non2xx,
    errors: r.errors,
    timeouts: r.timeouts,
    errorMessages: Object.fromEntries(errors),
    apiCores: apiCpuS === null ? null : Number((apiCpuS / wallS).toFixed(2)),
    loadAvgAfter: loadAverage(),
  };
}

const show = (label: string, f: ReadFigures) =>
  console.log(
    `  ${label}: ${f.reqPerS} req/s, p50 ${f.p50Ms} ms, p90 ${f.p90Ms} ms, p99 ${f.p99Ms} ms, max ${f.maxMs} ms ` +
      `(${f.requests} requests, ${f.connections} connections, ${f.seconds} s, non-2xx ${f.non2xx}, errors ${f.errors}` +
      `${f.errors > 0 ? ` ${JSON.stringify(f.errorMessages)}` : ''}` +
      `${f.apiCores === null ? '' : `; API process ${f.apiCores} cores`}; load average after ${f.loadAvgAfter.join(' / ')})`,
  );

/**
 * When autocannon stops, the requests it had in flight are still being
 * answered: waits until the API process is idle and no statement runs in the
 * bench's database, so that one step's backlog does not fall on the next.
 */
async function settle(apiPid: number, client: Client): Promise<number> {
  const t0 = process.hrtime.bigint();
  let quietTimes = 0;
  while (quietTimes < 2 && ms(t0) < 120_000) {
    const cpu0 = cpuSecondsOf(apiPid);
    await sleep(300);
    const cpu1 = cpuSecondsOf(apiPid);
    const [{ n }] = (
      await client.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()`)
    ).rows as { n: number }[];
    const idle = n === 0 && (cpu0 === null || cpu1 === null || cpu1 - cpu0 < 0.03);
    quietTimes = idle ? quietTimes + 1 : 0;
  }
  return ms(t0);
}

interface Alone {
  requests: number;
  p50Ms: number;
  maxMs: number;
  responseKB: number;
}

/** One request at a time: what a single user waits, and how big the answer is. */
async function alone(base: string, reads: Reads, count: number): Promise<Alone> {
  const took: number[] = [];
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const t0 = process.hrtime.bigint();
    const res = await fetch(`${base}${reads.paths[i % reads.paths.length]}`, { headers: { authorization: `Bearer ${reads.token}` } });
    const body = await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`${reads.paths[i % reads.paths.length]} answered ${res.status}: ${Buffer.from(body).toString('utf8', 0, 300)}`);
    took.push(ms(t0));
    bytes += body.byteLength;
  }
  took.sort((a, b) => a - b);
  return { requests: count, p50Ms: Number(percentile(took, 50).toFixed(1)), maxMs: Number(took[took.length - 1].toFixed(1)), responseKB: Math.round(bytes / count / 1024) };
}

async function measure(base: string, reads: Reads, apiPid: number, connections: number, seconds = SECONDS): Promise<ReadFigures> {
  await fire(base, reads, connections, WARM_UP_SECONDS);
  const cpu0 = cpuSecondsOf(apiPid);
  const errors = new Map<string, number>();
  const t0 = process.hrtime.bigint();
  const result = await fire(base, reads, connections, seconds, errors);
  const wallS = ms(t0) / 1000;
  const cpu1 = cpuSecondsOf(apiPid);
  return figures(result, connections, wallS, cpu0 === null || cpu1 === null ? null : cpu1 - cpu0, errors);
}

// ---- the files uploaded -------------------------------------------------

const MEDIA_TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  txt: 'text/plain',
};

/** 50 different fixture files: every fixture, each format in turn, so that no two uploads share their bytes. */
function uploadFiles(): { name: string; bytes: Buffer; mediaType: string }[] {
  const stems = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.txt')).map((f) => f.slice(0, -4)).sort();
  const formats = ['pdf', 'docx', 'txt'];
  const files = Array.from({ length: UPLOADS }, (_, i) => {
    const format = formats[(i + Math.floor(i / stems.length)) % formats.length];
    const name = `${stems[i % stems.length]}.${format}`;
    return { name, bytes: fs.readFileSync(path.join(FIXTURES, name)), mediaType: MEDIA_TYPES[format] };
  });
  if (new Set(files.map((f) => f.name)).size !== UPLOADS) throw new Error(`fewer than ${UPLOADS} different fixture files`);
  return files;
}

async function upload(base: string, token: string, file: { name: string; bytes: Buffer; mediaType: string }, counterparty: string) {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.mediaType }), file.name);
  form.append('counterparty', counterparty);
  form.append('role', 'customer');
  const t0 = process.hrtime.bigint();
  const res = await fetch(`${base}/api/v1/contracts`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
  const body = (await res.json()) as { id?: string; duplicate?: boolean };
  return { status: res.status, id: body.id ?? null, duplicate: body.duplicate ?? null, ms: ms(t0), body };
}

// ---- the run ------------------------------------------------------------

async function declare(base: string, token: string, incident: Record<string, unknown>): Promise<{ id: string; deadlines: number }> {
  const res = await fetch(`${base}/api/v1/incidents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(incident),
  });
  const body = (await res.json()) as { id: string; deadlines: unknown[] };
  if (res.status !== 201) throw new Error(`declaring an incident answered ${res.status}: ${JSON.stringify(body)}`);
  return { id: body.id, deadlines: body.deadlines.length };
}

const INCIDENT_TIMES = {
  status: 'confirmed',
  severity: 'high',
  occurredAt: '2026-03-01T22:40:00Z',
  detectedAt: '2026-03-02T08:10:00Z',
  awareAt: '2026-03-02T09:00:00Z',
  confirmedAt: '2026-03-02T15:30:00Z',
  timeZone: 'Europe/Berlin',
};

async function loadBench(databaseUrl: string, redisServer: string, cleanups: CleanUps) {
  const loadAvgAtStart = loadAverage();
  console.log(`load bench: ${os.cpus().length} cores, load average at start ${loadAvgAtStart.join(' / ')} (the machine is shared: others' work counts in it)`);
  const { config, db, client } = await throwAwayBenchDatabase(databaseUrl, cleanups);

  const portfolio: Portfolio = await seedPortfolio(client, config);
  console.log(
    `portfolio: ${portfolio.contracts} contracts (${portfolio.customerContracts} customers', the rest vendors'), ${portfolio.clauses} clauses, ${portfolio.obligations} obligations, ` +
      `${portfolio.counterparties} counterparties, from ${portfolio.templates} fixture clause/obligation pairs; ${portfolio.size}; seeded in ${portfolio.seedS} s (${portfolio.bookS} s the rows, the rest the contracts' texts and clause offsets)`,
  );

  const legal = await createToken(db.store, config, { name: 'bench-legal', role: 'legal' }, 'bench');
  const responder = await createToken(db.store, config, { name: 'bench-responder', role: 'responder' }, 'bench');
  const analyst = await createToken(db.store, config, { name: 'bench-analyst', role: 'analyst' }, 'bench');

  const redis = await startRedis(redisServer, cleanups);
  const port = await freePort();
  const env = {
    DATABASE_URL: db.url ?? '',
    REDIS_URL: redis.url,
    PORT: String(port),
    PACTWATCH_DEPLOYMENT: 'bench',
    // every request and job is logged as in production, to a file
    PACTWATCH_LOG_LEVEL: 'info',
    PACTWATCH_WORKER_CONCURRENCY: WORKER_CONCURRENCY,
    // The bench stands for many users with three tokens: the per-token limit (600 a minute by
    // default) is set out of reach rather than off, so that its cost stays in every request.
    PACTWATCH_RATE_LIMIT: String(RATE_LIMIT),
  };
  const api = await startPactwatch('serve', env, cleanups);
  const base = `http://127.0.0.1:${port}`;
  const workers = await Promise.all(Array.from({ length: WORKERS }, () => startPactwatch('worker', env, cleanups)));
  console.log(`service: pactwatch serve (pid ${api.pid}) and ${workers.length} pactwatch worker processes (concurrency ${WORKER_CONCURRENCY} each, pids ${workers.map((w) => w.pid).join(', ')}), a private Redis`);

  // ---- what is read
  const rand = prng(6);
  const names = portfolio.names;
  const byName: string[] = [];
  const withWords: string[] = [];
  for (let i = 0; i < 1000; i++) {
    const counterparty = typedName(names[Math.floor(rand() * names.length)], rand());
    byName.push(`/api/v1/obligations?${new URLSearchParams({ counterparty })}`);
    withWords.push(`/api/v1/obligations?${new URLSearchParams({ counterparty, q: SEARCH_WORDS[Math.floor(rand() * SEARCH_WORDS.length)] })}`);
  }
  const vendorIncidents: { id: string; deadlines: number }[] = [];
  for (let i = 0; i < VENDOR_INCIDENTS; i++) {
    const vendor = names[(i * 23) % names.length];
    const customer = names[(i * 23 + 101) % names.length];
    vendorIncidents.push(
      await declare(base, responder, {
        ...INCIDENT_TIMES,
        title: `Credential theft at ${vendor}`,
        origin: 'vendor',
        dataCategories: ['personal_data', 'credentials'],
        jurisdictions: ['EU', 'UK', 'US-NY'],
        counterparties: [vendor, customer],
        ourDataRole: 'processor',
      }),
    );
  }
  const d0 = process.hrtime.bigint();
  const broad = await declare(base, responder, {
    ...INCIDENT_TIMES,
    title: 'Ransomware on the EU application cluster',
    origin: 'ours',
    severity: 'critical',
    determinedAt: '2026-03-03T11:00:00Z',
    dataCategories: ['personal_data', 'health_data', 'credentials'],
    jurisdictions: ['EU', 'US-NY'],
    sectors: ['financial_entity', 'public_company', 'essential_entity'],
    counterparties: 'all',
    ourDataRole: 'controller',
  });
  const broadDeclareMs = ms(d0);
  const vendorDeadlines = vendorIncidents.map((v) => v.deadlines).sort((a, b) => a - b);
  console.log(
    `incidents: ${VENDOR_INCIDENTS} vendor incidents (the vendor and one customer each: ${vendorDeadlines[0]} to ${vendorDeadlines[vendorDeadlines.length - 1]} deadlines, median ${percentile(vendorDeadlines, 50)}); ` +
      `one of ours reaching every customer: ${broad.deadlines} deadlines (declared in ${(broadDeclareMs / 1000).toFixed(1)} s)`,
  );

  // Every path answers, and finds something often enough to be a real search.
  const sample = async (paths: string[], token: string) => {
    let found = 0;
    for (const p of paths.slice(0, 50)) {
      const res = await fetch(`${base}${p}`, { headers: { authorization: `Bearer ${token}` } });
      const body = (await res.json()) as { total?: number; items: unknown[] };
      if (res.status !== 200) throw new Error(`${p} answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
      if (body.items.length > 0) found++;
    }
    return found / Math.min(50, paths.length);
  };
  const hitShare = { byName: await sample(byName, legal), withWords: await sample(withWords, legal) };
  console.log(`searches that find something: counterparty ${(hitShare.byName * 100).toFixed(0)}%, counterparty + words ${(hitShare.withWords * 100).toFixed(0)}%`);

  const readSets: Record<string, Reads> = {
    searchCounterparty: { label: 'GET /obligations?counterparty=', paths: byName, token: legal },
    searchCounterpartyWords: { label: 'GET /obligations?counterparty=&q=', paths: withWords, token: legal },
    deadlinesVendorIncident: { label: `GET /incidents/:id/deadlines (${VENDOR_INCIDENTS} vendor incidents)`, paths: vendorIncidents.map((v) => `/api/v1/incidents/${v.id}/deadlines`), token: responder },
    deadlinesBroadIncident: { label: `GET /incidents/:id/deadlines (${broad.deadlines} deadlines)`, paths: [`/api/v1/incidents/${broad.id}/deadlines`], token: responder },
  };
  // The broad incident's answer is tens of megabytes: fewer at once, or the figure is only the queue in front of it.
  const connectionsFor = (key: string) => (key === 'deadlinesBroadIncident' ? BROAD_CONNECTIONS : CONNECTIONS);

  // ---- 1. sustained reads, one endpoint at a time
  console.log(
    `1. reads: each endpoint ${ALONE} requests one at a time, then autocannon with ${CONNECTIONS} connections (${BROAD_CONNECTIONS} for the broad incident) for ${SECONDS} s after ${WARM_UP_SECONDS} s of warm-up:`,
  );
  const reads: Record<string, ReadFigures & { alone: Alone }> = {};
  const settledMs: number[] = [];
  for (const [key, set] of Object.entries(readSets)) {
    settledMs.push(await settle(api.pid, client));
    const one = await alone(base, set, key === 'deadlinesBroadIncident' ? 5 : ALONE);
    reads[key] = { ...(await measure(base, set, api.pid, connectionsFor(key))), alone: one };
    console.log(`  ${set.label}: alone p50 ${one.p50Ms} ms, max ${one.maxMs} ms, ${one.responseKB} KB per answer`);
    show(set.label, reads[key]);
  }

  // ---- 2. 50 uploads at once while reads go on
  const mix: [string, number][] = [
    ['searchCounterparty', 4],
    ['searchCounterpartyWords', 3],
    ['deadlinesVendorIncident', 3],
  ];
  console.log(`2. the mixed reads (${mix.map(([k, c]) => `${k} ${c}`).join(', ')} connections) for ${SECONDS} s without uploads, then during ${UPLOADS} uploads at once:`);
  const quietErrors = mix.map(() => new Map<string, number>());
  const busyErrors = mix.map(() => new Map<string, number>());
  const runMix = (seconds: number, errors?: Map<string, number>[]) => mix.map(([key, c], i) => fire(base, readSets[key], c, seconds, errors?.[i]));
  settledMs.push(await settle(api.pid, client));
  await Promise.all(runMix(WARM_UP_SECONDS));
  const q0 = process.hrtime.bigint();
  const quietCpu0 = cpuSecondsOf(api.pid);
  const quietResults = await Promise.all(runMix(SECONDS, quietErrors));
  const quietS = ms(q0) / 1000;
  const quietCpu1 = cpuSecondsOf(api.pid);
  const quietApiCores = quietCpu0 === null || quietCpu1 === null ? null : Number(((quietCpu1 - quietCpu0) / quietS).toFixed(2));
  const quiet = Object.fromEntries(mix.map(([key, c], i) => [key, figures(quietResults[i], c, quietS, null, quietErrors[i])]));
  for (const [key] of mix) show(`quiet ${key}`, quiet[key]);
  console.log(`  API process during the quiet mix: ${quietApiCores ?? '?'} cores`);

  const files = uploadFiles();
  settledMs.push(await settle(api.pid, client));
  const loadAvgBeforeUploads = loadAverage();
  const during = runMix(3600, busyErrors);
  const b0 = process.hrtime.bigint();
  const busyCpu0 = cpuSecondsOf(api.pid);
  const workerCpu0 = workers.map((w) => cpuSecondsOf(w.pid));
  let stopped = false;
  const stopReads = () => {
    if (!stopped) for (const d of during) d.stop();
    stopped = true;
  };
  cleanups.add(async () => stopReads());
  await sleep(1000); // the reads are under way before the first upload
  const u0 = process.hrtime.bigint();
  const answers = await Promise.all(files.map((f, i) => upload(base, analyst, f, names[(i * 10) % names.length])));
  const acceptedMs = ms(u0);
  const ids = answers.map((a) => a.id).filter((id): id is string => id !== null);
  const refused = answers.filter((a) => a.status !== 202 || a.duplicate !== false);
  for (const a of refused.slice(0, 5)) console.log(`  upload answered ${a.status}: ${JSON.stringify(a.body).slice(0, 300)}`);

  let statusCounts: Record<string, number> = {};
  const until = Date.now() + UPLOAD_DEADLINE_MS;
  while (Date.now() < until) {
    const rows = (await client.query(`SELECT status, count(*)::int AS n FROM contract WHERE id = ANY($1::uuid[]) GROUP BY status`, [ids])).rows as { status: string; n: number }[];
    statusCounts = Object.fromEntries(rows.map((r) => [r.status, r.n]));
    if ((statusCounts.done ?? 0) + (statusCounts.failed ?? 0) >= ids.length) break;
    await sleep(200);
  }
  const processedMs = ms(u0);
  await sleep(1000); // and go on a moment after the last one
  stopReads();
  const busyResults = await Promise.all(during);
  const busyS = ms(b0) / 1000;
  const busyCpu1 = cpuSecondsOf(api.pid);
  const busyApiCores = busyCpu0 === null || busyCpu1 === null ? null : Number(((busyCpu1 - busyCpu0) / busyS).toFixed(2));
  const workerCpu = workers.map((w, i) => {
    const now = cpuSecondsOf(w.pid);
    const before = workerCpu0[i];
    return now === null || before === null ? null : Number((now - before).toFixed(1));
  });
  const busy = Object.fromEntries(mix.map(([key, c], i) => [key, figures(busyResults[i], c, busyS, null, busyErrors[i])]));

  const stored = (
    await client.query(
      `SELECT c.id, c.status, c.error_code, c.media_type,
              (SELECT count(*)::int FROM clause WHERE contract_id = c.id) AS clauses,
              (SELECT count(*)::int FROM obligation WHERE contract_id = c.id) AS obligations
         FROM contract c WHERE c.id = ANY($1::uuid[])`,
      [ids],
    )
  ).rows as { id: string; status: string; error_code: string | null; media_type: string; clauses: number; obligations: number }[];
  const [{ n: totalContracts }] = (await client.query(`SELECT count(*)::int AS n FROM contract`)).rows as { n: number }[];
  const uploadMs = answers.map((a) => a.ms).sort((a, b) => a - b);
  const uploads = {
    uploads: UPLOADS,
    formats: Object.fromEntries(['pdf', 'docx', 'txt'].map((f) => [f, files.filter((x) => x.name.endsWith(`.${f}`)).length])),
    answered202: answers.filter((a) => a.status === 202).length,
    duplicates: answers.filter((a) => a.duplicate === true).length,
    allAcceptedMs: Math.round(acceptedMs),
    uploadP50Ms: Math.round(percentile(uploadMs, 50)),
    uploadMaxMs: Math.round(uploadMs[uploadMs.length - 1]),
    firstUploadToAllDoneMs: Math.round(processedMs),
    done: stored.filter((s) => s.status === 'done').length,
    failed: stored.filter((s) => s.status === 'failed').map((s) => `${s.id}: ${s.error_code}`),
    withClauses: stored.filter((s) => s.clauses > 0).length,
    withObligations: stored.filter((s) => s.obligations > 0).length,
    clauses: stored.reduce((a, s) => a + s.clauses, 0),
    obligations: stored.reduce((a, s) => a + s.obligations, 0),
    contractsAfter: totalContracts,
    workers: WORKERS,
    workerConcurrency: Number(WORKER_CONCURRENCY),
    workerCpuS: workerCpu,
    jobs: 'BullMQ on a private Redis, 2 `pactwatch worker` processes',
    loadAvgBefore: loadAvgBeforeUploads,
    loadAvgAfter: loadAverage(),
  };
  console.log(
    `  ${UPLOADS} uploads at once (${Object.entries(uploads.formats).map(([f, n]) => `${n} ${f}`).join(', ')}): ${uploads.answered202} answered 202 (${uploads.duplicates} duplicates), ` +
      `all accepted in ${(acceptedMs / 1000).toFixed(1)} s (each p50 ${uploads.uploadP50Ms} ms, max ${uploads.uploadMaxMs} ms); first upload to all processed ${(processedMs / 1000).toFixed(1)} s; ` +
      `${uploads.done} done, ${uploads.failed.length} failed, ${uploads.withClauses} with clauses (${uploads.clauses}), ${uploads.withObligations} with obligations (${uploads.obligations}); ` +
      `${totalContracts} contracts in all; worker CPU ${workerCpu.map((c) => `${c ?? '?'} s`).join(' + ')}`,
  );
  for (const [key] of mix) show(`during uploads ${key}`, busy[key]);
  console.log(`  API process during the uploads: ${busyApiCores ?? '?'} cores`);

  const lost: string[] = [];
  if (uploads.answered202 !== UPLOADS) lost.push(`${UPLOADS - uploads.answered202} uploads not answered 202`);
  if (uploads.duplicates > 0) lost.push(`${uploads.duplicates} uploads taken for duplicates`);
  if (stored.length !== UPLOADS) lost.push(`${UPLOADS - stored.length} contracts not stored`);
  if (uploads.done !== UPLOADS) lost.push(`${UPLOADS - uploads.done} contracts not done (${JSON.stringify(statusCounts)}; ${uploads.failed.join(', ')})`);
  if (uploads.withClauses !== UPLOADS) lost.push(`${UPLOADS - uploads.withClauses} contracts without clauses`);
  if (totalContracts !== portfolio.contracts + UPLOADS) lost.push(`${totalContracts} contracts in all, not ${portfolio.contracts + UPLOADS}`);
  const readFailures = [...Object.values(reads), ...Object.values(quiet), ...Object.values(busy)].reduce((a, f) => a + f.non2xx + f.errors, 0);
  if (readFailures > 0) lost.push(`${readFailures} reads failed (non-2xx or errors)`);

  const { names: _names, ...seeded } = portfolio;
  return {
    results: {
      date: new Date().toISOString(),
      node: process.version,
      cores: os.cpus().length,
      loadAvgAtStart,
      note: 'shared 2-core machine: other work ran beside the bench; the load averages (1/5/15 min) are recorded before and after each step',
      portfolio: seeded,
      incidents: { vendorIncidents: VENDOR_INCIDENTS, vendorDeadlinesMedian: percentile(vendorDeadlines, 50), broadDeadlines: broad.deadlines, broadDeclareMs: Math.round(broadDeclareMs) },
      hitShare,
      // how long the API and the database took to finish the previous step's requests
      settledMs: settledMs.map(Math.round),
      reads,
      uploadsWhileReading: { ...uploads, readsQuiet: quiet, readsDuringUploads: busy, apiCoresQuiet: quietApiCores, apiCoresDuringUploads: busyApiCores },
      problems: lost,
    },
    lost,
  };
}

async function main(): Promise<void> {
  const { DATABASE_URL } = process.env;
  const redisServer = redisServerBinary();
  if (!DATABASE_URL || !redisServer) {
    console.log(
      `load bench skipped: it needs PostgreSQL (DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/postgres)${redisServer ? '' : ' and redis-server on PATH (it starts a Redis of its own)'}`,
    );
    return;
  }
  await runBench('load', async (cleanups) => {
    const { results, lost } = await loadBench(DATABASE_URL, redisServer, cleanups);
    saveResults('load', () => results);
    if (lost.length > 0) throw new Error(`uploads while reading: ${lost.join('; ')}`);
    console.log(`uploads while reading: nothing failed, nothing lost`);
  });
}

void main();
