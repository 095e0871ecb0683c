import { type CompiledField } from './compile-rules';
import { analyseCap } from './normalize/cap';
import { findDurations } from './normalize/durations';
import { findLookbackMonths } from './normalize/lookback';
import { findMoney } from './normalize/money';
import { findMultiples } from './normalize/multiples';
import { NUMBER_SRC, parseNumber } from './normalize/numbers';
import { parseParties, resolveParty, type PartyContext } from './parties';

/**
 * The extractors a rule's `fields` entries name. Each reads the unit's text
 * (with its lead-in) and returns one value per field it sets, null where the
 * text does not say.
 */
export type FieldValue = string | number | boolean | string[] | Record<string, unknown> | Record<string, unknown>[] | null;

interface Positioned {
  start: number;
  end: number;
}

/** How far (in characters) a value may sit from the words that anchor it. */
const ANCHOR_WINDOW = 45;

function eachMatch(re: RegExp, text: string): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push(m);
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

/** The first item that follows an `after` anchor (or precedes a `before` anchor) closely; the first item when unanchored. */
export function anchored<T extends Positioned>(text: string, items: T[], after: RegExp | null, before: RegExp | null): T | null {
  if (items.length === 0) return null;
  if (!after && !before) return items[0];
  const candidates: { item: T; at: number }[] = [];
  if (after) {
    for (const a of eachMatch(after, text)) {
      const end = a.index + a[0].length;
      const item = items.find((it) => it.start >= end && it.start - end <= ANCHOR_WINDOW && !/[.;]\s/.test(text.slice(end, it.start)));
      if (item) candidates.push({ item, at: a.index });
    }
  }
  if (before) {
    for (const b of eachMatch(before, text)) {
      const preceding = items.filter((it) => it.end <= b.index && b.index - it.end <= ANCHOR_WINDOW && !/[.;]\s/.test(text.slice(it.end, b.index)));
      if (preceding.length) candidates.push({ item: preceding[preceding.length - 1], at: b.index });
    }
  }
  candidates.sort((x, y) => x.at - y.at);
  return candidates[0]?.item ?? null;
}

