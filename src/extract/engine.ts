import { pageAt, type TextDocument } from '../ingest/text-document';
import { type CompiledField, type CompiledRule, type Ruleset } from './compile-rules';
import { runExtractor, type ExtractContext, type FieldValue } from './field-extractors';
import { scanKeywords, typesInSpans } from './keywords';
import { ValueMarks } from './normalize/marks';
import { buildPartyContext } from './parties';
import { segment, type Unit } from './segment';

/** A clause found in a document: `text === document.text.slice(start, end)`. */
export interface Clause {
  type: string;
  ruleId: string;
  start: number;
  end: number;
  page: number;
  text: string;
  fields: Record<string, FieldValue>;
  confidence: number;
}

interface Candidate {
  rule: CompiledRule;
  unit: Unit;
  unitIndex: number;
  fields: Record<string, FieldValue>;
  filled: number;
  settable: number;
}

/** The text a rule sees for a unit: its lead-in (if any) followed by the unit itself. */
/**
 * Line breaks and runs of spaces mean nothing to a rule: hard-wrapped text and
 * the same text from a PDF must read alike, and a pattern's `[ ,]` must match
 * where the source had a line break. (The value markers, Unicode spaces of
 * their own, are kept.)
 */
const foldSpace = (s: string) => s.replace(/[ \t\r\n\f\v\u00a0\u202f\uFEFF]+/g, ' ');

function contextText(text: string, unit: Unit): string {
  if (unit.leadIn.length === 0) return foldSpace(text.slice(unit.start, unit.end));
  const lead = unit.leadIn.map((s) => text.slice(s.start, s.end).replace(/[:\s—–-]+$/, '')).join(' ');
  return foldSpace(`${lead} ${text.slice(unit.start, unit.end)}`);
}

/** The unit's context (as contextText) with its durations and amounts marked for matching. */
function markedContext(marks: ValueMarks, unit: Unit): string {
  const own = marks.marked(unit.start, unit.end);
  if (unit.leadIn.length === 0) return foldSpace(own);
  return foldSpace(`${unit.leadIn.map((s) => marks.marked(s.start, s.end).replace(/[:\s—–-]+$/, '')).join(' ')} ${own}`);
}

function nearOk(text: string, [a, b, n]: [RegExp, RegExp, number]): boolean {
  const positions = (re: RegExp) => {
    const out: [number, number][] = [];
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      out.push([m.index, m.index + m[0].length]);
      if (m[0].length === 0) re.lastIndex++;
    }
    return out;
  };
  const pa = positions(a);
  if (pa.length === 0) return false;
  const pb = positions(b);
  return pa.some(([s1, e1]) => pb.some(([s2, e2]) => Math.max(s1, s2) - Math.min(e1, e2) <= n));
}

/** A pattern's answer for the unit being read, shared by every rule that uses the same pattern. */
type Memo = Map<RegExp, boolean>;

function tested(re: RegExp, text: string, memo: Memo): boolean {
  let v = memo.get(re);
  if (v === undefined) {
    v = re.test(text);
    memo.set(re, v);
  }
  return v;
}

/** Does the rule fire on this unit? */
export function ruleMatches(rule: CompiledRule, unit: Unit, ctxText: string, memo: Memo = new Map()): boolean {
  if (!rule.scope.has(unit.kind)) return false;
  for (const re of rule.all) if (!tested(re, ctxText, memo)) return false;
  if (rule.any.length > 0 && !rule.any.some((re) => tested(re, ctxText, memo))) return false;
  for (const re of rule.none) if (tested(re, ctxText, memo)) return false;
  for (const near of rule.near) if (!nearOk(ctxText, near)) return false;
  // (the heading above the unit, or the section heading above a run-in sub-heading)
  if (
    rule.context.length > 0 &&
    !rule.context.some(
      (re) =>
        tested(re, ctxText, memo) ||
        (unit.heading !== null && re.test(unit.heading.toLowerCase())) ||
        (unit.section !== null && unit.section !== unit.heading && re.test(unit.section.toLowerCase())),
    )
  )
    return false;
  return true;
}

/** Extractors of values (not of parties or table cells) that read a sub-clause before its lead-in. */
const OWN_FIRST = new Set(['duration', 'period', 'number', 'percent', 'money', 'multiple', 'first', 'pick', 'all', 'flag', 'capture', 'cap', 'lookback']);
const nullsOf = (f: CompiledField): FieldValue[] => f.set.map(() => null);

