import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { ConfigError, loadConfig } from './config';
import { isAppError } from './errors';
import { PolicyError } from './policies';
import { RuleError, type Clause } from './extract';
import { extractFile, type FileResult } from './extract-file';
import { createToken, isTokenRole, TOKEN_ROLES } from './auth/tokens';
import { openStore } from './db';
import { deadlineView, DeclareIncidentBody, hypotheticalDeadlines, incidentServiceDeps, localTime } from './incidents/service';
import { type ComputedDeadline } from './obligations/incident-types';
import { loadRuleset } from './rules/load-rules';
import { serve, worker } from './server';

const USAGE = `usage:
  pactwatch serve
      Run the service: the HTTP API on PORT (default 3000) and, without
      REDIS_URL, the background jobs in the same process.
  pactwatch worker
      Process background jobs from Redis (needs REDIS_URL); run as many as you like.
  pactwatch migrate
      Apply pending database migrations (serve and worker also do this at start).
  pactwatch token create --role <admin|analyst|legal|responder> --name <who>
      Create an API token; it is printed once, only its hash is stored.
  pactwatch token revoke <id>
      Revoke a token.
  pactwatch extract <file...> [--out DIR] [--format json|table]
      Find the clauses in contracts (PDF, DOCX, TXT). Without --out the results
      go to standard output; with --out DIR each input gets DIR/<name>.json.
  pactwatch rules check
      Load and validate every rule file; print a summary.
  pactwatch incident deadlines --aware <ISO time> [--detected <ISO>] [--confirmed <ISO>]
                    [--determined <ISO>] [--occurred <ISO>] --counterparty <name> (repeatable)
                    [--origin vendor|ours] [--status suspected|confirmed|contained|closed]
                    [--data personal_data,...] [--jurisdiction EU,US-NY,...] [--sector health,...]
                    [--role controller|processor] [--tz Europe/Berlin] [--format table|json]
      Print the deadlines a hypothetical incident would start, soonest first,
      without storing it (a "what if" for tabletop exercises). Reads the
      contracts' obligations from the database; "--counterparty all" means
      every customer.

environment:
  PORT                           HTTP port (default 3000)
  DATABASE_URL                   PostgreSQL URL; unset: embedded database in PACTWATCH_DATA_DIR
  PACTWATCH_DATA_DIR             embedded database folder (default ./data)
  REDIS_URL                      Redis URL for the job queues; unset: jobs run in the serve process
  PACTWATCH_WORKER_CONCURRENCY   jobs a process runs at once (default 2)
  PACTWATCH_ADMIN_TOKEN          admin token to install on the first start (else one is generated)
  PACTWATCH_DEPLOYMENT           name of this deployment; tokens are only valid in the deployment that made them
  PACTWATCH_LOG_LEVEL            fatal|error|warn|info|debug|trace|silent (default info)
  PACTWATCH_MAX_FILE_BYTES       largest accepted file (default 52428800)
  PACTWATCH_MAX_UNPACKED_BYTES   largest unpacked XML of a DOCX (default 67108864)
  PACTWATCH_RULES_DIR            rules folder (default: the package's rules/)`;

class UsageError extends Error {}

function fail(message: string, code: number): never {
  process.stderr.write(`pactwatch: ${message}\n`);
  process.exit(code);
}

function summarise(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .filter(([, v]) => v !== null)
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' ');
}

function table(result: FileResult): string {
  const rows = result.clauses.map((c: Clause) => {
    const excerpt = c.text.replace(/\s+/g, ' ');
    return `  p.${String(c.page).padEnd(3)} ${c.type.padEnd(28)} ${summarise(c.fields)}\n        "${excerpt.length > 110 ? `${excerpt.slice(0, 107)}...` : excerpt}"`;
  });
  return `${result.file}: ${result.clauses.length} clause(s), ${result.pages.length} page(s)\n${rows.join('\n')}\n`;
}

function outputName(file: string, taken: Set<string>): string {
  const ext = path.extname(file);
  let name = `${path.basename(file, ext)}.json`;
  if (taken.has(name)) name = `${path.basename(file, ext)}-${ext.replace('.', '') || 'noext'}.json`;
  taken.add(name);
  return name;
}

