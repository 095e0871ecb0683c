/**
 * Typesets each fixture contract (fixtures/<set>/<name>.txt) into a real PDF
 * and a real DOCX beside it, so every contract exists in all three formats:
 *
 *   - PDF (pdfkit): US Letter, one PDF page per text page, a running header
 *     and a "Page N of M" footer on every page, tables drawn in columns, and
 *     long words hyphenated across line ends.
 *   - DOCX (docx): one paragraph per text paragraph, section numbers and
 *     lettered sub-clauses as real Word numbering where the text's numbers
 *     follow in order (so the reader must rebuild them), tables as Word
 *     tables, a header and footer, and a page break between text pages.
 *
 * Usage: npm run fixtures [-- <file.txt>...]   (default: every fixture)
 * A page whose text does not fit on its PDF page is an error: shorten it.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  AlignmentType, Document, Footer, Header, LevelFormat, Packer, PageBreak, PageNumber, Paragraph, Table, TableCell, TableRow,
  TextRun, WidthType,
} from 'docx';
import JSZip from 'jszip';
import PDFDocument from 'pdfkit';
import { fixtureTitle, readFixtureSource, type Block, type SourcePage } from './fixture-source';

const FIXED_DATE = new Date('2026-01-15T12:00:00Z');
const PAGE = { width: 612, height: 792, margin: 72 };
const BODY_FONT = 'Times-Roman';
const BOLD_FONT = 'Times-Bold';
const FONT_SIZE = 10.5;

/**
 * Breaks a paragraph into lines that fit `width`, the way a typesetter with
 * hyphenation on would: a long word that does not fit is split with a hyphen
 * (keeping at least five letters before and four after the break), so the
 * PDF has words hyphenated across line ends for the reader to join.
 */
function layoutLines(doc: PDFKit.PDFDocument, text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  const fits = (s: string) => doc.widthOfString(s) <= width;
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line ? `${line} ${word}` : word;
    if (fits(candidate)) {
      line = candidate;
      continue;
    }
    const letters = /^[A-Za-z]+/.exec(word)?.[0] ?? '';
    let split = false;
    if (letters.length >= 10 && line) {
      for (let cut = letters.length - 4; cut >= 5; cut--) {
        const head = `${line} ${word.slice(0, cut)}-`;
        if (fits(head)) {
          lines.push(head);
          line = word.slice(cut);
          split = true;
          break;
        }
      }
    }
    if (!split) {
      if (line) lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

export function buildPdf(pages: SourcePage[], title: string): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'LETTER',
    margins: { top: PAGE.margin, bottom: PAGE.margin, left: PAGE.margin, right: PAGE.margin },
    autoFirstPage: false,
    bufferPages: true,
    info: { Title: title, Author: 'Pactwatch fixtures', CreationDate: FIXED_DATE, ModDate: FIXED_DATE },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  const width = PAGE.width - 2 * PAGE.margin;
  const bottom = PAGE.height - PAGE.margin;

  pages.forEach((page, pi) => {
    doc.addPage();
    let y = PAGE.margin;
    const ensure = (h: number) => {
      if (y + h > bottom) throw new Error(`page ${pi + 1} of "${title}" does not fit on one PDF page; shorten it`);
    };
    for (const block of page.blocks) {
      if (block.kind === 'table') {
        const cols = Math.max(...block.rows.map((r) => r.length));
        const colWidth = width / cols;
        for (const [ri, row] of block.rows.entries()) {
          doc.font(ri === 0 ? BOLD_FONT : BODY_FONT).fontSize(FONT_SIZE - 1);
          const h = Math.max(...row.map((c) => doc.heightOfString(c, { width: colWidth - 8 })));
          ensure(h + 6);
          row.forEach((cell, ci) => {
            // ruled cells, as word processors draw tables
            doc.rect(PAGE.margin + ci * colWidth, y, colWidth, h + 6).lineWidth(0.5).stroke();
            doc.text(cell, PAGE.margin + ci * colWidth + 4, y + 3, { width: colWidth - 8, lineBreak: true });
          });
          y += h + 6;
        }
        y += 6;
        continue;
      }
      doc.font(block.heading ? BOLD_FONT : BODY_FONT).fontSize(FONT_SIZE);
      const lines = layoutLines(doc, block.text, width);
      const lineHeight = doc.currentLineHeight(true);
      ensure(lines.length * lineHeight);
      for (const l of lines) {
        doc.text(l, PAGE.margin, y, { lineBreak: false });
        y += lineHeight;
      }
      y += 6;
    }
  });

  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    // Header and footer sit in the margins; without this pdfkit would start a new page for them.
    doc.page.margins = { top: 0, bottom: 0, left: PAGE.margin, right: PAGE.margin };
    doc.font(BODY_FONT).fontSize(8);
    doc.text(`${title} - Confidential`, PAGE.margin, 36, { width, align: 'center', lineBreak: false });
    doc.text(`Page ${i + 1} of ${range.count}`, PAGE.margin, PAGE.height - 48, { width, align: 'center', lineBreak: false });
  }
  doc.end();
  return done;
}