function extractFields(rule: CompiledRule, ctxText: string, ctx: ExtractContext, ctxCore: (r: CompiledRule) => string[]) {
  const fields: Record<string, FieldValue> = {};
  const names = new Set<string>();
  for (const f of rule.fields) {
    f.set.forEach((n) => names.add(n));
    // A later entry for the same field is a fallback: it only fills what is still empty.
    if (f.set.every((n) => fields[n] !== undefined && fields[n] !== null)) continue;
    let values = ctx.fieldMemo?.get(f);
    if (values === undefined) {
      // A sub-clause's own words say more than its lead-in: read a value there first,
      // and only look in the lead-in when the sub-clause does not state it.
      values = ctx.ownText !== undefined && OWN_FIRST.has(f.kind) ? runExtractor(f, ctx.ownText, ctx) : nullsOf(f);
      if (values.every((v) => v === null)) values = runExtractor(f, ctxText, ctx);
      ctx.fieldMemo?.set(f, values);
    }
    const anyValue = values.some((v) => v !== null);
    if (!anyValue) continue;
    f.set.forEach((n, i) => {
      if (fields[n] === undefined || fields[n] === null) fields[n] = values[i];
    });
  }
  const core = new Set(ctxCore(rule));
  const coreNames = [...names].filter((n) => core.has(n));
  const filled = coreNames.filter((n) => fields[n] !== undefined && fields[n] !== null).length;
  return { fields, filled, settable: coreNames.length };
}

function confidenceOf(c: Candidate): number {
  // only the type's core fields count: an optional field a rule looks for and does not find is no doubt about the clause
  const completeness = c.settable === 0 ? 1 : c.filled / c.settable;
  return Math.round(c.rule.confidence * (0.75 + 0.25 * completeness) * 100) / 100;
}

/** The fields of a clause: every core field of its type (null when absent) and any other field found. */
function outputFields(ruleset: Ruleset, type: string, fields: Record<string, FieldValue>): Record<string, FieldValue> {
  const def = ruleset.catalogue.types[type];
  const out: Record<string, FieldValue> = {};
  for (const name of def.core) out[name] = fields[name] ?? null;
  for (const name of Object.keys(def.fields)) {
    if (!(name in out) && fields[name] !== undefined && fields[name] !== null) out[name] = fields[name];
  }
  return out;
}

/** "4." / "Section 4" / "ARTICLE 4" -> "4": how a section is referred to. */
function sectionNumber(marker: string): string | null {
  const m = /(\d{1,3}(?:\.\d{1,3})*)/.exec(marker);
  return m ? m[1] : null;
}

/** Section number -> its heading, from the headings that carry a number ("4. CONFIDENTIALITY", "9.2 Security Incidents."). */
function titlesOfSections(text: string, units: Unit[]): Map<string, string> {
  const titles = new Map<string, string>();
  for (const u of units) {
    if (u.kind !== 'heading' || !u.marker) continue;
    const n = sectionNumber(u.marker);
    if (n && !titles.has(n)) titles.set(n, text.slice(u.start, u.end).replace(/[.:]$/, '').trim());
  }
  return titles;
}

/** "Section 4", "Sections 7 or 8", "clauses 11.3 and 11.4" */
const SECTION_REF_AND_MORE = /\b(?:sections?|clauses?|articles?|paragraphs?)\s+\d{1,3}(?:\.\d{1,3})*(?:\s*(?:,|or|and|to)\s*\d{1,3}(?:\.\d{1,3})*)*/gi;

/**
 * "breach of Section 4" says nothing about what Section 4 is; its heading does
 * ("Confidentiality"). The text the field extractors read (not the text rules
 * match on) gets the title of each referred section written in after the
 * reference, "Section 4 [Confidentiality]", so a carve-out of "Section 4"
 * reads as a carve-out of confidentiality, in its place in the list.
 */
function withReferencedTitles(ctxText: string, titles: Map<string, string>): string {
  if (titles.size === 0) return ctxText;
  return ctxText.replace(SECTION_REF_AND_MORE, (whole: string) => {
    const names = [...whole.matchAll(/\d{1,3}(?:\.\d{1,3})*/g)]
      // only a section with its own heading: "clause 10.1" is not all of "10. Liability and Indemnity"
      .map((n) => titles.get(n[0]))
      .filter((t): t is string => t !== undefined);
    return names.length ? `${whole} [${[...new Set(names)].join('; ')}]` : whole;
  });
}

