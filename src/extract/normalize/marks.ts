import { DURATION_SRC } from './durations';
import { MONEY_SRC } from './money';

/**
 * Rules test their patterns against a copy of the unit's text in which every
 * duration and amount of money the normalizers recognise is wrapped in marker
 * characters. In rule patterns {duration} and {money} then only have to find
 * the markers instead of re-parsing number words at every position, which is
 * most of the cost of matching. The markers are Unicode spaces, so `\s` and a
 * space in a pattern still match across them, and the words inside stay as
 * they were ("72 hours" still matches /\d+ hours/). Offsets and field values
 * come from the original text, never from this copy.
 */
export const DURATION_OPEN = '\u2008';
export const DURATION_CLOSE = '\u2009';
export const MONEY_OPEN = '\u2004';
export const MONEY_CLOSE = '\u2005';

/** What {duration} and {money} mean in match patterns. */
export const MARKED_DURATION_SRC = `${DURATION_OPEN}[^${DURATION_OPEN}${DURATION_CLOSE}]*${DURATION_CLOSE}`;
export const MARKED_MONEY_SRC = `${MONEY_OPEN}[^${MONEY_OPEN}${MONEY_CLOSE}]*${MONEY_CLOSE}`;

const unnamed = (src: string) => src.replace(/\(\?<([A-Za-z]\w*)>/g, '(?:');
const DURATION_SPAN = new RegExp(unnamed(DURATION_SRC), 'gi');
const MONEY_SPAN = new RegExp(unnamed(MONEY_SRC), 'g');

const MARKS = new RegExp(`[${DURATION_OPEN}${DURATION_CLOSE}${MONEY_OPEN}${MONEY_CLOSE}]`, 'g');

export function markValues(text: string): string {
  const clean = text.replace(MARKS, ' ');
  // Only where the values are is needed here, not what they are: no parsing.
  const spans: { start: number; end: number; open: string; close: string }[] = [];
  for (const m of clean.matchAll(DURATION_SPAN)) spans.push({ start: m.index, end: m.index + m[0].length, open: DURATION_OPEN, close: DURATION_CLOSE });
  for (const m of clean.matchAll(MONEY_SPAN)) spans.push({ start: m.index, end: m.index + m[0].length, open: MONEY_OPEN, close: MONEY_CLOSE });
  spans.sort((a, b) => a.start - b.start);
  if (spans.length === 0) return clean;
  let out = '';
  let at = 0;
  for (const s of spans) {
    if (s.start < at) continue; // overlaps the one before
    out += clean.slice(at, s.start) + s.open + clean.slice(s.start, s.end) + s.close;
    at = s.end;
  }
  return out + clean.slice(at);
}

interface ValueSpan {
  start: number;
  end: number;
  open: string;
  close: string;
}

/**
 * The value spans of a whole document, found once, so each unit's marked text
 * is assembled from them instead of scanning the unit (and its lead-in, again
 * for every item of a list) anew.
 */
export class ValueMarks {
  private readonly spans: ValueSpan[] = [];

  constructor(private readonly text: string) {
    for (const m of text.matchAll(DURATION_SPAN)) this.spans.push({ start: m.index, end: m.index + m[0].length, open: DURATION_OPEN, close: DURATION_CLOSE });
    for (const m of text.matchAll(MONEY_SPAN)) this.spans.push({ start: m.index, end: m.index + m[0].length, open: MONEY_OPEN, close: MONEY_CLOSE });
    this.spans.sort((a, b) => a.start - b.start);
  }

  /** text.slice(start, end) with the values inside it marked. */
  marked(start: number, end: number): string {
    let lo = 0;
    let hi = this.spans.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.spans[mid].start < start) lo = mid + 1;
      else hi = mid;
    }
    let out = '';
    let at = start;
    for (let i = lo; i < this.spans.length && this.spans[i].start < end; i++) {
      const s = this.spans[i];
      if (s.end > end || s.start < at) continue;
      out += this.text.slice(at, s.start).replace(MARKS, ' ') + s.open + this.text.slice(s.start, s.end) + s.close;
      at = s.end;
    }
    return out + this.text.slice(at, end).replace(MARKS, ' ');
  }
}
