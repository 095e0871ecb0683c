import { BLOCK_MARKER, endsSentence, isHeadingLine, isShortTitle, markerStartsBlock } from '../text/line-cues';
import { splitSentences, type Span } from './sentences';

/**
 * Splits a contract's text into the units clauses are found in: sentences of
 * paragraphs and numbered sections, lettered sub-clauses (with the lead-in that
 * introduces them), table rows, headings and definitions. Every unit is a span
 * of the original text; nothing is rewritten, so offsets stay exact.
 */
export type UnitKind = 'heading' | 'definition' | 'sentence' | 'item' | 'row';

export interface Unit extends Span {
  kind: UnitKind;
  /** Index of the block (paragraph, list item, row) the unit belongs to. */
  block: number;
  /** The section or list marker that opened its block ("8.1", "(a)"), for citing where a clause is. */
  marker: string | null;
  /** For list items: the spans that introduce the list ("Supplier shall:"), outermost first. */
  leadIn: Span[];
  /** The nearest heading above the unit. */
  heading: string | null;
  /** Where that heading is in the text. */
  headingSpan: Span | null;
  /** The nearest heading that stands on its own line (a section, not a run-in sub-heading). */
  section: string | null;
}

interface Line extends Span {
  text: string;
  blank: boolean;
}

interface Block extends Span {
  row: boolean;
}

/** A list marker's style; bullets of different glyphs ("•" then "-") are different levels. */
type MarkerStyle = 'alpha' | 'ALPHA' | 'roman' | 'ROMAN' | 'paren-num' | 'section' | `bullet${string}`;

function lines(text: string): Line[] {
  const out: Line[] = [];
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const t = text.slice(start, end);
    out.push({ start, end, text: t, blank: /^[\s\f\uFEFF]*$/.test(t) });
    if (end === text.length) break;
    start = end + 1;
  }
  return out;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

const isRow = (t: string) => /^\s*\|.*\|\s*$/.test(t) || (t.split(' | ').length >= 3 && t.length < 400);

/**
 * Paragraph blocks. Text from PDF and DOCX has one paragraph per line; plain
 * text is often hard-wrapped at a fixed width, and then a line break only ends
 * a paragraph at a blank line, before a section marker or heading, or after a
 * line that ends a sentence well short of the wrap width. Wrapping is judged
 * per run of lines between blank lines, since one file may mix both styles.
 */
function blocks(text: string): Block[] {
  const ls = lines(text);
  // runs of non-blank lines
  const runs: Line[][] = [];
  let run: Line[] = [];
  for (const l of ls) {
    if (l.blank) {
      if (run.length) runs.push(run);
      run = [];
    } else run.push(l);
  }
  if (run.length) runs.push(run);

  const len = (l: Line) => l.text.trimEnd().length;
  const wrapWidth = (r: Line[]): number | null => {
    if (r.length < 2) return null;
    const lengths = r.map(len);
    const width = percentile(lengths, 0.9);
    if (width > 110 || width < 40) return null;
    if (r.length === 2) return lengths[0] >= width * 0.75 ? width : null;
    return lengths.filter((n) => n >= width * 0.6).length >= lengths.length * 0.4 ? width : null;
  };
  // a run too short to judge by itself (two lines) is wrapped if the document's long runs are
  const longRuns = runs.filter((r) => r.length >= 3).map(wrapWidth);
  const docWidth = longRuns.length && longRuns.filter((w) => w !== null).length >= longRuns.length / 2 ? percentile(longRuns.filter((w): w is number => w !== null), 0.5) : null;

  const out: Block[] = [];
  for (const r of runs) {
    const width = r.length >= 3 ? wrapWidth(r) : r.length === 2 && docWidth !== null && len(r[0]) >= docWidth * 0.75 ? docWidth : wrapWidth(r);
    let cur: Block | null = null;
    let prev: Line | null = null;
    for (const line of r) {
      const row = isRow(line.text);
      let startNew = cur === null || width === null || row || cur.row;
      if (!startNew && prev && width !== null) {
        const p = prev.text.trimEnd();
        const shortPrev = p.length < width * 0.8;
        if (markerStartsBlock(p, line.text, shortPrev)) startNew = true;
        else if (shortPrev && !endsSentence(p) && isHeadingLine(p)) startNew = true;
        else if (endsSentence(p) && shortPrev) startNew = true;
        else if (endsSentence(p) && line.text.trim().length < width * 0.75 && isHeadingLine(line.text)) startNew = true;
      }
      if (startNew) {
        if (cur) out.push(cur);
        cur = { start: line.start, end: line.end, row };
      } else {
        cur!.end = line.end;
      }
      prev = line;
    }
    if (cur) out.push(cur);
  }
  return out;
}