/** Inline list markers: "(a)", "(ii)", "(3)" after a colon, semicolon, comma or "and"/"or", or at the start. */
const INLINE_MARKER = /(?:^|[\s:;,])\(([a-z]|[ivx]{1,5}|\d{1,2})\)\s+/g;

/**
 * The inline sub-clauses of a sentence ("(a) ...; (b) ...; and (c) ..."), for
 * clause types whose every item is a clause of its own (split_inline in the
 * catalogue). Each is a unit of its own, read with the words before the first
 * item as its lead-in. Needs two or more items lettered or numbered in order.
 */
function inlineItems(text: string, unit: Unit): Unit[] {
  const own = text.slice(unit.start, unit.end);
  const marks: { label: string; at: number; body: number }[] = [];
  for (const m of own.matchAll(INLINE_MARKER)) {
    const open = m.index + m[0].indexOf('(');
    marks.push({ label: m[1], at: open, body: m.index + m[0].length });
  }
  // "(a) one (1) hour": keep the markers of the first one's kind (letters, roman numerals or digits)
  const kind = (l: string) => (/^\d+$/.test(l) ? 'digit' : /^(?:ii|iii|iv|vi|vii|viii|ix)$/.test(l) ? 'roman' : 'letter');
  const firstKind = marks.length ? (marks[0].label === 'i' && marks[1]?.label === 'ii' ? 'roman' : kind(marks[0].label)) : 'letter';
  const sameKind = marks.filter((m) => (firstKind === 'roman' ? m.label === 'i' || kind(m.label) === 'roman' : kind(m.label) === firstKind));
  marks.length = 0;
  marks.push(...sameKind);
  if (marks.length < 2) return [];
  const ROMAN = ['i', 'ii', 'iii', 'iv', 'v', 'vi', 'vii', 'viii', 'ix', 'x'];
  const seq = (l: string) => (/^\d+$/.test(l) ? Number(l) : firstKind === 'roman' ? ROMAN.indexOf(l) + 1 : l.charCodeAt(0) - 96);
  if (seq(marks[0].label) !== 1 || marks.some((m, i) => i > 0 && seq(m.label) !== seq(marks[i - 1].label) + 1)) return [];
  const lead = { start: unit.start, end: unit.start + marks[0].at };
  return marks.map((m, i) => {
    let end = i + 1 < marks.length ? unit.start + marks[i + 1].at : unit.end;
    let start = unit.start + m.body;
    // trim the joining words and punctuation that end one item before the next
    while (end > start && /[\s;,]/.test(text[end - 1])) end--;
    const tail = /(?:\s+(?:and|or))$/i.exec(text.slice(start, end));
    if (tail) end -= tail[0].length;
    while (end > start && /[\s;,]/.test(text[end - 1])) end--;
    while (start < end && /\s/.test(text[start])) start++;
    return { ...unit, kind: 'item' as const, start, end, marker: `(${m.label})`, leadIn: [...unit.leadIn, lead] };
  });
}

/**
 * The parts of a unit for a split_inline type: its lettered inline items, or,
 * without letters, the pieces between the type's `split_at` separators
 * ("professional indemnity insurance of £2m, public liability insurance of £5m
 * and ..."), the first piece being the lead-in of the others.
 */
function splitUnit(text: string, unit: Unit, splitAt: RegExp | null): Unit[] {
  const items = inlineItems(text, unit);
  if (items.length > 0 || splitAt === null) return items;
  const own = text.slice(unit.start, unit.end);
  // a cut only after a piece that states a value ("... of £2,000,000 for each claim, public liability ..."):
  // "cyber liability and network security insurance" is one coverage, not two
  const cuts: { at: number; next: number }[] = [];
  let last = 0;
  for (const m of own.matchAll(splitAt)) {
    if (!/\d/.test(own.slice(last, m.index))) continue;
    cuts.push({ at: m.index, next: m.index + m[0].length });
    last = m.index + m[0].length;
  }
  if (cuts.length === 0) return [];
  const pieces: { start: number; end: number }[] = [];
  let from = 0;
  for (const c of cuts) {
    pieces.push({ start: from, end: c.at });
    from = c.next;
  }
  pieces.push({ start: from, end: own.length });
  const first = { start: unit.start + pieces[0].start, end: unit.start + pieces[0].end };
  return pieces.map((p, i) => {
    let start = unit.start + p.start;
    let end = unit.start + p.end;
    while (start < end && /\s/.test(text[start])) start++;
    while (end > start && /[\s;,]/.test(text[end - 1])) end--;
    return { ...unit, kind: 'item' as const, start, end, leadIn: i === 0 ? unit.leadIn : [...unit.leadIn, first] };
  });
}

