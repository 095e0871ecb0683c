import { DURATION_SRC } from './normalize/durations';
import { MONEY_SRC } from './normalize/money';
import { NUMBER_SRC } from './normalize/numbers';
import {
  EXTRACTOR_ARITY, EXTRACTOR_KINDS, type ExtractorKind, type FieldSpec, type RuleDoc, type TypeCatalogue, type Vocabulary,
} from './rule-schema';
import { buildKeywordIndex, type KeywordIndex } from './keywords';
import { MARKED_DURATION_SRC, MARKED_MONEY_SRC } from './normalize/marks';
import { type UnitKind } from './segment';

/**
 * Turns validated rule documents into matchers. The engine, not each rule,
 * takes care of case (every pattern is case-insensitive), white space (a space
 * in a pattern matches any run of white space, line breaks included), curly
 * and straight quotes, and number words (the {num}, {duration} and {money}
 * macros read "seventy-two (72)", "72" and "USD 2,000,000" alike). Pure: the
 * loader reads the files and hands their parsed contents here.
 */

export class RuleError extends Error {
  constructor(
    readonly source: string,
    message: string,
  ) {
    super(`${source}: ${message}`);
    this.name = 'RuleError';
  }
}

const stripNames = (src: string) => src.replace(/\(\?<([A-Za-z]\w*)>/g, '(?:');

/** Macros every rule may use, besides those in the vocabulary file and the rule's own `define`. */
export const BUILTIN_MACROS: Record<string, string> = {
  num: stripNames(NUMBER_SRC),
  duration: stripNames(DURATION_SRC),
  money: stripNames(MONEY_SRC),
};

export interface CompiledField {
  kind: ExtractorKind;
  set: string[];
  spec: FieldSpec;
  after: RegExp | null;
  before: RegExp | null;
  /** value -> pattern, for first / pick / all */
  values: [string, RegExp][];
  flagTrue: RegExp | null;
  flagFalse: RegExp | null;
  capture: RegExp | null;
  /** for `cell`: the column header to read */
  header: RegExp | null;
  constant: string | number | boolean | null;
}

export interface CompiledRule {
  id: string;
  type: string;
  source: string;
  description: string;
  confidence: number;
  scope: ReadonlySet<UnitKind>;
  all: RegExp[];
  any: RegExp[];
  none: RegExp[];
  near: [RegExp, RegExp, number][];
  /** When given, one of these must match the unit (with its lead-in) or the heading above it. */
  context: RegExp[];
  fields: CompiledField[];
  doc: RuleDoc;
}

export interface Ruleset {
  catalogue: TypeCatalogue;
  vocabulary: Vocabulary;
  rules: CompiledRule[];
  byType: Map<string, CompiledRule[]>;
  /** The word starts a unit must contain to be shown to a type's rules. */
  keywords: KeywordIndex;
}

/** Rewrites a rule pattern into a JavaScript regular expression source. */
export function expandPattern(pattern: string, macros: Record<string, string>, source: string): string {
  let out = pattern;
  for (let depth = 0; /\{[a-z_][a-z0-9_]*\}/.test(out); depth++) {
    if (depth > 10) throw new RuleError(source, `macros nest too deeply (a cycle?) in pattern ${JSON.stringify(pattern)}`);
    out = out.replace(/\{([a-z_][a-z0-9_]*)\}/g, (whole, name: string) => {
      const m = macros[name];
      if (m === undefined) throw new RuleError(source, `unknown macro {${name}} in pattern ${JSON.stringify(pattern)}`);
      return `(?:${m})`;
    });
  }
  // Outside character classes: spaces match any white space, quotes match their curly forms.
  let result = '';
  let inClass = false;
  for (let i = 0; i < out.length; i++) {
    const c = out[i];
    if (c === '\\') {
      result += c + (out[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      result += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      result += c;
    } else if (c === ' ') {
      while (out[i + 1] === ' ') i++;
      // "for (?:its)? ?convenience": a space with a quantifier stays optional
      const q = out[i + 1];
      if (q === '?' || q === '*') {
        result += '\\s*';
        i++;
      } else if (q === '+') {
        result += '\\s+';
        i++;
      } else result += '\\s+';
    } else if (c === '"') result += '["“”]';
    else if (c === "'") result += "['’‘]";
    else result += c;
  }
  return result;
}

/**
 * Rules share pattern pieces ({modal}, {notify}, ...), so many patterns are
 * the same regular expression; matching patterns (flag 'i', no state) are
 * compiled once and shared, which lets the engine remember a pattern's
 * answer for a unit instead of asking every rule's copy.
 */
const shared = new Map<string, RegExp>();
const sharedFields = new Map<string, CompiledField>();

/**
 * A pattern's source in lower case, escapes untouched (\\S stays \\S, \\B stays \\B).
 * Match patterns run against lower-cased text without the 'i' flag: V8 emits
 * about half the code for them and runs them faster, and it stops optimising
 * regular expressions once it has generated about a megabyte of their code.
 */
export function lowerPattern(src: string): string {
  let out = '';
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (c === '\\') {
      out += c + (src[i + 1] ?? '');
      i++;
      continue;
    }
    out += c.toLowerCase();
  }
  return out;
}

/** Match patterns: lower case, no 'i' flag (see lowerPattern); matched against lower-cased text. */
function compileMatchRegex(pattern: string, macros: Record<string, string>, source: string, flags = ''): RegExp {
  const src = lowerPattern(expandPattern(pattern, macros, source));
  try {
    const key = `${flags}/${src}`;
    let re = shared.get(key);
    if (!re) {
      re = new RegExp(src, flags);
      shared.set(key, re);
    }
    return re;
  } catch (err) {
    throw new RuleError(source, `invalid pattern ${JSON.stringify(pattern)}: ${(err as Error).message}`);
  }
}

function compileRegex(pattern: string, macros: Record<string, string>, source: string, flags = 'i'): RegExp {
  const src = expandPattern(pattern, macros, source);
  try {
    if (flags !== 'i') return new RegExp(src, flags);
    let re = shared.get(src);
    if (!re) {
      re = new RegExp(src, flags);
      shared.set(src, re);
    }
    return re;
  } catch (err) {
    throw new RuleError(source, `invalid pattern ${JSON.stringify(pattern)}: ${(err as Error).message}`);
  }
}

function compileField(spec: FieldSpec, macros: Record<string, string>, source: string, rule: RuleDoc, catalogue: TypeCatalogue): CompiledField {
  const kinds = EXTRACTOR_KINDS.filter((k) => spec[k] !== undefined);
  const set = Array.isArray(spec.set) ? spec.set : [spec.set];
  if (kinds.length !== 1) {
    throw new RuleError(source, `field entry for ${set.join(', ')} must use exactly one extractor (one of ${EXTRACTOR_KINDS.join(', ')}), found ${kinds.length}`);
  }
  const kind = kinds[0];
  const arity = EXTRACTOR_ARITY[kind];
  const okArity = kind === 'cap' ? set.length === 1 || set.length === 5 : set.length === arity;
  if (!okArity) throw new RuleError(source, `extractor "${kind}" sets ${arity} field(s), but \`set\` names ${set.length}: ${set.join(', ')}`);
  const typeDef = catalogue.types[rule.type];
  for (const name of set) {
    if (!(name in typeDef.fields)) {
      throw new RuleError(source, `field "${name}" is not a field of type ${rule.type} (see rules/clause-types.yaml)`);
    }
  }
  const anchored = spec[kind] as { after?: string; before?: string } | undefined;
  const g = (p: string | undefined) => (p === undefined ? null : compileRegex(p, macros, source, 'gi'));
  const field: CompiledField = {
    kind,
    set,
    spec,
    after: null,
    before: null,
    values: [],
    flagTrue: null,
    flagFalse: null,
    capture: null,
    header: null,
    constant: null,
  };
  if (['duration', 'period', 'number', 'percent', 'money', 'multiple', 'cap', 'party', 'jurisdiction'].includes(kind)) {
    field.after = g(anchored?.after);
    field.before = g(anchored?.before);
  }
  if (kind === 'first' || kind === 'pick' || kind === 'all') {
    const map = spec[kind] as Record<string, string>;
    field.values = Object.entries(map).map(([value, p]) => [value, compileRegex(p, macros, source, 'i')]);
    const def = typeDef.fields[set[0]];
    if (def.values) {
      for (const [value] of field.values) {
        if (!def.values.map(String).includes(value)) {
          throw new RuleError(source, `value "${value}" is not allowed for field "${set[0]}" (allowed: ${def.values.join(', ')})`);
        }
      }
    }
  }
  if (kind === 'flag') {
    const f = spec.flag!;
    if (typeof f === 'string') field.flagTrue = compileRegex(f, macros, source);
    else {
      field.flagTrue = f.true === undefined ? null : compileRegex(f.true, macros, source);
      field.flagFalse = f.false === undefined ? null : compileRegex(f.false, macros, source);
    }
  }
  if (kind === 'capture') {
    field.capture = compileRegex(spec.capture!, macros, source, 'i');
    if (!/\(\?<value>/.test(spec.capture!)) throw new RuleError(source, 'a `capture` pattern needs a group named value: (?<value>...)');
  }
  if (kind === 'cell') field.header = compileRegex(spec.cell!.header, macros, source, 'i');
  if (kind === 'const') field.constant = spec.const ?? null;
  // Rules of one type often read their fields the same way; identical entries are one
  // object, so the engine can read each field once per unit for all of them.
  const key = JSON.stringify({
    kind,
    set,
    after: field.after?.source,
    before: field.before?.source,
    values: field.values.map(([v, re]) => [v, re.source]),
    flag: [field.flagTrue?.source, field.flagFalse?.source],
    capture: field.capture?.source,
    header: field.header?.source,
    constant: field.constant,
    cell: spec.cell?.as,
  });
  const same = sharedFields.get(key);
  if (same) return same;
  sharedFields.set(key, field);
  return field;
}

/** Shortest source first: source length is a fair stand-in for the cost of trying a pattern. */
const byCost = (res: RegExp[]) => [...res].sort((a, b) => a.source.length - b.source.length);

export function compileRule(doc: RuleDoc, source: string, catalogue: TypeCatalogue, vocabulary: Vocabulary): CompiledRule {
  if (!(doc.type in catalogue.types)) {
    throw new RuleError(source, `unknown clause type "${doc.type}" (known: ${Object.keys(catalogue.types).join(', ')})`);
  }
  if (!doc.id.startsWith(`${doc.type}.`)) throw new RuleError(source, `id "${doc.id}" must start with its type "${doc.type}."`);
  const macros: Record<string, string> = { ...BUILTIN_MACROS };
  for (const [k, v] of Object.entries(vocabulary.macros)) macros[k] = v;
  for (const [k, v] of Object.entries(doc.define)) macros[k] = v;
  // Match patterns run on the marked copy of the text (see normalize/marks.ts); field anchors on the original.
  const matchMacros = { ...macros, duration: MARKED_DURATION_SRC, money: MARKED_MONEY_SRC };
  const re = (p: string) => compileMatchRegex(p, matchMacros, source);
  return {
    id: doc.id,
    type: doc.type,
    source,
    description: doc.description,
    confidence: doc.confidence,
    scope: new Set(doc.scope),
    // Cheap patterns first: a unit that fails a short pattern never pays for a long one.
    all: byCost(doc.match.all.map(re)),
    any: byCost(doc.match.any.map(re)),
    none: doc.match.none.map(re),
    near: doc.match.near.map(([a, b, n]) => [compileMatchRegex(a, matchMacros, source, 'g'), compileMatchRegex(b, matchMacros, source, 'g'), n]),
    context: doc.match.context.map(re),
    fields: doc.fields.map((f) => compileField(f, macros, source, doc, catalogue)),
    doc,
  };
}

export function buildRuleset(rules: CompiledRule[], catalogue: TypeCatalogue, vocabulary: Vocabulary): Ruleset {
  const seen = new Map<string, string>();
  for (const r of rules) {
    const prev = seen.get(r.id);
    if (prev) throw new RuleError(r.source, `duplicate rule id "${r.id}" (also in ${prev})`);
    seen.set(r.id, r.source);
  }
  const byType = new Map<string, CompiledRule[]>();
  for (const r of rules) byType.set(r.type, [...(byType.get(r.type) ?? []), r]);
  return { catalogue, vocabulary, rules, byType, keywords: buildKeywordIndex(catalogue) };
}