async function extractCommand(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { out: { type: 'string' }, format: { type: 'string', default: 'json' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length === 0) throw new UsageError('extract needs at least one file');
  if (values.format !== 'json' && values.format !== 'table') throw new UsageError(`--format must be json or table, not "${values.format}"`);

  const config = loadConfig();
  const ruleset = loadRuleset(config.rulesDir);
  if (values.out) fs.mkdirSync(values.out, { recursive: true });

  const many = positionals.length > 1;
  const results: FileResult[] = [];
  const taken = new Set<string>();
  let failures = 0;
  for (const [i, file] of positionals.entries()) {
    const tag = `[${i + 1}/${positionals.length}] ${file}`;
    try {
      const result = await extractFile(file, config, ruleset);
      if (values.out) {
        const target = path.join(values.out, outputName(file, taken));
        fs.writeFileSync(target, `${JSON.stringify({ file: result.file, pages: result.pages, clauses: result.clauses }, null, 2)}\n`);
      } else if (values.format === 'table') {
        process.stdout.write(table(result));
      } else {
        results.push(result);
      }
      if (many || values.out) process.stderr.write(`${tag}: ${result.clauses.length} clause(s)\n`);
    } catch (err) {
      failures++;
      if (isAppError(err)) process.stderr.write(`${tag}: failed ${err.code}: ${err.detail}\n`);
      else if ((err as NodeJS.ErrnoException)?.code === 'ENOENT') process.stderr.write(`${tag}: failed NOT_FOUND: no such file\n`);
      else process.stderr.write(`${tag}: failed INTERNAL_ERROR: ${(err as Error)?.stack ?? String(err)}\n`);
    }
  }
  if (!values.out && values.format === 'json') {
    const payload = many ? results : results[0];
    if (payload !== undefined) process.stdout.write(`${JSON.stringify(payload, null, 2)}\n`);
  }
  if (many) process.stderr.write(`${positionals.length - failures} of ${positionals.length} file(s) processed, ${failures} failed\n`);
  return failures > 0 ? 1 : 0;
}

function rulesCommand(args: string[]): number {
  if (args[0] !== 'check') throw new UsageError('usage: pactwatch rules check');
  const config = loadConfig();
  const ruleset = loadRuleset(config.rulesDir);
  for (const [type, rules] of ruleset.byType) process.stdout.write(`${type}: ${rules.length} rule(s)\n`);
  process.stdout.write(`${ruleset.rules.length} rules valid\n`);
  return 0;
}

const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

function deadlineTable(deadlines: ComputedDeadline[], timeZone: string): string {
  if (deadlines.length === 0) return 'No deadlines.\n';
  const rows = deadlines.map((d) => {
    const due = d.dueAt
      ? `${localTime(d.dueAt, timeZone)} (${d.dueAt.toISOString().replace('.000Z', 'Z')})`
      : `${d.qualifier ?? 'no time given'}${d.policyTargetAt ? `; policy target ${localTime(d.policyTargetAt, timeZone)}` : ''}`;
    const source = d.source.kind === 'clause' ? `${d.source.counterpartyName}, p.${d.source.page}` : d.source.citation;
    return `  ${due}\n      ${d.title}\n      ${d.notifier} -> ${d.recipient}; from ${d.clock.name} ${localTime(d.clock.at, timeZone)}; source: ${source}`;
  });
  return `${deadlines.length} deadline(s), times in ${timeZone}:\n${rows.join('\n')}\n`;
}

async function incidentCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'deadlines') throw new UsageError('usage: pactwatch incident deadlines --aware <ISO time> --counterparty <name> ...');
  const { values } = parseArgs({
    args: rest,
    options: {
      aware: { type: 'string' },
      detected: { type: 'string' },
      confirmed: { type: 'string' },
      determined: { type: 'string' },
      occurred: { type: 'string' },
      counterparty: { type: 'string', multiple: true },
      origin: { type: 'string', default: 'vendor' },
      status: { type: 'string' },
      data: { type: 'string' },
      jurisdiction: { type: 'string' },
      sector: { type: 'string' },
      role: { type: 'string' },
      tz: { type: 'string', default: 'UTC' },
      format: { type: 'string', default: 'table' },
    },
  });
  if (!values.aware) throw new UsageError('--aware is required (when we became aware, ISO 8601 with an offset, e.g. 2026-03-02T09:00:00Z)');
  if (values.format !== 'json' && values.format !== 'table') throw new UsageError(`--format must be json or table, not "${values.format}"`);
  const counterparties = values.counterparty ?? [];
  const parsed = DeclareIncidentBody.safeParse({
    title: 'Hypothetical incident',
    origin: values.origin,
    status: values.status,
    awareAt: values.aware,
    detectedAt: values.detected,
    confirmedAt: values.confirmed,
    determinedAt: values.determined,
    occurredAt: values.occurred,
    counterparties: counterparties.length === 1 && counterparties[0] === 'all' ? 'all' : counterparties,
    dataCategories: list(values.data),
    jurisdictions: list(values.jurisdiction),
    sectors: list(values.sector),
    ourDataRole: values.role,
    timeZone: values.tz,
  });
  if (!parsed.success) {
    const option: Record<string, string> = { awareAt: 'aware', detectedAt: 'detected', confirmedAt: 'confirmed', determinedAt: 'determined', occurredAt: 'occurred', counterparties: 'counterparty', dataCategories: 'data', jurisdictions: 'jurisdiction', sectors: 'sector', ourDataRole: 'role', timeZone: 'tz' };
    throw new UsageError(parsed.error.issues.map((i) => `--${option[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`).join('; '));
  }
  const config = loadConfig();
  const logger = pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel }, pino.destination(2));
  const store = await openStore(config);
  try {
    const deps = incidentServiceDeps(config, { store, logger });
    const { deadlines, counterpartyNames } = await hypotheticalDeadlines(deps, parsed.data);
    if (values.format === 'json') {
      process.stdout.write(`${JSON.stringify({ counterparties: counterpartyNames, timeZone: parsed.data.timeZone, deadlines: deadlines.map((d) => deadlineView(d, parsed.data.timeZone)) }, null, 2)}\n`);
    } else {
      process.stdout.write(deadlineTable(deadlines, parsed.data.timeZone));
    }
  } finally {
    await store.close();
  }
  return 0;
}