/** How far back (in characters) a clause may inherit parties from an earlier clause of its type. */
const INHERIT_WINDOW = 3000;

/**
 * Follow-up sentences rarely repeat who is who: "The notice shall describe the
 * nature of the breach" inherits its notifier and recipient from the notice
 * clause before it in the same section. Which fields are inherited is data
 * (`inherit` in rules/clause-types.yaml).
 */
function inheritFields(ruleset: Ruleset, clauses: Clause[], headingOf: Map<Clause, string | null>): void {
  const last = new Map<string, Clause>();
  for (const c of clauses) {
    const names = ruleset.catalogue.types[c.type].inherit;
    if (names.length === 0) continue;
    const prev = last.get(c.type);
    if (prev && headingOf.get(prev) === headingOf.get(c) && c.start - prev.end <= INHERIT_WINDOW) {
      for (const n of names) if ((c.fields[n] ?? null) === null && (prev.fields[n] ?? null) !== null) c.fields[n] = prev.fields[n];
    }
    last.set(c.type, c);
  }
}

/**
 * Items of one list (same lead-in) that are clauses of a type marked
 * `merge_items` become a single clause spanning them, list fields joined:
 * "made between: (1) Acme Ltd ("Supplier"); and (2) Beta plc ("Customer")".
 */
/** Only a connective between two blocks: "AND", "- and -". */
const CONNECTOR = /^[\s\-–—]*(?:and|or)[\s\-–—]*$/i;

function mergeListItems(ruleset: Ruleset, clauses: Clause[], unitOf: Map<Clause, Unit>, text: string, units: Unit[]): Clause[] {
  const out: Clause[] = [];
  // (the last clause of each type so far: looking it up by searching `out` was quadratic in the clause count)
  const lastOfType = new Map<string, Clause>();
  const unitsOfBlock = new Map<number, Unit[]>();
  for (const u of units) {
    const list = unitsOfBlock.get(u.block);
    if (list) list.push(u);
    else unitsOfBlock.set(u.block, [u]);
  }
  const unitsBetween = (fromBlock: number, toBlock: number): Unit[] => {
    const between: Unit[] = [];
    for (let b = fromBlock + 1; b < toBlock; b++) between.push(...(unitsOfBlock.get(b) ?? []));
    return between;
  };
  for (const c of clauses) {
    const unit = unitOf.get(c);
    const prev = lastOfType.get(c.type);
    const prevUnit = prev ? unitOf.get(prev) : undefined;
    // items of one list: the same lead-in, or (under a heading such as "PARTIES") no lead-in and next to each other
    const sameList =
      ruleset.catalogue.types[c.type].merge_items &&
      prev !== undefined &&
      unit?.kind === 'item' &&
      prevUnit?.kind === 'item' &&
      (unit.leadIn.length > 0 && prevUnit.leadIn.length > 0
        ? unit.leadIn[0].start === prevUnit.leadIn[0].start
        : unit.leadIn.length === 0 && prevUnit.leadIn.length === 0 && unit.block - prevUnit.block === 1 && unit.heading === prevUnit.heading);
    // "X ... of the ONE PART; AND Y ... of the OTHER PART": two paragraphs with only a connective between them
    const joined =
      !sameList &&
      ruleset.catalogue.types[c.type].merge_items &&
      prev !== undefined &&
      unit !== undefined &&
      prevUnit !== undefined &&
      unit.section === prevUnit.section &&
      unit.block - prevUnit.block <= 2 &&
      unitsBetween(prevUnit.block, unit.block).every((u) => CONNECTOR.test(text.slice(u.start, u.end)));
    if ((!sameList && !joined) || !prev) {
      out.push(c);
      lastOfType.set(c.type, c);
      continue;
    }
    for (const [k, v] of Object.entries(c.fields)) {
      const pv = prev.fields[k];
      if (Array.isArray(pv) && Array.isArray(v)) {
        const seen = new Set(pv.map((x) => JSON.stringify(x)));
        prev.fields[k] = [...pv, ...v.filter((x) => !seen.has(JSON.stringify(x)))] as FieldValue;
      } else if ((pv ?? null) === null) prev.fields[k] = v;
    }
    prev.end = c.end;
    prev.text = text.slice(prev.start, prev.end);
    prev.confidence = Math.max(prev.confidence, c.confidence);
  }
  return out;
}