const NUMBER_RE = new RegExp(NUMBER_SRC.replace(/\(\?<([A-Za-z]\w*)>/g, '(?:'), 'gi');
const PERCENT_RE = new RegExp(`(${NUMBER_SRC.replace(/\(\?<([A-Za-z]\w*)>/g, '(?:')})\\s*(?:%|per\\s?cent\\b|percent\\b)`, 'gi');

function numbersIn(text: string): (Positioned & { value: number })[] {
  return eachMatch(NUMBER_RE, text)
    .map((m) => ({ start: m.index, end: m.index + m[0].length, value: parseNumber(m[0]) }))
    .filter((n): n is Positioned & { value: number } => n.value !== null);
}

const DECIMAL_COMMA_PERCENT = /(\d{1,3}),(\d{1,3})\s*(?:%|per\s?cent\b|percent\b)/gi;

function percentsIn(text: string): (Positioned & { value: number })[] {
  // "99,8 %": a decimal comma, as much of Europe writes it
  const continental = eachMatch(DECIMAL_COMMA_PERCENT, text).map((m) => ({ start: m.index, end: m.index + m[0].length, value: Number(`${m[1]}.${m[2]}`) }));
  if (continental.length) return continental;
  return eachMatch(PERCENT_RE, text)
    .map((m) => {
      const paren = /\(\s*(\d+(?:\.\d+)?)\s*%?\s*\)/.exec(m[0]);
      return { start: m.index, end: m.index + m[0].length, value: paren ? Number(paren[1]) : parseNumber(m[1]) };
    })
    .filter((n): n is Positioned & { value: number } => n.value !== null);
}

/** The party term right before an anchor ("Supplier shall notify") or right after it ("notify the Customer"). */
function findParty(text: string, ctx: PartyContext, after: RegExp | null, before: RegExp | null): string | null {
  if (before) {
    const tail = ctx.tail;
    for (const b of eachMatch(before, text)) {
      const pre = text.slice(Math.max(0, b.index - 160), b.index);
      const m = tail.exec(pre);
      if (m) {
        const p = resolveParty(ctx, m[1]);
        if (p) return p;
      }
    }
  }
  if (after) {
    const head = ctx.head;
    for (const a of eachMatch(after, text)) {
      const m = head.exec(text.slice(a.index + a[0].length, a.index + a[0].length + 120));
      if (m) {
        const p = resolveParty(ctx, m[1]);
        if (p) return p;
      }
    }
  }
  return null;
}

const JURISDICTION_STOP =
  /\s*(?:[,;.(]|\band federal\b|\bwithout\b|\bexcluding\b|\bexclusive\b|\bexcept\b|\bnotwithstanding\b|\bregardless\b|\bapplicable\b|\bas applied\b|\bas in effect\b|\bshall\b|\bwill\b|\band the\b|\band any\b|\band each\b|\bwhich\b|\bthat\b|\bin all\b|\bin every\b|\bfor all\b|\bto the\b|\bother than\b|\bapart from\b|$)/i;

/** "the laws of the State of New York, without regard to..." -> "New York". */
export function cleanJurisdiction(raw: string): string | null {
  let s = raw.replace(/\s+/g, ' ').trim();
  const stop = JURISDICTION_STOP.exec(s);
  if (stop) s = s.slice(0, stop.index);
  // "Florida and applicable federal law": "and" before a lower-case word ends it; "England and Wales" stays
  const andLower = /\s+(?:and|or)\s+(?=[a-z])/.exec(s);
  if (andLower) s = s.slice(0, andLower.index);
  s = s
    .replace(/^(?:the\s+)?(?:substantive\s+|internal\s+)?laws?\s+(?:of|in)\s+/i, '')
    .replace(/^(?:the\s+)?(?:State|Commonwealth|Province|Republic|Kingdom|Federal Republic|Canton|Territory)\s+of\s+/i, '')
    .replace(/^the\s+/i, '')
    .replace(/\s*&\s*/g, ' and ')
    .trim();
  if (!/^[A-Z]/.test(s) || s.length > 60) return null;
  return s;
}

function jurisdictionAfter(text: string, after: RegExp | null): string | null {
  const anchors = after ? eachMatch(after, text) : [];
  for (const a of anchors) {
    const got = cleanJurisdiction(text.slice(a.index + a[0].length, a.index + a[0].length + 160));
    if (got) return got;
  }
  return null;
}

export interface ExtractContext {
  parties: PartyContext;
  /** The unit's own text, without its lead-in. */
  unitText: string;
  /** For a unit with a lead-in: its own text as the extractors read it (spaces folded, section titles written in). */
  ownText?: string;
  /** For a table row: the table's header row. */
  headerRow: string | null;
  /** Values already read for this unit by identical field entries of other rules. */
  fieldMemo?: Map<CompiledField, FieldValue[]>;
}

const cellsOf = (row: string) => row.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim());

/** The value in the column whose header matches, read as the kind asked for. */
function cellValue(field: CompiledField, ctx: ExtractContext): FieldValue {
  if (!ctx.headerRow) return null;
  const headers = cellsOf(ctx.headerRow);
  const col = headers.findIndex((h) => field.header!.test(h));
  if (col < 0) return null;
  const cell = cellsOf(ctx.unitText)[col];
  if (cell === undefined || cell === '') return null;
  switch (field.spec.cell!.as) {
    case 'period': {
      const d = findDurations(cell)[0];
      return d ? { duration: d.duration, unit: d.unit } : null;
    }
    case 'number':
      return numbersIn(cell)[0]?.value ?? null;
    case 'percent':
      return percentsIn(cell)[0]?.value ?? numbersIn(cell)[0]?.value ?? null;
    case 'string':
      return cell.replace(/\s+/g, ' ');
  }
}

/** Runs one `fields` entry on `text`; returns one value per name in `set`. */
export function runExtractor(field: CompiledField, text: string, ctx: ExtractContext): FieldValue[] {
  const nulls = field.set.map(() => null);
  switch (field.kind) {
    case 'duration': {
      const d = anchored(text, findDurations(text), field.after, field.before);
      return d ? [d.duration, d.unit] : nulls;
    }
    case 'period': {
      const d = anchored(text, findDurations(text), field.after, field.before);
      return [d ? { duration: d.duration, unit: d.unit } : null];
    }
    case 'number': {
      const n = anchored(text, numbersIn(text), field.after, field.before);
      return [n ? n.value : null];
    }
    case 'percent': {
      const n = anchored(text, percentsIn(text), field.after, field.before);
      return [n ? n.value : null];
    }
    case 'money': {
      const m = anchored(text, findMoney(text), field.after, field.before);
      return m ? [m.amount, m.currency] : nulls;
    }
    case 'multiple': {
      const m = anchored(text, findMultiples(text), field.after, field.before);
      return [m ? m.multiple : null];
    }
    case 'lookback':
      return [findLookbackMonths(text)];
    case 'cap': {
      let scope = text;
      if (field.after) {
        const a = eachMatch(field.after, text)[0];
        if (!a) return field.set.length === 1 ? [null] : nulls;
        scope = text.slice(a.index + a[0].length);
      }
      const cap = analyseCap(scope);
      if (field.set.length === 1) return [cap.kind === null ? null : { ...cap }];
      return [cap.kind, cap.multiple, cap.lookback_months, cap.amount, cap.currency];
    }
    case 'first': {
      let best: { value: string; at: number } | null = null;
      for (const [value, re] of field.values) {
        const m = re.exec(text);
        if (m && (best === null || m.index < best.at)) best = { value, at: m.index };
      }
      return [best ? best.value : null];
    }
    case 'pick': {
      for (const [value, re] of field.values) if (re.test(text)) return [value];
      return [null];
    }
    case 'all': {
      const found: { value: string; at: number }[] = [];
      for (const [value, re] of field.values) {
        const m = re.exec(text);
        if (m) found.push({ value, at: m.index });
      }
      found.sort((a, b) => a.at - b.at);
      return [found.length ? found.map((f) => f.value) : null];
    }
    case 'flag': {
      if (field.flagFalse && field.flagFalse.test(text)) return [false];
      if (field.flagTrue && field.flagTrue.test(text)) return [true];
      return [null];
    }
    case 'party':
      return [findParty(text, ctx.parties, field.after, field.before)];
    case 'capture': {
      const m = field.capture!.exec(text);
      const v = m?.groups?.value?.replace(/\s+/g, ' ').trim();
      return [v ? v : null];
    }
    case 'jurisdiction':
      return [jurisdictionAfter(text, field.after)];
    case 'parties': {
      const list = parseParties(text);
      return [list.length ? list : null];
    }
    case 'cell':
      return [cellValue(field, ctx)];
    case 'const':
      return [field.constant];
  }
}