function markerStyle(marker: string, previousAlpha: string | null): MarkerStyle {
  const inner = marker.replace(/^\(|[.)]$/g, '').replace(/\)$/, '');
  if (/^[•▪◦●·*–-]$/.test(marker)) return `bullet${marker}`;
  if (/^\d/.test(inner)) return marker.startsWith('(') ? 'paren-num' : 'section';
  if (/^(?:ARTICLE|Article|SECTION|Section|CLAUSE|Clause|SCHEDULE|Schedule|ANNEX|Annex|EXHIBIT|Exhibit|APPENDIX|Appendix|PART|Part)\b/.test(marker)) return 'section';
  const romanish = /^[ivxlc]+$/.test(inner);
  const ROMANISH = /^[IVXLC]+$/.test(inner);
  // "(i)" after "(h)" is a letter; otherwise a roman numeral.
  if (romanish && !(inner.length === 1 && previousAlpha !== null && previousAlpha.charCodeAt(0) + 1 === inner.charCodeAt(0))) return 'roman';
  if (ROMANISH && !(inner.length === 1 && previousAlpha !== null && previousAlpha.toUpperCase().charCodeAt(0) + 1 === inner.charCodeAt(0))) return 'ROMAN';
  return inner === inner.toUpperCase() ? 'ALPHA' : 'alpha';
}

const DEFINITION =
  /^(?:\(?[a-z0-9]{1,4}[.)]\s+)?["“][^"”]{1,80}["”](?:\s*(?:or|and)\s*["“][^"”]{1,80}["”])*\s*(?:\([^)]{0,60}\)\s*)?(?:means|shall mean|has the meaning|shall have the meaning|refers to|is defined as|includes|shall include|:)/i;
// "Such notice ...", "At the end of that period ...": the sentence leans on the one before
const ANAPHOR = /^(?:(?:at|after|upon|on|following|by|within|before|during|for|until) (?:the (?:end|expiry|expiration|close) of )?)?(?:such|this|that|these|those|the foregoing|any such|each such|said)\b/i;
const LEAD_IN_END = /(?::|—|–|-|\bas follows|\bshall|\bwill|\bmust|\bto)\s*$/i;