/**
 * The two parties of the contract, by the roles its rules resolve mentions to:
 * from the parties clause when one was found, else from the terms the preamble
 * defines. Null when there are not exactly two.
 */
function twoParties(clauses: Clause[], parties: ReturnType<typeof buildPartyContext>): [string, string] | null {
  const listed = clauses.find((c) => c.type === 'parties' && Array.isArray(c.fields.parties))?.fields.parties as { role: string }[] | undefined;
  const roles = [...new Set((listed ?? []).map((p) => p.role))];
  if (roles.length === 2) return [roles[0], roles[1]];
  if (listed === undefined && parties.defined.length === 2) return [parties.defined[0], parties.defined[1]];
  return null;
}

function fillCounterparts(ruleset: Ruleset, clauses: Clause[], parties: ReturnType<typeof buildPartyContext>): void {
  const pair = twoParties(clauses, parties);
  if (!pair) return;
  const other = (p: unknown) => (p === pair[0] ? pair[1] : p === pair[1] ? pair[0] : null);
  for (const c of clauses) {
    for (const [a, b] of ruleset.catalogue.types[c.type].counterparts) {
      const va = c.fields[a] ?? null;
      const vb = c.fields[b] ?? null;
      if (va === null && vb !== null) c.fields[a] = other(vb);
      else if (vb === null && va !== null) c.fields[b] = other(va);
    }
  }
}

export interface ExtractOptions {
  /** Only run these rules (used by the rule examples test). */
  onlyRules?: ReadonlySet<string>;
}

