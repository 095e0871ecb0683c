// Run as a separate process by the hostile-file suites, so that the memory a
// file costs is measured on a process of its own: reads one file the way an
// extraction thread does (ingest, then the rules) and prints what happened,
// how long it took and how far the process's peak memory (maxRSS) rose.
import fs from 'node:fs';
import { loadConfig } from '../../src/config';
import { isAppError } from '../../src/errors';
import { extractClauses } from '../../src/extract';
import { ingest } from '../../src/ingest';
import { loadRuleset } from '../../src/rules/load-rules';
import { plainRawPdf } from '../helpers/bad-files';

async function main(): Promise<void> {
  const file = process.argv[2];
  // the service's defaults, with whatever the test sets
  const limits = loadConfig({ PACTWATCH_LOG_LEVEL: 'silent', ...JSON.parse(process.env.HOSTILE_ENV ?? '{}') });
  const ruleset = loadRuleset(limits.rulesDir);
  // load the PDF reader and the rules' patterns before measuring
  extractClauses(await ingest(plainRawPdf(), limits), ruleset);
  const bytes = fs.readFileSync(file);
  const baseKb = process.resourceUsage().maxRSS;
  const t0 = performance.now();
  let outcome: Record<string, unknown>;
  try {
    const doc = await ingest(bytes, limits);
    const clauses = extractClauses(doc, ruleset);
    outcome = { status: 'done', pages: doc.pages.length, textLength: doc.text.length, clauses: clauses.length };
  } catch (err) {
    outcome = isAppError(err) ? { status: 'failed', code: err.code, detail: err.detail } : { status: 'crashed', error: String(err) };
  }
  const ms = Math.round(performance.now() - t0);
  const rssGrowthMb = Math.round((process.resourceUsage().maxRSS - baseKb) / 1024);
  process.stdout.write(JSON.stringify({ ...outcome, ms, rssGrowthMb, baseRssMb: Math.round(baseKb / 1024) }));
}

void main();
