import { BLOCK_MARKER, endsSentence, isHeadingLine, markerStartsBlock } from '../text/line-cues';
import { type Page } from './text-document';

/**
 * Rebuilds running text from the lines a PDF text layer gives, page by page:
 * running headers and footers and bare page numbers are dropped (so they can
 * never split a sentence or land inside a clause), wrapped lines are joined
 * into paragraphs, paragraphs are separated by a blank line, and words
 * hyphenated across a line end are joined. Pure: the PDF reader hands it plain
 * strings.
 */
export interface RebuiltText {
  text: string;
  pages: Page[];
}

/**
 * A line of a PDF page as the text layer gives it, with its baseline (y, top
 * down, in points) and font size when the reader knows them. Without geometry
 * paragraphs are found from the text alone.
 */
export interface PdfLine {
  text: string;
  y: number | null;
  size: number | null;
  /** How many pieces of text the line holds with wide gaps between them (table cells), when known. */
  cells?: number;
}

interface Line extends PdfLine {
  page: number;
}

/** Plain page text as lines without geometry (for text layers read without positions). */
export function linesOfText(pageText: string): PdfLine[] {
  return pageText.split('\n').map((text) => ({ text, y: null, size: null }));
}

/** Lines a page may open or close with before the body starts: headers, footers, page numbers. */
const FURNITURE_ZONE = 3;

/** Words commonly written with a hyphen, kept when a line break falls on that hyphen. */
const HYPHEN_PREFIXES = new Set([
  'non', 'self', 'third', 'co', 'sub', 'pre', 'post', 'multi', 'anti', 'cross', 'ex', 'well', 'long', 'short', 'high', 'low',
  'full', 'part', 'half', 'e', 'on', 'off', 'opt', 'follow', 'end', 'up', 'out', 'in', 'de', 're', 'mid', 'semi', 'inter',
  'intra', 'over', 'under', 'first', 'second', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine',
  'ten', 'twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety', 'hundred', 'year', 'month',
  'day', 'hour', 'time', 'real', 'cloud', 'data', 'service', 'business', 'so', 'all', 'non-', 'tier', 'role', 'risk', 'rate',
]);

export function normaliseFurniture(line: string): string {
  return line.trim().toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ');
}