/** Finds every clause the rules describe in a document. Pure and synchronous. */
export function extractClauses(doc: TextDocument, ruleset: Ruleset, options: ExtractOptions = {}): Clause[] {
  const { text } = doc;
  const units = segment(text);
  const parties = buildPartyContext(text, ruleset.vocabulary.party_terms);
  const found: { type: string; unit: Unit; unitIndex: number; best: Candidate; fields: Record<string, FieldValue>; confidence: number }[] = [];

  const headingRules = ruleset.rules.some((r) => r.scope.has('heading'));
  const coreOf = (r: CompiledRule) => ruleset.catalogue.types[r.type].core;
  const hits = scanKeywords(ruleset.keywords, text);
  const marks = new ValueMarks(text);
  const sectionTitles = titlesOfSections(text, units);
  const splitAt = new Map<string, RegExp>();
  for (const [type, def] of Object.entries(ruleset.catalogue.types)) if (def.split_at) splitAt.set(type, new RegExp(def.split_at, 'gi'));

  /** Runs the rules of `types` on one unit (or one inline sub-clause of it). */
  const readUnit = (unit: Unit, unitIndex: number, types: Iterable<string>) => {
    const matchText = markedContext(marks, unit).toLowerCase();
    let fieldText: string | undefined;
    let ownText: string | undefined;
    const memo: Memo = new Map();
    const fieldMemo = new Map<CompiledField, FieldValue[]>();
    for (const type of types) {
      const rules = ruleset.byType.get(type) ?? [];
      const candidates: Candidate[] = [];
      for (const rule of rules) {
        if (options.onlyRules && !options.onlyRules.has(rule.id)) continue;
        if (!ruleMatches(rule, unit, matchText, memo)) continue;
        const header = unit.kind === 'row' && unit.leadIn.length > 0 ? text.slice(unit.leadIn[0].start, unit.leadIn[0].end) : null;
        // (the text fields are read from is only built for units some rule matched)
        fieldText ??= withReferencedTitles(contextText(text, unit), sectionTitles);
        ownText ??= unit.leadIn.length > 0 ? withReferencedTitles(foldSpace(text.slice(unit.start, unit.end)), sectionTitles) : undefined;
        candidates.push({ rule, unit, unitIndex, ...extractFields(rule, fieldText, { parties, unitText: text.slice(unit.start, unit.end), ownText, headerRow: header, fieldMemo }, coreOf) });
      }
      if (candidates.length === 0) continue;
      // The most confident rule speaks for the clause; the others fill what it left empty.
      candidates.sort((a, b) => confidenceOf(b) - confidenceOf(a) || b.filled - a.filled);
      const merged: Record<string, FieldValue> = {};
      for (const c of candidates) {
        for (const [k, v] of Object.entries(c.fields)) if ((merged[k] === undefined || merged[k] === null) && v !== null) merged[k] = v;
      }
      found.push({ type, unit, unitIndex, best: candidates[0], fields: merged, confidence: confidenceOf(candidates[0]) });
    }
  };

  units.forEach((unit, unitIndex) => {
    if (unit.kind === 'heading' && !headingRules) return;
    const candidateTypes = typesInSpans(hits, unit.headingSpan ? [unit, ...unit.leadIn, unit.headingSpan] : [unit, ...unit.leadIn]);
    if (candidateTypes.size === 0) return;
    const whole: string[] = [];
    const split: string[] = [];
    for (const type of ruleset.byType.keys()) {
      if (!candidateTypes.has(type)) continue;
      (ruleset.catalogue.types[type].split_inline ? split : whole).push(type);
    }
    const parts = split.length > 0 ? splitUnit(text, unit, split.map((t) => splitAt.get(t)).find((re) => re !== undefined) ?? null) : [];
    readUnit(unit, unitIndex, parts.length > 0 ? whole : [...whole, ...split]);
    // "... maintain (a) professional liability insurance of $5M; (b) cyber insurance of $10M; and (c) ..."
    for (const part of parts) readUnit(part, -1, split);
  });

  // "Supplier shall notify Customer promptly. Such notice shall be given within 48 hours."
  // The second sentence continues the first: one clause spanning both.
  const clauses: Clause[] = [];
  const byKey = new Map<string, Clause>();
  const headingOf = new Map<Clause, string | null>();
  const unitOf = new Map<Clause, Unit>();
  // the first unit starting at each offset of each block, for finding a lead-in's own unit
  const unitAt = new Map<string, number>();
  units.forEach((u, i) => {
    const key = `${u.block}:${u.start}`;
    if (!unitAt.has(key)) unitAt.set(key, i);
  });
  for (const f of found) {
    const unit = f.unit;
    const start = unit.start;
    let fields = f.fields;
    let target: Clause | undefined;
    for (const lead of unit.leadIn) {
      const prevIndex = unitAt.get(`${unit.block}:${lead.start}`) ?? -1;
      if (prevIndex >= 0) target = byKey.get(`${f.type}@${prevIndex}`) ?? target;
    }
    if (target) {
      for (const [k, v] of Object.entries(fields)) if ((target.fields[k] === undefined || target.fields[k] === null) && v !== null) target.fields[k] = v;
      target.end = unit.end;
      target.text = text.slice(target.start, target.end);
      target.confidence = Math.max(target.confidence, f.confidence);
      if (f.unitIndex >= 0) byKey.set(`${f.type}@${f.unitIndex}`, target);
      continue;
    }
    fields = outputFields(ruleset, f.type, fields);
    const clause: Clause = {
      type: f.type,
      ruleId: f.best.rule.id,
      start,
      end: unit.end,
      page: pageAt(doc.pages, start),
      text: text.slice(start, unit.end),
      fields,
      confidence: f.confidence,
    };
    clauses.push(clause);
    headingOf.set(clause, unit.section);
    unitOf.set(clause, unit);
    if (f.unitIndex >= 0) byKey.set(`${f.type}@${f.unitIndex}`, clause);
  }
  for (const c of clauses) c.fields = outputFields(ruleset, c.type, c.fields);
  clauses.sort((a, b) => a.start - b.start || a.type.localeCompare(b.type));
  const merged = mergeListItems(ruleset, clauses, unitOf, text, units);
  inheritFields(ruleset, merged, headingOf);
  fillCounterparts(ruleset, merged, parties);
  return merged;
}
