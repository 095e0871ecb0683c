import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config';
import { isAppError } from './errors';
import { RuleError, type Clause } from './extract';
import { extractFile, type FileResult } from './extract-file';
import { loadRuleset } from './rules/load-rules';

const USAGE = `usage:
  pactwatch extract <file...> [--out DIR] [--format json|table]
      Find the clauses in contracts (PDF, DOCX, TXT). Without --out the results
      go to standard output; with --out DIR each input gets DIR/<name>.json.
  pactwatch rules check
      Load and validate every rule file; print a summary.

environment:
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

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'extract':
      return extractCommand(rest);
    case 'rules':
      return rulesCommand(rest);
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
      if ((err as { code?: string })?.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') fail(`${(err as Error).message}\n${USAGE}`, 2);
      fail((err as Error)?.stack ?? String(err), 1);
    },
  );
}