const PAGE_NUMBER = /^(?:page\s*)?(?:#|[ivxlc]+)(?:\s*(?:of|\/)\s*#)?$|^[-–—]\s*#\s*[-–—]$|^#\s*\|/i;

export function isPageNumberLine(line: string): boolean {
  return PAGE_NUMBER.test(normaliseFurniture(line));
}

/**
 * For each page, the range [first, last) of its lines that are body text:
 * lines in the top or bottom zone that are page numbers, or that repeat (digits
 * aside) in the zones of at least half the pages, are running furniture.
 */
export function bodyLineRanges(pages: string[][]): Array<[number, number]> {
  const seen = new Map<string, number>();
  for (const lines of pages) {
    const zone = new Set([...lines.slice(0, FURNITURE_ZONE), ...lines.slice(-FURNITURE_ZONE)].map(normaliseFurniture));
    for (const key of zone) if (key) seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  const repeatThreshold = Math.max(2, Math.ceil(pages.length * 0.5));
  const isFurniture = (line: string) =>
    isPageNumberLine(line) || (pages.length >= 2 && (seen.get(normaliseFurniture(line)) ?? 0) >= repeatThreshold);

  return pages.map((lines) => {
    let first = 0;
    let last = lines.length;
    while (first < Math.min(lines.length, FURNITURE_ZONE) && isFurniture(lines[first])) first++;
    const bottomLimit = Math.max(first, lines.length - FURNITURE_ZONE);
    while (last > bottomLimit && isFurniture(lines[last - 1])) last--;
    return [first, last];
  });
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

export function rebuildPdfText(input: (string | PdfLine[])[]): RebuiltText {
  const pagesIn = input.map((p) => (typeof p === 'string' ? linesOfText(p) : p));
  const rawPages = pagesIn.map((lines) => lines.map((l) => ({ ...l, text: l.text.replace(/\t+/g, ' ').replace(/[ \u00a0]+/g, ' ').trim() })));
  // Blank lines are kept as paragraph breaks, but must not shield furniture
  // from the zone check, so they are removed for that step and restored as a
  // marker on the following line.
  const withBreaks = rawPages.map((lines) => {
    const out: (PdfLine & { breakBefore: boolean })[] = [];
    let pendingBreak = false;
    for (const l of lines) {
      if (l.text === '') {
        pendingBreak = out.length > 0;
        continue;
      }
      out.push({ ...l, breakBefore: pendingBreak });
      pendingBreak = false;
    }
    return out;
  });
  const ranges = bodyLineRanges(withBreaks.map((ls) => ls.map((l) => l.text)));
  const lines: (Line & { breakBefore: boolean })[] = [];
  withBreaks.forEach((pageLines, i) => {
    const [first, last] = ranges[i];
    pageLines.slice(first, last).forEach((l, k) => lines.push({ ...l, page: i + 1, breakBefore: k > 0 && l.breakBefore }));
  });
  const spacing = lineSpacing(lines);

  // Capitals are wider than lower case, so a full line in an ALL-CAPS paragraph
  // holds fewer characters: judge such lines against their own width.
  const isCaps = (t: string) => {
    const letters = t.replace(/[^A-Za-z]/g, '');
    return letters.length >= 8 && letters === letters.toUpperCase();
  };
  const caps = lines.map((l) => isCaps(l.text));
  const mixedWidth = percentile(lines.filter((l, i) => l.text.length > 20 && !caps[i]).map((l) => l.text.length), 0.8) || 80;
  const capsLines = lines.filter((l, i) => l.text.length > 20 && caps[i]);
  // (headings in capitals are short, so they cannot pull the estimate below three quarters of a mixed line)
  const capsWidth = Math.max(mixedWidth * 0.75, capsLines.length >= 3 ? percentile(capsLines.map((l) => l.text.length), 0.8) : 0);
  const vocabulary = wordsOf(lines.map((l) => l.text));
  // The text is built as a list of pieces: appending to (and trimming) one long
  // string would copy it over and over on a long document.
  const pieces: string[] = [];
  let length = 0;
  const push = (s: string) => {
    pieces.push(s);
    length += s.length;
  };
  const pageStarts = new Map<number, number>();
  let prev: Line | null = null;
  lines.forEach((line, i) => {
    if (prev === null) {
      pageStarts.set(line.page, 0);
      push(line.text);
      prev = line;
      return;
    }
    const width = caps[i - 1] ? capsWidth : mixedWidth;
    const newParagraph = line.breakBefore || gapBefore(prev, line, spacing) || startsNewParagraph(prev.text, line.text, width, prev.page !== line.page);
    if (newParagraph) {
      // rows of one table stay on consecutive lines; a blank line would end the table
      push(/^\|.*\|$/.test(prev.text) && /^\|.*\|$/.test(line.text) ? '\n' : '\n\n');
    } else if (/[a-z]-$/.test(prev.text) ? /^[a-z]/.test(line.text) : /[A-Z]-$/.test(prev.text) && /^[A-Z]{2}/.test(line.text)) {
      if (!keepHyphen(prev.text, line.text, vocabulary)) {
        // drop the hyphen that ends the previous line
        pieces[pieces.length - 1] = pieces[pieces.length - 1].slice(0, -1);
        length -= 1;
      }
    } else {
      push(' ');
    }
    if (!pageStarts.has(line.page)) pageStarts.set(line.page, length);
    push(line.text);
    prev = line;
  });
  const text = pieces.join('');

  const pages: Page[] = [];
  for (let n = 1; n <= input.length; n++) {
    const start = pageStarts.get(n) ?? (pages.length ? pages[pages.length - 1].end : 0);
    pages.push({ number: n, start, end: start });
  }
  for (let i = 0; i < pages.length; i++) pages[i].end = i + 1 < pages.length ? pages[i + 1].start : text.length;
  return { text, pages };
}

/** The usual distance between baselines of consecutive lines of a paragraph, relative to font size. */
function lineSpacing(lines: Line[]): number | null {
  const ratios: number[] = [];
  for (let i = 1; i < lines.length; i++) {
    const a = lines[i - 1];
    const b = lines[i];
    if (a.page !== b.page || a.y === null || b.y === null || !a.size || !b.size || Math.abs(a.size - b.size) > 0.5) continue;
    const d = (b.y - a.y) / a.size;
    if (d > 0.5 && d < 4) ratios.push(d);
  }
  if (ratios.length < 5) return null;
  return percentile(ratios, 0.3);
}

/** Space between two lines clearly larger than the usual line spacing: a paragraph break. */
function gapBefore(prev: Line, line: Line, spacing: number | null): boolean {
  if (spacing === null || prev.page !== line.page || prev.y === null || line.y === null || !prev.size) return false;
  return (line.y - prev.y) / prev.size > spacing * 1.3;
}

/** Every word of the document, lower-cased, hyphenated compounds kept whole. */
function wordsOf(lines: string[]): Set<string> {
  const out = new Set<string>();
  for (const l of lines) for (const w of l.toLowerCase().match(/[a-z]+(?:-[a-z]+)*/g) ?? []) out.add(w);
  return out;
}

/**
 * A line that ends in a hyphen: "notifi-" + "cation" is one word broken by
 * the typesetter, "third-" + "party" is a compound. The document itself is the
 * dictionary: a form found elsewhere in it wins; otherwise a hyphen after a
 * common prefix or number word is kept and any other is removed.
 */
function keepHyphen(prev: string, next: string, vocabulary: Set<string>): boolean {
  const head = (/([A-Za-z]+)-$/.exec(prev)?.[1] ?? '').toLowerCase();
  const tail = (/^([A-Za-z]+)/.exec(next)?.[1] ?? '').toLowerCase();
  if (vocabulary.has(`${head}-${tail}`)) return true;
  if (vocabulary.has(`${head}${tail}`)) return false;
  return HYPHEN_PREFIXES.has(head);
}

/**
 * Does `line` start a new paragraph? `width` is the usual length of a full
 * line like `prev`. Inside a paragraph every line but the last runs to the
 * margin, so a short line ends its paragraph (or is a heading).
 */
function startsNewParagraph(prev: string, line: string, width: number, pageBreak: boolean): boolean {
  const short = prev.length < width * 0.85;
  if (/^\|.*\|$/.test(prev) || /^\|.*\|$/.test(line)) return true;
  // Across a page break there is no spacing to go by: a list item after a line ending ";", "and"
  // or "or" starts a new block (within a page, the space before it tells).
  if (BLOCK_MARKER.test(line)) return markerStartsBlock(prev, line, short) || (pageBreak && /(?:;|\band|\bor)\s*$/.test(prev));
  const nextOpens = /^["“(]?[A-Z0-9]/.test(line);
  if (isHeadingLine(prev) && prev.length < width * 0.7 && !endsSentence(prev) && !/-$/.test(prev) && nextOpens) return true;
  // a short line without a full stop before a capital: a sentence-case heading ("What we promise")
  if (prev.length < width * 0.6 && !/[-,;]$/.test(prev) && nextOpens) return true;
  if (endsSentence(prev) && (short || isHeadingLine(line))) return true;
  return false;
}

const words = (s: string) => s.split(/\s+/).filter(Boolean);

/** A table as one line per row: "| Severity 1 | Active intrusion | 15 minutes |". */
export function tableRowLine(row: string[]): string {
  return `| ${row.map((c) => c.replace(/\s+/g, ' ').trim()).join(' | ')} |`;
}

/**
 * A PDF text layer reads a ruled table cell by cell, wrapping cell text onto
 * lines of its own, so rows fall apart. Given the tables found on the page
 * (from its ruling lines), replaces the run of lines that holds exactly a
 * table's words with one line per row. A table whose words cannot be found in
 * order is left as it was.
 */
export function spliceTables(lines: PdfLine[], tables: string[][][]): PdfLine[] {
  let out = lines;
  for (const table of tables) {
    const tableWords = table.flat().flatMap(words);
    if (tableWords.length === 0) continue;
    let replaced = false;
    for (let a = 0; a < out.length && !replaced; a++) {
      const first = words(out[a].text);
      if (first.length === 0 || first[0] !== tableWords[0]) continue;
      const seen: string[] = [];
      for (let b = a; b < out.length; b++) {
        seen.push(...words(out[b].text));
        if (seen.length > tableWords.length) break;
        if (seen.length === tableWords.length) {
          if (seen.every((w, i) => w === tableWords[i])) {
            const rows = table.map((row) => ({ text: tableRowLine(row), y: null, size: null }));
            out = [...out.slice(0, a), ...rows, ...out.slice(b + 1)];
            replaced = true;
          }
          break;
        }
      }
    }
  }
  return out;
}

/** Pages whose text has runs of short lines that do not end sentences: where a table may be. */
export function mayHoldTable(pageLines: PdfLine[]): boolean {
  // with positions: two or more lines of the page hold text in separate columns
  if (pageLines.filter((l) => (l.cells ?? 1) >= 2).length >= 2) return true;
  // (pdf.js merges cells that sit on one baseline into one item, so also look for runs of short lines)
  const lines = pageLines.map((l) => l.text.trim()).filter(Boolean);
  const width = percentile(lines.map((l) => l.length), 0.8) || 80;
  let run = 0;
  for (const l of lines) {
    run = l.length < width * 0.6 && !endsSentence(l) ? run + 1 : 0;
    if (run >= 3) return true;
  }
  return false;
}