async function migrateCommand(): Promise<number> {
  const config = loadConfig();
  const store = await openStore(config);
  await store.close();
  process.stdout.write(`database is up to date (${config.databaseUrl ? 'PostgreSQL' : `embedded, ${config.dataDir}`})\n`);
  return 0;
}

async function tokenCommand(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const config = loadConfig();
  if (sub === 'create') {
    const { values } = parseArgs({ args: rest, options: { role: { type: 'string' }, name: { type: 'string' } } });
    if (!values.role || !isTokenRole(values.role)) throw new UsageError(`--role must be one of ${TOKEN_ROLES.join(', ')}`);
    if (!values.name?.trim()) throw new UsageError('--name is required (who or what the token is for)');
    const store = await openStore(config);
    try {
      const token = await createToken(store, config, { name: values.name.trim(), role: values.role }, 'cli');
      process.stdout.write(`${token}\n`);
    } finally {
      await store.close();
    }
    return 0;
  }
  if (sub === 'revoke') {
    if (!rest[0]) throw new UsageError('usage: pactwatch token revoke <id>');
    const store = await openStore(config);
    try {
      const ok = await store.revokeToken(rest[0], 'cli');
      process.stderr.write(ok ? 'revoked\n' : 'no such active token\n');
      return ok ? 0 : 1;
    } finally {
      await store.close();
    }
  }
  throw new UsageError('usage: pactwatch token create --role <role> --name <who> | pactwatch token revoke <id>');
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'serve':
      return serve(loadConfig());
    case 'worker':
      return worker(loadConfig());
    case 'migrate':
      return migrateCommand();
    case 'token':
      return tokenCommand(rest);
    case 'extract':
      return extractCommand(rest);
    case 'rules':
      return rulesCommand(rest);
    case 'incident':
      return incidentCommand(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(`${USAGE}\n`);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

if (require.main === module || process.argv[1]?.endsWith('pactwatch.js')) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      if (err instanceof UsageError) fail(`${err.message}\n${USAGE}`, 2);
      if (err instanceof ConfigError || err instanceof RuleError) fail(err.message, 2);
      if (err instanceof PolicyError) fail(`policy file ${err.message}`, 2);
      if (isAppError(err)) fail(`${err.code}: ${err.detail}`, 1);
      if ((err as { code?: string })?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') fail(`${(err as Error).message}\n${USAGE}`, 2);
      fail((err as Error)?.stack ?? String(err), 1);
    },
  );
}
