/**
 * Extraction benchmark. Prints, for a corpus made from the fixture contracts:
 *   - extraction throughput (segment + rules + fields) in MB/s of text, on one core;
 *   - for PDFs, pdf-parse's own text extraction alone vs the whole
 *     file-to-clauses path, and the ratio between them, in the same run;
 *   - the same for one long PDF (about 300 pages) typeset from the fixtures.
 * Targets (issue 2): at least 5 MB/s of text; the extractor adds no more than
 * 25% on top of bare PDF text extraction.
 * Figures are also written to bench/results.json (under "extract").
 */
import fs from 'node:fs';
import path from 'node:path';
import { PDFParse } from 'pdf-parse';
import { loadConfig } from '../src/config';
import { extractClauses } from '../src/extract';
import { ingest } from '../src/ingest';
import { loadRuleset } from '../src/rules/load-rules';
import { buildPdf } from '../scripts/build-fixtures';
import { readFixtureSource } from '../scripts/fixture-source';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'contracts');
const config = loadConfig();
const ruleset = loadRuleset(config.rulesDir);

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (chars: number) => chars / 1e6;

async function pdfParseAlone(bytes: Buffer): Promise<number> {
  const t0 = process.hrtime.bigint();
  const p = new PDFParse({ data: new Uint8Array(bytes) });
  await p.getText();
  await p.destroy();
  return ms(t0);
}

async function wholePath(bytes: Buffer): Promise<{ ms: number; chars: number; clauses: number }> {
  const t0 = process.hrtime.bigint();
  const doc = await ingest(bytes, config);
  const clauses = extractClauses(doc, ruleset);
  return { ms: ms(t0), chars: doc.text.length, clauses: clauses.length };
}

async function main(): Promise<void> {
  const names = fs
    .readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.txt') && fs.existsSync(path.join(FIXTURES, f.replace(/\.txt$/, '.pdf'))))
    .map((f) => f.replace(/\.txt$/, ''));

  // 1. Text extraction throughput: the fixture texts, over and over, to at least 5 MB.
  const texts = await Promise.all(names.map(async (n) => ingest(fs.readFileSync(path.join(FIXTURES, `${n}.txt`)), config)));
  for (const d of texts) extractClauses(d, ruleset); // warm-up
  let chars = 0;
  let clauses = 0;
  const t0 = process.hrtime.bigint();
  while (chars < 6e6) {
    for (const d of texts) {
      clauses += extractClauses(d, ruleset).length;
      chars += d.text.length;
    }
  }
  const textMs = ms(t0);
  const throughput = mb(chars) / (textMs / 1000);
  console.log(`text extraction: ${mb(chars).toFixed(1)} MB of text in ${(textMs / 1000).toFixed(2)} s = ${throughput.toFixed(2)} MB/s (${clauses} clauses)`);

  // 2. PDF: pdf-parse alone vs the whole path, per fixture, median of 3 runs each.
  const pdfs = names.map((n) => fs.readFileSync(path.join(FIXTURES, `${n}.pdf`)));
  await pdfParseAlone(pdfs[0]); // the first parse in a process pays pdf.js start-up
  await wholePath(pdfs[0]);
  let alone = 0;
  let whole = 0;
  for (const bytes of pdfs) {
    const a: number[] = [];
    const w: number[] = [];
    for (let i = 0; i < 3; i++) {
      a.push(await pdfParseAlone(bytes));
      w.push((await wholePath(bytes)).ms);
    }
    alone += median(a);
    whole += median(w);
  }
  const ratio = whole / alone;
  console.log(`fixture PDFs (${pdfs.length}): pdf-parse alone ${alone.toFixed(0)} ms, file to clauses ${whole.toFixed(0)} ms, ratio ${ratio.toFixed(2)} (${((ratio - 1) * 100).toFixed(0)}% on top)`);

  // 3. One long PDF (~300 pages) typeset from all the fixtures, repeated.
  const pages = names.flatMap((n) => readFixtureSource(fs.readFileSync(path.join(FIXTURES, `${n}.txt`), 'utf8')));
  const longPages = Array.from({ length: Math.ceil(300 / pages.length) }, () => pages).flat().slice(0, 300);
  const longPdf = await buildPdf(longPages, 'Benchmark Portfolio');
  const la: number[] = [];
  const lw: { ms: number; chars: number; clauses: number }[] = [];
  for (let i = 0; i < 3; i++) {
    la.push(await pdfParseAlone(longPdf));
    lw.push(await wholePath(longPdf));
  }
  const longAlone = median(la);
  const longWhole = median(lw.map((x) => x.ms));
  const longRatio = longWhole / longAlone;
  console.log(
    `300-page PDF (${(longPdf.length / 1e6).toFixed(1)} MB, ${mb(lw[0].chars).toFixed(2)} MB of text, ${lw[0].clauses} clauses): pdf-parse alone ${longAlone.toFixed(0)} ms, file to clauses ${longWhole.toFixed(0)} ms, ratio ${longRatio.toFixed(2)}`,
  );

  const results = {
    date: new Date().toISOString(),
    node: process.version,
    textMBps: Number(throughput.toFixed(2)),
    fixturePdf: { pdfParseMs: Math.round(alone), wholeMs: Math.round(whole), ratio: Number(ratio.toFixed(3)) },
    longPdf: { pages: 300, pdfParseMs: Math.round(longAlone), wholeMs: Math.round(longWhole), ratio: Number(longRatio.toFixed(3)) },
    targets: { textMBps: 5, maxRatio: 1.25 },
  };
  const file = path.join(__dirname, 'results.json');
  const prior = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  fs.writeFileSync(file, `${JSON.stringify({ ...prior, extract: results }, null, 2)}\n`);
  console.log(`targets: >= 5 MB/s of text: ${throughput >= 5 ? 'met' : 'NOT met'}; PDF overhead <= 25%: ${Math.max(ratio, longRatio) <= 1.25 ? 'met' : 'NOT met'}`);
}

void main();