interface NumberingState {
  section: number[];
  letterInstance: number;
  letters: number[];
  inLetterList: boolean;
}

const letterOf = (n: number) => String.fromCharCode(96 + n);
const romanOf = (n: number) => ['i', 'ii', 'iii', 'iv', 'v', 'vi', 'vii', 'viii', 'ix', 'x', 'xi', 'xii'][n - 1] ?? String(n);

/**
 * Decides whether a paragraph's typed number can be produced by Word
 * numbering at this point; if so returns the numbering to attach (the typed
 * number is then dropped from the text), else null (the number stays as text).
 */
function wordNumbering(marker: string | null, st: NumberingState): { reference: string; level: number; instance: number } | null {
  if (marker === null) {
    st.inLetterList = false;
    return null;
  }
  const dotted = /^(\d+)\.(?:(\d+)\.?)?$/.exec(marker);
  if (dotted) {
    st.inLetterList = false;
    const major = Number(dotted[1]);
    if (dotted[2] === undefined && major === (st.section[0] ?? 0) + 1) {
      st.section = [major];
      return { reference: 'sections', level: 0, instance: 0 };
    }
    if (dotted[2] !== undefined && major === st.section[0] && Number(dotted[2]) === (st.section[1] ?? 0) + 1 && marker === `${major}.${dotted[2]}`) {
      st.section = [major, Number(dotted[2])];
      return { reference: 'sections', level: 1, instance: 0 };
    }
    return null;
  }
  const paren = /^\(([a-z]+)\)$/.exec(marker);
  if (!paren) return null;
  if (!st.inLetterList) {
    st.inLetterList = true;
    st.letterInstance++;
    st.letters = [];
  }
  const inner = paren[1];
  if (inner === letterOf((st.letters[0] ?? 0) + 1)) {
    st.letters = [(st.letters[0] ?? 0) + 1];
    return { reference: 'letters', level: 0, instance: st.letterInstance };
  }
  if (st.letters.length >= 1 && inner === romanOf((st.letters[1] ?? 0) + 1)) {
    st.letters = [st.letters[0], (st.letters[1] ?? 0) + 1];
    return { reference: 'letters', level: 1, instance: st.letterInstance };
  }
  return null;
}

