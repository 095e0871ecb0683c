/**
 * What the database benchmarks share: a realistic contract book loaded with
 * bulk SQL (no extraction per contract: the clauses and obligations of the
 * fixture contracts, derived for both of our roles, are spread over thousands
 * of generated contracts), and the small timing helpers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { type Config, loadConfig } from '../src/config';
import { normalizeCounterpartyName, openThrowAwayStore, type ThrowAwayStore } from '../src/db';
import { extractClauses } from '../src/extract';
import { ingest } from '../src/ingest';
import { deriveObligations } from '../src/obligations';
import { loadRuleset } from '../src/rules/load-rules';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'contracts');

export const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Deterministic, so two runs ask the same questions. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One statement with parameters. Over PostgreSQL the loader is given one
 * connection (its temporary tables live in that session); the embedded
 * database has a single session anyway.
 */
export type Sql = (sql: string, params?: unknown[]) => Promise<unknown>;

const NAME_FIRST = [
  'Northwind', 'Contoso', 'Lumen', 'Fabrikam', 'Kestrel', 'Meridian', 'Stratus', 'Cobalt', 'Sentinel', 'Halyard',
  'Tidewater', 'Pinegrove', 'Ledgerline', 'Orbital', 'Brightdesk', 'Meadowbank', 'Vastra', 'Kirin', 'Southern Cross', 'Granite',
  'Aurora', 'Juniper', 'Harbor', 'Summit', 'Bluefin',
];
const NAME_SECOND = [
  'Security', 'Cloud', 'Analytics', 'Data', 'Systems', 'Networks', 'Health', 'Payments', 'Logistics', 'Software',
  'Labs', 'Digital', 'Hosting', 'Consulting', 'Retail', 'Media', 'Robotics', 'Energy', 'Insurance', 'Telecom',
];
const LEGAL_FORMS = ['Inc.', 'Ltd', 'GmbH', 'LLC', 'S.A.', 'Pty Ltd', 'plc', ''];

/** Up to 500 distinct company names. */
export function counterpartyNames(count: number): string[] {
  const names: string[] = [];
  for (const first of NAME_FIRST) for (const second of NAME_SECOND) names.push(`${first} ${second} ${LEGAL_FORMS[names.length % LEGAL_FORMS.length]}`.trim());
  if (count > names.length) throw new Error(`at most ${names.length} counterparty names`);
  return names.slice(0, count);
}

interface Template {
  role: 'customer' | 'provider';
  ridx: number;
  clause: { type: string; ruleId: string; start: number; end: number; page: number; text: string; fields: unknown; confidence: number };
  obligation: { type: string; obligor: string; beneficiary: string; action: string; trigger: string; deadline: unknown; summary: string; details: unknown };
}

/** Clauses and the obligations derived from them, from every fixture contract, for both of our roles. */
async function templates(config: Config): Promise<Template[]> {
  const ruleset = loadRuleset(config.rulesDir);
  const out: Template[] = [];
  const next = { customer: 0, provider: 0 };
  for (const f of fs.readdirSync(FIXTURES).filter((n) => n.endsWith('.txt')).sort()) {
    const clauses = extractClauses(await ingest(fs.readFileSync(path.join(FIXTURES, f)), config), ruleset);
    for (const role of ['customer', 'provider'] as const) {
      for (const d of deriveObligations({ ourRole: role, clauses })) {
        const c = clauses[d.clauseIndex];
        out.push({
          role,
          ridx: next[role]++,
          clause: { type: c.type, ruleId: c.ruleId, start: c.start, end: c.end, page: c.page, text: c.text, fields: c.fields, confidence: c.confidence },
          obligation: { type: d.type, obligor: d.obligor, beneficiary: d.beneficiary, action: d.action, trigger: d.trigger, deadline: d.deadline, summary: d.summary, details: d.details },
        });
      }
    }
  }
  return out;
}

/** Multi-row INSERT with parameters, in chunks that stay under PostgreSQL's 65,535 parameters. */
async function insertRows(sql: Sql, head: string, rows: unknown[][], casts: string[]): Promise<void> {
  const per = Math.floor(60_000 / casts.length);
  for (let at = 0; at < rows.length; at += per) {
    const chunk = rows.slice(at, at + per);
    const values = chunk.map((_, r) => `(${casts.map((cast, c) => `$${r * casts.length + c + 1}${cast}`).join(', ')})`).join(', ');
    await sql(`${head} VALUES ${values}`, chunk.flat());
  }
}