function isRunInHeading(text: string, span: Span, isFirst: boolean, hasMore: boolean): boolean {
  if (!isFirst || !hasMore) return false;
  const s = text.slice(span.start, span.end).replace(/[.:]$/, '').trim();
  const words = s.split(/\s+/);
  if (words.length > 8 || s.length > 70) return false;
  const small = /^(?:a|an|and|as|at|by|for|from|in|of|on|or|the|to|with|under|upon)$/i;
  return words.every((w) => small.test(w) || /^["“(]?[A-Z0-9]/.test(w)) && /[.:]$/.test(text.slice(span.start, span.end));
}

export function segment(text: string): Unit[] {
  const units: Unit[] = [];
  let heading: string | null = null;
  let headingSpan: Span | null = null;
  let section: string | null = null;
  // Lead-ins of the list being read, one per marker style from outermost in.
  let listStack: { style: MarkerStyle; leadIn: Span | null; last: string }[] = [];
  let paragraphLeadIn: Span | null = null;

  // The first row of a table is its header; later rows read their cells by it.
  let tableHeader: Span | null = null;
  let previousWasRow = false;
  let lastRowEnd = 0;
  blocks(text).forEach((block, bi) => {
    const raw = text.slice(block.start, block.end);
    if (block.row) {
      const s = skipSpace(text, block.start, block.end);
      // a blank line between rows ends one table and starts another
      const newTable = !previousWasRow || /\n[ \t\f]*\n/.test(text.slice(lastRowEnd, block.start));
      if (newTable) tableHeader = /\d/.test(raw) ? null : s;
      lastRowEnd = block.end;
      paragraphLeadIn = null;
      units.push({ kind: 'row', start: s.start, end: s.end, block: bi, marker: null, leadIn: tableHeader && tableHeader !== s ? [tableHeader] : [], heading, headingSpan, section });
      previousWasRow = true;
      return;
    }
    previousWasRow = false;
    const m = BLOCK_MARKER.exec(raw);
    const marker = m ? m[0].trim() : null;
    const bodyStart = m ? block.start + m[0].length : block.start;
    const body = skipSpace(text, bodyStart, block.end);
    if (body.end <= body.start) return;

    if (!marker && raw.length <= 100 && !raw.includes('\n') && isHeadingLine(raw)) {
      heading = raw.trim();
      headingSpan = skipSpace(text, block.start, block.end);
      section = heading;
      listStack = [];
      paragraphLeadIn = null;
      units.push({ kind: 'heading', ...skipSpace(text, block.start, block.end), block: bi, marker: null, leadIn: [], heading, headingSpan, section });
      return;
    }

    let style: MarkerStyle | null = null;
    if (marker) {
      const lastAlpha = [...listStack].reverse().find((l) => l.style === 'alpha' || l.style === 'ALPHA')?.last ?? null;
      style = markerStyle(marker, lastAlpha);
    }
    // "1.", "2." under a paragraph that introduces a list ("... shall:") are its items, not sections
    // (but "agree as follows:" + "1. DEFINITIONS" is a section heading)
    const bodyText = text.slice(body.start, body.end);
    const listGoing = listStack.some((l) => l.style === 'paren-num');
    if (
      style === 'section' &&
      paragraphLeadIn !== null &&
      /^\d{1,2}\.$/.test(marker ?? '') &&
      (listGoing || marker === '1.') &&
      !(bodyText.length <= 100 && !bodyText.includes('\n') && isHeadingLine(bodyText))
    )
      style = 'paren-num';
    const isItem = style !== null && style !== 'section';
    let leadIn: Span[] = [];
    if (isItem) {
      const at = listStack.findIndex((l) => l.style === style);
      if (at >= 0) listStack = listStack.slice(0, at + 1);
      else listStack.push({ style: style!, leadIn: null, last: '' });
      listStack[listStack.length - 1].last = marker!.replace(/^\(|[.)]$/g, '').replace(/\)$/, '');
      leadIn = [paragraphLeadIn, ...listStack.slice(0, -1).map((l) => l.leadIn)].filter((s): s is Span => s !== null);
    } else {
      listStack = [];
      paragraphLeadIn = null;
    }

    // A block that is only a heading with a section number: "9. DATA PROTECTION".
    const bodyOneLine = body.end - body.start <= 100 && !text.slice(body.start, body.end).includes('\n');
    if (marker && !isItem && bodyOneLine && (isHeadingLine(bodyText) || isShortTitle(bodyText))) {
      heading = text.slice(body.start, body.end).trim();
      headingSpan = { start: body.start, end: body.end };
      section = heading;
      units.push({ kind: 'heading', start: body.start, end: body.end, block: bi, marker, leadIn: [], heading, headingSpan, section });
      return;
    }

    const sentences = splitSentences(text, body.start, body.end);
    sentences.forEach((s, si) => {
      const sText = text.slice(s.start, s.end);
      let kind: UnitKind = isItem ? 'item' : 'sentence';
      if (isRunInHeading(text, s, si === 0, sentences.length > 1)) {
        heading = sText.replace(/[.:]$/, '').trim();
        headingSpan = s;
        kind = 'heading';
      } else if (DEFINITION.test(sText)) {
        kind = 'definition';
      }
      const unitLeadIn = [...leadIn];
      // "Such notice shall be given within 48 hours": the sentences before it say what "such" is.
      if (kind !== 'heading' && si > 0 && ANAPHOR.test(sText)) unitLeadIn.push(...sentences.slice(Math.max(0, si - 2), si));
      units.push({ kind, start: s.start, end: s.end, block: bi, marker, leadIn: unitLeadIn, heading, headingSpan, section });
    });

    const last = sentences[sentences.length - 1];
    const lastText = last ? text.slice(last.start, last.end) : '';
    // (only the end of the sentence is tested: an anchored pattern on a long sentence is slow)
    const introduces = last !== undefined && LEAD_IN_END.test(lastText.slice(-24));
    if (isItem) listStack[listStack.length - 1].leadIn = introduces ? last : null;
    else paragraphLeadIn = introduces ? last : null;
  });
  return units;
}

function skipSpace(text: string, start: number, end: number): Span {
  while (start < end && /[\s\uFEFF]/.test(text[start])) start++;
  while (end > start && /\s/.test(text[end - 1])) end--;
  return { start, end };
}