export function buildDocx(pages: SourcePage[], title: string): Promise<Buffer> {
  const st: NumberingState = { section: [], letterInstance: 0, letters: [], inLetterList: false };
  const children: (Paragraph | Table)[] = [];
  pages.forEach((page, pi) => {
    if (pi > 0) children.push(new Paragraph({ children: [new PageBreak()] }));
    for (const block of page.blocks as Block[]) {
      if (block.kind === 'table') {
        st.inLetterList = false;
        children.push(
          new Table({
            width: { size: 100, type: WidthType.PERCENTAGE },
            rows: block.rows.map(
              (row, ri) =>
                new TableRow({
                  tableHeader: ri === 0,
                  children: row.map((cell) => new TableCell({ children: [new Paragraph({ children: [new TextRun({ text: cell, bold: ri === 0 })] })] })),
                }),
            ),
          }),
        );
        continue;
      }
      const numbering = wordNumbering(block.marker, st);
      const text = numbering ? block.body : block.text;
      children.push(
        new Paragraph({
          numbering: numbering ?? undefined,
          children: [new TextRun({ text, bold: block.heading })],
        }),
      );
    }
  });
  const doc = new Document({
    creator: 'Pactwatch fixtures',
    title,
    numbering: {
      config: [
        {
          reference: 'sections',
          levels: [
            { level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.LEFT },
            { level: 1, format: LevelFormat.DECIMAL, text: '%1.%2', alignment: AlignmentType.LEFT },
          ],
        },
        {
          reference: 'letters',
          levels: [
            { level: 0, format: LevelFormat.LOWER_LETTER, text: '(%1)', alignment: AlignmentType.LEFT },
            { level: 1, format: LevelFormat.LOWER_ROMAN, text: '(%2)', alignment: AlignmentType.LEFT },
          ],
        },
      ],
    },
    sections: [
      {
        headers: { default: new Header({ children: [new Paragraph({ children: [new TextRun(`${title} - Confidential`)] })] }) },
        footers: { default: new Footer({ children: [new Paragraph({ children: [new TextRun({ children: ['Page ', PageNumber.CURRENT] })] })] }) },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/**
 * The DOCX writer stamps the creation time into docProps/core.xml (and the
 * zip's entry dates), so a rebuild would change every file; keep the old file
 * when everything but those stamps is the same, so only real changes show in git.
 */
async function sameContent(a: Buffer, b: Buffer): Promise<boolean> {
  if (a.subarray(0, 4).toString('latin1') !== 'PK\u0003\u0004') return a.equals(b);
  const [za, zb] = await Promise.all([JSZip.loadAsync(a), JSZip.loadAsync(b)]);
  const names = (z: JSZip) => Object.keys(z.files).filter((n) => n !== 'docProps/core.xml').sort();
  if (JSON.stringify(names(za)) !== JSON.stringify(names(zb))) return false;
  for (const n of names(za)) if ((await za.file(n)?.async('string')) !== (await zb.file(n)?.async('string'))) return false;
  return true;
}

const pending: Promise<void>[] = [];
function writeIfChanged(file: string, bytes: Buffer): void {
  pending.push(
    (async () => {
      if (fs.existsSync(file) && (await sameContent(fs.readFileSync(file), bytes))) return;
      fs.writeFileSync(file, bytes);
    })(),
  );
}

async function main(): Promise<void> {
  const root = path.join(__dirname, '..', 'fixtures');
  const args = process.argv.slice(2);
  const files = args.length
    ? args
    : ['contracts', 'holdout'].flatMap((set) => {
        const dir = path.join(root, set);
        return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.txt')).map((f) => path.join(dir, f)) : [];
      });
  let failed = 0;
  for (const file of files) {
    const source = fs.readFileSync(file, 'utf8');
    const pages = readFixtureSource(source);
    const title = fixtureTitle(source);
    const base = file.replace(/\.txt$/, '');
    try {
      writeIfChanged(`${base}.pdf`, await buildPdf(pages, title));
      writeIfChanged(`${base}.docx`, await buildDocx(pages, title));
      console.log(`${path.relative(process.cwd(), base)}: ${pages.length} pages -> .pdf .docx`);
    } catch (err) {
      failed++;
      console.error(`${path.relative(process.cwd(), file)}: ${(err as Error).message}`);
    }
  }
  await Promise.all(pending);
  if (failed) process.exit(1);
}

// run as a script (bin/run-ts.js puts the script's path in argv[1]), not when imported by the benchmark
if (process.argv[1] && path.resolve(process.argv[1]) === __filename) void main();