export interface ContractBook {
  contracts: number;
  obligationsPerContract: number;
  counterparties: number;
  /** every n-th contract is one where we are the provider (a customer's contract); the others are vendors' */
  providerEvery: number;
}

/**
 * Loads `contracts` done contracts, round-robin over `counterparties`
 * counterparties, each with `obligationsPerContract` (clause, obligation)
 * pairs spread over all the fixture templates of its role, into an empty,
 * migrated database; then analyses it, as autovacuum would have by the time
 * anyone queries.
 */
export async function loadContractBook(
  sql: Sql,
  config: Config,
  book: ContractBook,
  opts: { giveUpAfterMs?: number } = {},
): Promise<{ names: string[]; templates: number; gaveUpAfterMs?: number; contractsLoaded?: number }> {
  const t0 = process.hrtime.bigint();
  const tmpl = await templates(config);
  const count = { customer: tmpl.filter((t) => t.role === 'customer').length, provider: tmpl.filter((t) => t.role === 'provider').length };
  await sql(`CREATE TEMP TABLE tmpl (
    role text, ridx int, c_type text, rule_id text, c_start int, c_end int, page int, text text, fields jsonb, confidence float8,
    o_type text, obligor text, beneficiary text, action text, trigger text, deadline jsonb, summary text, details jsonb,
    PRIMARY KEY (role, ridx))`);
  await insertRows(
    sql,
    'INSERT INTO tmpl',
    tmpl.map((t) => [
      t.role, t.ridx, t.clause.type, t.clause.ruleId, t.clause.start, t.clause.end, t.clause.page, t.clause.text, JSON.stringify(t.clause.fields), t.clause.confidence,
      t.obligation.type, t.obligation.obligor, t.obligation.beneficiary, t.obligation.action, t.obligation.trigger,
      JSON.stringify(t.obligation.deadline), t.obligation.summary, JSON.stringify(t.obligation.details),
    ]),
    ['', '::int', '', '', '::int', '::int', '::int', '', '::jsonb', '::float8', '', '', '', '', '', '::jsonb', '', '::jsonb'],
  );

  const names = counterpartyNames(book.counterparties);
  await insertRows(sql, 'INSERT INTO counterparty (name, normalized_name)', names.map((n) => [n, normalizeCounterpartyName(n)]), ['', '']);
  await sql(`CREATE TEMP TABLE cps AS SELECT id, (row_number() OVER (ORDER BY normalized_name) - 1)::int AS n FROM counterparty`);

  await sql(
    `INSERT INTO contract (counterparty_id, our_role, title, kind, file_name, media_type, size, sha256, bytes, status, page_count, created_at, updated_at)
     SELECT cp.id, CASE WHEN g % $3::int = 0 THEN 'provider' ELSE 'customer' END, 'Agreement ' || g,
            (ARRAY['MSA', 'DPA', 'SLA', 'security addendum', 'BAA', 'SOW'])[1 + g % 6], 'contract-' || g || '.pdf', 'application/pdf',
            15000, encode(sha256(('bench-' || g)::bytea), 'hex'), '\\x255044462d312e370a'::bytea, 'done', 4,
            now() - g * interval '1 minute', now()
     FROM generate_series(0, $1::int - 1) g JOIN cps cp ON cp.n = g % $2::int`,
    [book.contracts, book.counterparties, book.providerEvery],
  );
  await sql(`CREATE TEMP TABLE cts AS SELECT id, counterparty_id, our_role, (row_number() OVER (ORDER BY created_at DESC, id) - 1)::int AS rn FROM contract`);

  const batch = 1000;
  for (let from = 0; from < book.contracts; from += batch) {
    await sql(
      `WITH src AS MATERIALIZED (
         SELECT gen_random_uuid() AS clause_id, ct.id AS contract_id, ct.counterparty_id, k, t.*
         FROM cts ct CROSS JOIN generate_series(0, $3::int - 1) k
         JOIN tmpl t ON t.role = ct.our_role
                    AND t.ridx = ((ct.rn * $3::int + k)::bigint * 7919) % (CASE ct.our_role WHEN 'customer' THEN $4::int ELSE $5::int END)
         WHERE ct.rn >= $1::int AND ct.rn < $2::int
       ), clauses AS (
         INSERT INTO clause (id, contract_id, type, rule_id, start, "end", page, text, fields, confidence)
         SELECT clause_id, contract_id, c_type, rule_id, c_start, c_end, page, text, fields, confidence FROM src
       )
       INSERT INTO obligation (contract_id, clause_id, counterparty_id, clause_index, type, obligor, beneficiary, action, trigger, deadline, summary, details)
       SELECT contract_id, clause_id, counterparty_id, k, o_type, obligor, beneficiary, action, trigger, deadline, summary, details FROM src`,
      [from, from + batch, book.obligationsPerContract, count.customer, count.provider],
    );
    if (opts.giveUpAfterMs !== undefined && ms(t0) > opts.giveUpAfterMs && from + batch < book.contracts) {
      return { names, templates: tmpl.length, gaveUpAfterMs: ms(t0), contractsLoaded: from + batch };
    }
  }
  await sql('DROP TABLE tmpl, cps, cts');
  await sql('VACUUM ANALYZE');
  return { names, templates: tmpl.length };
}

