import fs from 'node:fs';
import path from 'node:path';
import { ingest } from '../../src/ingest';
import { formatNumber, numberingLabels, parseNumbering } from '../../src/ingest/docx-numbering';
import { docxBytes, wordXml } from '../helpers/bad-files';

const limits = { maxFileBytes: 50 * 1024 * 1024, maxUnpackedBytes: 64 * 1024 * 1024 };
const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'contracts');

test('Word numbering formats', () => {
  expect([1, 2, 26, 27].map((n) => formatNumber(n, 'lowerLetter'))).toEqual(['a', 'b', 'z', 'aa']);
  expect([1, 4, 9, 14].map((n) => formatNumber(n, 'lowerRoman'))).toEqual(['i', 'iv', 'ix', 'xiv']);
  expect(formatNumber(3, 'upperLetter')).toBe('C');
  expect(formatNumber(7, 'decimalZero')).toBe('07');
});

test('labels follow numbering.xml: levels, restarts of deeper levels, lvlText', () => {
  const numbering = `<w:numbering>
    <w:abstractNum w:abstractNumId="0">
      <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl>
      <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2"/></w:lvl>
      <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%3)"/></w:lvl>
    </w:abstractNum>
    <w:num w:numId="5"><w:abstractNumId w:val="0"/></w:num>
  </w:numbering>`;
  const p = (ilvl: number) => `<w:p><w:pPr><w:numPr><w:ilvl w:val="${ilvl}"/><w:numId w:val="5"/></w:numPr></w:pPr><w:r><w:t>x</w:t></w:r></w:p>`;
  const doc = `<w:body>${[0, 1, 2, 2, 1, 2, 0, 1].map(p).join('<w:p><w:r><w:t>plain</w:t></w:r></w:p>')}</w:body>`;
  expect(numberingLabels(parseNumbering(numbering, null), doc)).toEqual(['1.', '1.1', '(a)', '(b)', '1.2', '(a)', '2.', '2.1']);
});

test('a fixture DOCX reads with its section numbers and lettered sub-clauses, which only exist as Word numbering', async () => {
  const docx = fs.readFileSync(path.join(FIXTURES, 'infosec-addendum-cobalt.docx'));
  const xml = await (await import('jszip')).default.loadAsync(docx).then((z) => z.file('word/document.xml')!.async('string'));
  // the labels are not in the document's text runs...
  expect(xml).not.toContain('(c) deliver to Company');
  // ...but the reader writes them in
  const doc = await ingest(docx, limits);
  expect(doc.text).toContain('\n\n(c) deliver to Company a written root cause analysis');
  expect(doc.text).toContain('\n\n8.1 Upon discovery of a Security Incident, Supplier will:');
});

test('a fixture DOCX table becomes one line per row with cells apart', async () => {
  const doc = await ingest(fs.readFileSync(path.join(FIXTURES, 'mssa-northwind-harbor.docx')), limits);
  expect(doc.text).toContain('| Severity | Description | Response Time | Resolution Time |\n| Severity 1 | Active intrusion or ransomware in progress | 15 minutes | 4 hours |');
});

test('page breaks in a DOCX separate pages', async () => {
  const doc = await ingest(fs.readFileSync(path.join(FIXTURES, 'saas-dpa-lumen.docx')), limits);
  const txt = fs.readFileSync(path.join(FIXTURES, 'saas-dpa-lumen.txt'), 'utf8');
  expect(doc.pages).toHaveLength(txt.split('\f').length);
});

test('a minimal DOCX without numbering reads its paragraphs', async () => {
  const doc = await ingest(await docxBytes(wordXml(['First paragraph.', 'Second paragraph.'])), limits);
  expect(doc.text).toBe('First paragraph.\n\nSecond paragraph.');
});
