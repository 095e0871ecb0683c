import { type TypeCatalogue } from './rule-schema';

/**
 * The cheap first pass that keeps the engine fast on long contracts: one scan
 * of the whole text for the word starts each clause type declares as its
 * `keywords` (rules/clause-types.yaml). A unit is only shown to the rules of a
 * type if one of that type's keywords occurs in it or in its lead-in. Rules run
 * dozens of regular expressions each; the scan runs one.
 */
export interface KeywordIndex {
  /** keyword scanner: one alternation of every stem, longest first */
  scanner: RegExp;
  /** matched text (lower-cased, white space folded) -> the types it is a keyword of */
  typesOf: Map<string, string[]>;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function buildKeywordIndex(catalogue: TypeCatalogue): KeywordIndex {
  const stems = new Map<string, Set<string>>();
  for (const [type, def] of Object.entries(catalogue.types)) {
    for (const k of def.keywords) {
      const stem = k.toLowerCase().replace(/\s+/g, ' ');
      if (!stems.has(stem)) stems.set(stem, new Set());
      stems.get(stem)!.add(type);
    }
  }
  // The scanner reports the longest stem at a position; a shorter stem that is a
  // prefix of it ("noti" of "notice") matches there too, so its types are added.
  const all = [...stems.keys()].sort((a, b) => b.length - a.length);
  const typesOf = new Map<string, string[]>();
  for (const stem of all) {
    const types = new Set<string>();
    for (const other of all) if (stem.startsWith(other)) stems.get(other)!.forEach((t) => types.add(t));
    typesOf.set(stem, [...types]);
  }
  const scanner = new RegExp(`\\b(?:${all.map((s) => escape(s).replace(/ /g, '\\s+').replace(/['’]/g, "['’]")).join('|')})`, 'gi');
  return { scanner, typesOf };
}

export interface KeywordHit {
  at: number;
  types: string[];
}

export function scanKeywords(index: KeywordIndex, text: string): KeywordHit[] {
  const hits: KeywordHit[] = [];
  const re = new RegExp(index.scanner);
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const key = m[0].toLowerCase().replace(/\s+/g, ' ').replace(/’/g, "'");
    hits.push({ at: m.index, types: index.typesOf.get(key) ?? [] });
  }
  return hits;
}

/** Types with a keyword hit inside any of the spans, given hits sorted by position. */
export function typesInSpans(hits: KeywordHit[], spans: { start: number; end: number }[]): Set<string> {
  const out = new Set<string>();
  for (const { start, end } of spans) {
    let lo = 0;
    let hi = hits.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (hits[mid].at < start) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo; i < hits.length && hits[i].at < end; i++) hits[i].types.forEach((t) => out.add(t));
  }
  return out;
}