/** Words an analyst searches obligations for. */
export const SEARCH_WORDS = [
  'security incident', 'personal data breach', 'notify', 'without undue delay', 'delete', 'return data', 'sub-processor',
  'insurance', 'audit', 'logs', 'termination', 'root cause', 'encryption', 'region', 'indemnify', 'availability',
  'service credits', 'certify deletion', '72 hours', 'confidential information', 'business days', 'written notice',
];

/** How a user types a counterparty: the stored name, or without its legal form, or in other case. */
export function typedName(name: string, r: number): string {
  const bare = name.replace(/\s+(Inc\.|Ltd|GmbH|LLC|S\.A\.|Pty Ltd|plc)$/, '');
  if (r < 0.4) return name;
  if (r < 0.7) return bare;
  if (r < 0.85) return bare.toLowerCase();
  return bare.toUpperCase();
}

/**
 * A throw-away database on the PostgreSQL server at `databaseUrl`, migrated, with a
 * pg client for bulk SQL; both are closed (and the database dropped) by `cleanups`.
 */
export async function throwAwayBenchDatabase(
  databaseUrl: string,
  cleanups: CleanUps,
  env: Record<string, string> = {},
): Promise<{ config: Config; db: ThrowAwayStore; client: Client }> {
  const config = loadConfig({ DATABASE_URL: databaseUrl, PACTWATCH_DEPLOYMENT: 'bench', PACTWATCH_LOG_LEVEL: 'silent', ...env });
  const db = await openThrowAwayStore(config);
  cleanups.add(() => db.close());
  const client = new Client({ connectionString: db.url ?? '' });
  await client.connect();
  cleanups.add(() => client.end());
  return { config, db, client };
}

const RESULTS_FILE = path.join(__dirname, 'results.json');

/** Merges one benchmark's figures into bench/results.json under `key`, given what was there before. */
export function saveResults(key: string, figures: (prior: Record<string, unknown> | undefined) => unknown): void {
  const prior = fs.existsSync(RESULTS_FILE) ? (JSON.parse(fs.readFileSync(RESULTS_FILE, 'utf8')) as Record<string, Record<string, unknown>>) : {};
  fs.writeFileSync(RESULTS_FILE, `${JSON.stringify({ ...prior, [key]: figures(prior[key]) }, null, 2)}\n`);
}

/** What a benchmark must undo (databases, Redis keys, processes), last added first. */
export class CleanUps {
  private readonly steps: (() => Promise<void>)[] = [];
  private running: Promise<void> | null = null;

  add(step: () => Promise<void>): void {
    this.steps.push(step);
  }

  /** Runs every step added so far (once, even when called again meanwhile) and empties the list. */
  run(): Promise<void> {
    this.running ??= (async () => {
      for (const step of this.steps.splice(0).reverse()) {
        await step().catch((err: unknown) => console.error(`clean-up step failed: ${(err as Error).message}`));
      }
      this.running = null;
    })();
    return this.running;
  }
}

/**
 * Runs a benchmark's body and exits: clean-up runs on success, on failure and
 * on Ctrl-C or SIGTERM, so no throw-away database, key or process is left behind.
 */
export async function runBench(name: string, body: (cleanups: CleanUps) => Promise<void>): Promise<never> {
  const cleanups = new CleanUps();
  const interrupted = (signal: NodeJS.Signals) => {
    console.error(`${signal}: cleaning up`);
    void cleanups.run().then(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  let failed = false;
  try {
    await body(cleanups);
  } catch (err) {
    failed = true;
    console.error(`${name} bench failed: ${(err as Error).stack ?? String(err)}`);
  } finally {
    await cleanups.run();
  }
  process.exit(failed ? 1 : 0);
}
