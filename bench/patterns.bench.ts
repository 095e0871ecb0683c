/**
 * Which rule patterns cost the most: every match pattern of every rule is
 * run over every unit of the fixture corpus that holds a keyword of its type
 * (what the engine does), and the slowest are printed with their throughput.
 * For rule authors: a pattern that starts with a look-behind, a wide
 * character class or {num} is tried at every position of the text; one that
 * starts with a word is only tried where that word is.
 *
 * Usage: npm run bench:patterns [-- N]   (N slowest, default 20)
 */
import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config';
import { scanKeywords, typesInSpans } from '../src/extract/keywords';
import { markValues } from '../src/extract/normalize/marks';
import { segment } from '../src/extract/segment';
import { loadRuleset } from '../src/rules/load-rules';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'contracts');
const ruleset = loadRuleset(loadConfig().rulesDir);
const texts = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.txt')).map((f) => fs.readFileSync(path.join(FIXTURES, f), 'utf8'));

// the units each type's rules see, as the engine builds them
const seen = new Map<string, string[]>();
for (const text of texts) {
  const hits = scanKeywords(ruleset.keywords, text);
  for (const u of segment(text)) {
    const lead = u.leadIn.map((s) => text.slice(s.start, s.end)).join(' ');
    const ctx = markValues(lead ? `${lead} ${text.slice(u.start, u.end)}` : text.slice(u.start, u.end)).replace(/[ \t\r\n]+/g, ' ').toLowerCase();
    for (const t of typesInSpans(hits, u.headingSpan ? [u, ...u.leadIn, u.headingSpan] : [u, ...u.leadIn])) {
      if (!seen.has(t)) seen.set(t, []);
      seen.get(t)!.push(ctx);
    }
  }
}

const rows: { name: string; ms: number; chars: number }[] = [];
for (const rule of ruleset.rules) {
  const units = seen.get(rule.type) ?? [];
  const chars = units.reduce((n, u) => n + u.length, 0);
  const lists = [['all', rule.all], ['any', rule.any], ['none', rule.none], ['context', rule.context]] as const;
  for (const [kind, list] of lists) {
    list.forEach((re, i) => {
      for (const u of units.slice(0, 5)) re.test(u); // compile first: only matching is timed
      const t0 = process.hrtime.bigint();
      for (let rep = 0; rep < 3; rep++) for (const u of units) re.test(u);
      rows.push({ name: `${rule.id} match.${kind}[${i}] ${re.source.slice(0, 60)}`, ms: Number(process.hrtime.bigint() - t0) / 1e6 / 3, chars });
    });
  }
}
const n = Number(process.argv[2] ?? 20);
const total = rows.reduce((s, r) => s + r.ms, 0);
console.log(`all match patterns together: ${total.toFixed(0)} ms per pass over the corpus`);
for (const r of rows.sort((a, b) => b.ms - a.ms).slice(0, n)) {
  console.log(`${r.ms.toFixed(1).padStart(7)} ms  ${(r.chars / 1e6 / (r.ms / 1000)).toFixed(1).padStart(6)} MB/s  ${r.name}`);
}
