/**
 * Scores the extractor against a set of fixture contracts and their
 * hand-made expected clauses: per clause type, how many expected clauses were
 * found, how many exactly right (page and every field), how many were missed,
 * and how many clauses were found that no expected entry accounts for.
 *
 * Usage: npm run evaluate -- [contracts|holdout] [txt|pdf|docx] [--details]
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config';
import { extractClauses } from '../src/extract';
import { ingest } from '../src/ingest';
import { loadRuleset } from '../src/rules/load-rules';
import { compareClauses, loadExpected, scoreByType, type Comparison } from '../test/helpers/expected-clauses';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const set = (args.find((a) => a === 'contracts' || a === 'holdout') ?? 'contracts') as 'contracts' | 'holdout';
  const format = args.find((a) => ['txt', 'pdf', 'docx'].includes(a)) ?? 'txt';
  const details = args.includes('--details');
  const config = loadConfig();
  const ruleset = loadRuleset(config.rulesDir);
  const comparisons: Comparison[] = [];
  for (const exp of loadExpected(set)) {
    const file = path.join(exp.dir, `${exp.name}.${format}`);
    const doc = await ingest(fs.readFileSync(file), config);
    const cmp = compareClauses(exp, extractClauses(doc, ruleset), { checkPages: true });
    comparisons.push(cmp);
    if (details) {
      console.log(`\n== ${exp.name}.${format}`);
      for (const m of cmp.missed) console.log(`  MISSED     ${m.type} p.${m.page} "${m.quote}"`);
      for (const f of cmp.found) {
        if (!f.pageOk) console.log(`  WRONG PAGE ${f.expected.type} "${f.expected.quote}": expected p.${f.expected.page}, got p.${f.clause.page}`);
        for (const mm of f.mismatches) console.log(`  FIELD      ${f.expected.type} "${f.expected.quote}": ${mm.field} expected ${JSON.stringify(mm.expected)} got ${JSON.stringify(mm.actual)}`);
      }
      for (const h of cmp.falseHits) console.log(`  FALSE HIT  ${h.type} (${h.ruleId}) "${h.text.replace(/\s+/g, ' ').slice(0, 120)}"`);
      for (const n of cmp.nearMissHits) console.log(`  NEAR MISS  ${n.nearMiss.type} "${n.nearMiss.quote}"`);
    }
  }
  const scores = scoreByType(comparisons);
  const pct = (a: number, b: number) => (b === 0 ? '   -' : `${Math.round((100 * a) / b)}%`.padStart(4));
  console.log(`\n${set} (${format}), ${comparisons.length} contracts`);
  console.log('type                          expected found exact missed false  recall precision fields');
  let tot = { expected: 0, found: 0, exact: 0, falseHits: 0, fieldsChecked: 0, fieldsRight: 0 };
  for (const [type, s] of [...scores].sort()) {
    tot = { expected: tot.expected + s.expected, found: tot.found + s.found, exact: tot.exact + s.exact, falseHits: tot.falseHits + s.falseHits, fieldsChecked: tot.fieldsChecked + s.fieldsChecked, fieldsRight: tot.fieldsRight + s.fieldsRight };
    console.log(`${type.padEnd(30)}${String(s.expected).padStart(8)}${String(s.found).padStart(6)}${String(s.exact).padStart(6)}${String(s.expected - s.found).padStart(7)}${String(s.falseHits).padStart(6)}   ${pct(s.found, s.expected)}    ${pct(s.found, s.found + s.falseHits)}    ${pct(s.fieldsRight, s.fieldsChecked)}`);
  }
  console.log(`${'all'.padEnd(30)}${String(tot.expected).padStart(8)}${String(tot.found).padStart(6)}${String(tot.exact).padStart(6)}${String(tot.expected - tot.found).padStart(7)}${String(tot.falseHits).padStart(6)}   ${pct(tot.found, tot.expected)}    ${pct(tot.found, tot.found + tot.falseHits)}    ${pct(tot.fieldsRight, tot.fieldsChecked)}`);
  const nearMisses = comparisons.reduce((n, c) => n + c.nearMissHits.length, 0);
  console.log(`near misses taken: ${nearMisses}`);
}

void main();
