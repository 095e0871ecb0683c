/**
 * Sentence boundaries in contract prose. A full stop ends a sentence only when
 * the next word starts with a capital (or a quote or bracket and a capital) and
 * the word before it is not an abbreviation lawyers use mid-sentence:
 * "Sec. 9.2(b)", "i.e.", "U.S.", "Inc.", "Art. 28(3)", "No. 5".
 */
const ABBREVIATIONS = new Set(
  [
    'inc', 'ltd', 'llc', 'l.l.c', 'corp', 'co', 'plc', 'pty', 'pte', 'pvt', 'bhd', 'sdn', 'l.p', 'llp', 'n.a', 's.a', 'b.v', 'n.v', 's.a.r.l', 'ag',
    'no', 'nos', 'art', 'arts', 'sec', 'secs', 'sect', 'para', 'paras', 'cl', 'ch', 'pp', 'p', 'vol', 'fig', 'sch', 'pt',
    'e.g', 'i.e', 'viz', 'cf', 'vs', 'v', 'u.s', 'u.k', 'e.u', 'u.s.a', 'u.s.c', 'c.f.r', 'n.y', 'd.c', 'mr', 'mrs', 'ms',
    'dr', 'st', 'jr', 'sr', 'approx', 'incl', 'excl', 'min', 'max', 'dept', 'est', 'jan', 'feb', 'mar', 'apr', 'jun',
    'jul', 'aug', 'sep', 'sept', 'oct', 'nov', 'dec', 'a.m', 'p.m', 'reg', 'regs', 'ref', 'attn', 'tel', 'al', 'seq',
    'ed', 'govt', 'dir', 'rev', 'subs', 'subsec', 'ibid', 'id', 'resp', 'mo', 'yr', 'hr', 'hrs', 'wk', 'wks',
  ].map((a) => a.toLowerCase()),
);

export interface Span {
  start: number;
  end: number;
}

const isSpace = (c: string) => c === ' ' || c === '\n' || c === '\t' || c === '\r' || c === '\f' || c === '\u00a0' || c === '\uFEFF';
const isUpper = (c: string) => c >= 'A' && c <= 'Z';

/** Word (letters and inner dots) ending just before position `dot`. */
function wordBefore(text: string, dot: number, floor: number): string {
  let i = dot;
  while (i > floor && /[A-Za-z.]/.test(text[i - 1])) i--;
  return text.slice(i, dot);
}

/** Sentences of text[start, end), trimmed of surrounding white space. */
export function splitSentences(text: string, start: number, end: number): Span[] {
  const spans: Span[] = [];
  let sentStart = start;
  for (let i = start; i < end; i++) {
    const c = text[i];
    if (c !== '.' && c !== '?' && c !== '!') continue;
    // closing quotes / brackets may follow the stop
    let j = i + 1;
    while (j < end && /["”’')\]]/.test(text[j])) j++;
    if (j >= end) break;
    if (!isSpace(text[j])) continue;
    let k = j;
    while (k < end && isSpace(text[k])) k++;
    if (k >= end) break;
    let next = text[k];
    if (next === '"' || next === '“' || next === '(' || next === '[' || next === '‘' || next === "'") next = text[k + 1] ?? '';
    if (!isUpper(next)) continue;
    if (c === '.') {
      const word = wordBefore(text, i, sentStart).toLowerCase();
      if (ABBREVIATIONS.has(word.replace(/^\.+/, ''))) continue;
    }
    pushTrimmed(text, sentStart, j, spans);
    sentStart = k;
    i = k - 1;
  }
  pushTrimmed(text, sentStart, end, spans);
  return spans;
}

/**
 * The longest unit handed to the rules, in characters. The longest sentence in
 * the fixtures is about 1,000 characters; a "sentence" of megabytes (a file
 * that is one line without full stops) is not prose, and the rules' work on a
 * unit grows faster than its length, so such a run is read in pieces.
 */
export const MAX_SENTENCE_CHARS = 10_000;

function pushTrimmed(text: string, start: number, end: number, out: Span[]): void {
  while (start < end && isSpace(text[start])) start++;
  while (end > start && isSpace(text[end - 1])) end--;
  while (end - start > MAX_SENTENCE_CHARS) {
    const cut = pieceEnd(text, start);
    pushTrimmed(text, start, cut, out);
    start = cut;
    while (start < end && isSpace(text[start])) start++;
  }
  if (end > start) out.push({ start, end });
}

/** Where a piece of an over-long run starting at `start` ends: after the last ";" or "," (else white space) in its second half. */
function pieceEnd(text: string, start: number): number {
  const limit = start + MAX_SENTENCE_CHARS;
  const half = start + MAX_SENTENCE_CHARS / 2;
  let space = -1;
  for (let i = limit; i > half; i--) {
    if (!isSpace(text[i])) continue;
    if (text[i - 1] === ';' || text[i - 1] === ',') return i;
    if (space < 0) space = i;
  }
  if (space > 0) return space;
  // no white space at all: cut anywhere, but not inside a surrogate pair
  const code = text.charCodeAt(limit - 1);
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
}
