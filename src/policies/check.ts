/**
 * Checks a contract's clauses against the policy items: one finding per item.
 * Pure and deterministic: the same policy and clauses give the same findings.
 *
 * How an item is decided:
 *  - no clause of the item's type: `missing`;
 *  - each requirement is decided on its own, so one clause may give the notice
 *    period and another the certification; within a requirement one clause must
 *    meet every condition of one alternative together;
 *  - a clause that does not state a compared field says nothing on that
 *    requirement; when no clause states it, the requirement is `not_met`, or
 *    `needs_review` when a clause states one of its `review_if_present` fields
 *    (a notice "without undue delay" with no number of hours);
 *  - among the clauses that do state it, with `decide: best` (the default) the
 *    most favourable clause decides: met before needs_review before not_met,
 *    then the clause meeting more conditions, then the one meeting the
 *    conditions listed first (a deletion too late is nearer the point than an
 *    export on time), then the better value (the
 *    shortest period under an "at most", the largest amount under an "at
 *    least"), then the earlier clause. `decide: worst` takes the least
 *    favourable clause in the same order, for items where every clause binds
 *    (a general cap beside a higher super-cap);
 *  - the item's outcome is its worst requirement's; the finding points at the
 *    clause deciding that requirement (the first one, when all are met).
 */
import { type Clause } from '../extract/engine';
import { type Policy } from './index';
import { type FieldCondition, type Limit, type Outcome, type PolicyItem, type Requirement } from './items';

export interface Finding {
  itemId: string;
  title: string;
  clauseType: string;
  outcome: Outcome;
  /** A sentence a lawyer can read: what the contract says and what the policy accepts. */
  detail: string;
  /** Index into the clauses checked, or null when no clause decides (missing, or nothing stated). */
  clauseIndex: number | null;
  /** The values the deciding clause states for the compared fields, or null. */
  value: Record<string, unknown> | null;
}

type Verdict = 'met' | 'needs_review' | 'not_met';
const RANK: Record<Verdict, number> = { met: 2, needs_review: 1, not_met: 0 };

interface ConditionResult {
  verdict: Verdict | 'silent';
  /** Higher is more favourable to us; 0 where the condition has no scale. */
  score: number;
  phrase: string;
}

interface ClauseResult {
  index: number;
  verdict: Verdict;
  metCount: number;
  /** Which conditions are met, in the order written: meeting the earlier ones ranks higher. */
  pattern: string;
  score: number;
  failing: string[];
  alternative: FieldCondition[];
}

type Fields = Record<string, unknown>;

const HOURS: Record<string, number> = { seconds: 1 / 3600, minutes: 1 / 60, hours: 1, days: 24, weeks: 168 };

/** The shortest and longest a period can last, in hours (months, years and business days vary). */
function hoursRange(amount: number, unit: string): [number, number] {
  if (unit in HOURS) return [amount * HOURS[unit], amount * HOURS[unit]];
  if (unit === 'business_days') return [amount * 24, (Math.ceil((amount * 7) / 5) + 2) * 24];
  if (unit === 'months') return [amount * 28 * 24, amount * 31 * 24];
  if (unit === 'years') return [amount * 365 * 24, amount * 366 * 24];
  return [Number.NaN, Number.NaN];
}

const plural = (n: number, unit: string) => {
  const word = unit.replace('business_days', 'business days');
  return n === 1 ? word.replace(/s$/, '') : word;
};
const formatNumber = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 2 });
const formatPeriod = (amount: number, unit: string) => `${formatNumber(amount)} ${plural(amount, unit)}`;
const formatMoney = (amount: number, currency: string | null) => `${currency ?? '(currency not stated)'} ${formatNumber(amount)}`;

function formatCap(f: Fields): string {
  const fees = () => {
    const multiple = typeof f.multiple === 'number' ? f.multiple : 1;
    const times = multiple === 1 ? 'the fees' : `${formatNumber(multiple)} times the fees`;
    return typeof f.lookback_months === 'number' ? `${times} of ${formatPeriod(f.lookback_months, 'months')}` : `${times} (period not stated)`;
  };
  const money = () => (typeof f.amount === 'number' ? formatMoney(f.amount, (f.currency as string | null) ?? null) : 'an amount not stated');
  switch (f.kind) {
    case 'fees_multiple':
      return `a cap of ${fees()}`;
    case 'fixed_amount':
      return `a cap of ${money()}`;
    case 'greater_of':
      return `a cap of the greater of ${fees()} and ${money()}`;
    case 'lesser_of':
      return `a cap of the lesser of ${fees()} and ${money()}`;
    case 'insurance_limit':
      return 'a cap at the insurance limits';
    case 'defined_elsewhere':
      return 'a cap set elsewhere';
    default:
      return 'a cap not stated';
  }
}

function readValue(fc: FieldCondition, fields: Fields): unknown {
  if (fc.shape === 'cap') return fc.key === 'cap' ? (fields.kind == null ? null : fields) : (fields[fc.fields[0]] ?? null);
  if (fc.fields.length === 2) {
    const [a, b] = fc.fields.map((n) => fields[n] ?? null);
    if (typeof a !== 'number') return null;
    return fc.shape === 'period' ? (b == null ? null : { amount: a, unit: b }) : { amount: a, currency: b };
  }
  if (fc.shape === 'period') {
    const p = fields[fc.fields[0]] as { duration?: number; unit?: string } | null | undefined;
    return p && typeof p.duration === 'number' && p.unit ? { amount: p.duration, unit: p.unit } : null;
  }
  const v = fields[fc.fields[0]];
  return v === undefined ? null : v;
}

function formatValue(value: unknown, shape: FieldCondition['shape']): string {
  if (value === null || value === undefined) return 'not stated';
  if (shape === 'period') {
    const p = value as { amount: number; unit: string };
    return formatPeriod(p.amount, p.unit);
  }
  if (shape === 'money') {
    const m = value as { amount: number; currency: string | null };
    return formatMoney(m.amount, m.currency);
  }
  if (shape === 'cap') return formatCap(value as Fields);
  if (Array.isArray(value)) return value.map((v) => String(v).replace(/_/g, ' ')).join(', ');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return formatNumber(value);
  return String(value).replace(/_/g, ' ');
}

function formatLimit(limit: Limit): string {
  if (typeof limit === 'number') return formatNumber(limit);
  return 'unit' in limit ? formatPeriod(limit.amount, limit.unit) : formatMoney(limit.amount, limit.currency);
}

const list = (values: readonly unknown[]) => values.map((v) => (v === null ? 'not stated' : String(v).replace(/_/g, ' '))).join(', ');

function phraseOf(fc: FieldCondition): string {
  const c = fc.condition;
  if (c.says) return c.says;
  const name = nameOf(fc.key);
  switch (c.op) {
    case 'present':
      return `the policy requires the ${name} to be stated`;
    case 'equals':
      return typeof c.value === 'boolean' ? `the policy requires ${name}: ${c.value ? 'yes' : 'no'}` : `the policy requires ${name}: ${list([c.value])}`;
    case 'one_of':
      return `the policy accepts ${name}: ${list(c.values)}`;
    case 'includes_any':
      return `the policy requires ${name} to include one of: ${list(c.values)}`;
    case 'includes_all':
      return `the policy requires ${name} to include: ${list(c.values)}`;
    case 'at_most':
      return `the policy accepts at most ${formatLimit(c.limit)}`;
    case 'at_least':
      return `the policy requires at least ${formatLimit(c.limit)}`;
    case 'cap_at_least': {
      const parts = [c.monthsOfFees !== null ? `${formatPeriod(c.monthsOfFees, 'months')} of fees` : null, c.amount !== null ? formatMoney(c.amount, c.currency) : null];
      return `the policy requires a cap of at least ${parts.filter(Boolean).join(' or ')}`;
    }
  }
}

/** -1: below the limit, 0: equal, 1: above, null: cannot tell without a lawyer. */
function compare(value: unknown, limit: Limit, shape: FieldCondition['shape']): { sign: -1 | 0 | 1 | null; score: number } {
  const sign = (d: number) => (d < 0 ? -1 : d > 0 ? 1 : 0) as -1 | 0 | 1;
  if (shape === 'number') return { sign: sign((value as number) - (limit as number)), score: value as number };
  if (shape === 'money') {
    const m = value as { amount: number; currency: string | null };
    const l = limit as { amount: number; currency: string };
    return { sign: m.currency === l.currency ? sign(m.amount - l.amount) : null, score: m.currency === l.currency ? m.amount : 0 };
  }
  const p = value as { amount: number; unit: string };
  const l = limit as { amount: number; unit: string };
  const [lo, hi] = hoursRange(p.amount, p.unit);
  if (p.unit === l.unit) return { sign: sign(p.amount - l.amount), score: (lo + hi) / 2 };
  const [llo, lhi] = hoursRange(l.amount, l.unit);
  if (hi < llo) return { sign: -1, score: (lo + hi) / 2 };
  if (lo > lhi) return { sign: 1, score: (lo + hi) / 2 };
  if (lo === hi && llo === lhi && lo === llo) return { sign: 0, score: lo };
  return { sign: null, score: (lo + hi) / 2 };
}

function capVerdict(cap: Fields, c: Extract<FieldCondition['condition'], { op: 'cap_at_least' }>): { verdict: Verdict | 'silent'; score: number } {
  const feeMonths = typeof cap.lookback_months === 'number' ? (typeof cap.multiple === 'number' ? cap.multiple : 1) * cap.lookback_months : null;
  const fees = (): Verdict => (feeMonths === null || c.monthsOfFees === null ? 'needs_review' : feeMonths >= c.monthsOfFees ? 'met' : 'not_met');
  const money = (): Verdict => {
    if (typeof cap.amount !== 'number' || c.amount === null) return 'needs_review';
    if (cap.currency !== c.currency) return 'needs_review';
    return cap.amount >= c.amount ? 'met' : 'not_met';
  };
  const score = feeMonths ?? 0;
  switch (cap.kind) {
    case 'fees_multiple':
      return { verdict: fees(), score };
    case 'fixed_amount':
      return { verdict: money(), score };
    case 'greater_of': {
      const both = [fees(), money()];
      return { verdict: both.includes('met') ? 'met' : both.includes('needs_review') ? 'needs_review' : 'not_met', score };
    }
    case 'lesser_of': {
      const both = [fees(), money()];
      return { verdict: both.includes('not_met') ? 'not_met' : both.every((v) => v === 'met') ? 'met' : 'needs_review', score };
    }
    case 'insurance_limit':
      return { verdict: 'needs_review', score };
    default:
      // "as set out in the Agreement" states no level here; another clause must.
      return { verdict: 'silent', score };
  }
}

function evaluateCondition(fc: FieldCondition, fields: Fields): ConditionResult {
  const c = fc.condition;
  const phrase = phraseOf(fc);
  const value = readValue(fc, fields);
  if (value === null) {
    const acceptsAbsent = c.op === 'one_of' && c.values.includes(null);
    return { verdict: acceptsAbsent ? 'met' : 'silent', score: 0, phrase };
  }
  const yes = (ok: boolean, score = 0): ConditionResult => ({ verdict: ok ? 'met' : (c.ifNot ?? 'not_met'), score, phrase });
  switch (c.op) {
    case 'present':
      return yes(true);
    case 'equals':
      return yes(value === c.value);
    case 'one_of':
      return yes(c.values.includes(value as string));
    case 'includes_any':
    case 'includes_all': {
      const have = Array.isArray(value) ? (value as string[]) : [];
      const hits = c.values.filter((v) => have.includes(v)).length;
      return yes(c.op === 'includes_any' ? hits > 0 : hits === c.values.length, hits);
    }
    case 'at_most':
    case 'at_least': {
      const { sign, score } = compare(value, c.limit, fc.shape);
      const directed = c.op === 'at_most' ? -score : score;
      if (sign === null) return { verdict: 'needs_review', score: directed, phrase: `${phrase}, and the two cannot be compared as written` };
      return yes(c.op === 'at_most' ? sign <= 0 : sign >= 0, directed);
    }
    case 'cap_at_least': {
      const { verdict, score } = capVerdict(value as Fields, c);
      return { verdict, score, phrase };
    }
  }
}

function evaluateClause(req: Requirement, clause: Clause, index: number): ClauseResult | null {
  let best: ClauseResult | null = null;
  for (const alternative of req.anyOf) {
    const results = alternative.map((fc) => evaluateCondition(fc, clause.fields));
    if (results.some((r) => r.verdict === 'silent')) continue;
    const verdicts = results.map((r) => r.verdict as Verdict);
    const verdict = verdicts.includes('not_met') ? 'not_met' : verdicts.includes('needs_review') ? 'needs_review' : 'met';
    const candidate: ClauseResult = {
      index,
      verdict,
      metCount: verdicts.filter((v) => v === 'met').length,
      pattern: verdicts.map((v) => (v === 'met' ? '1' : '0')).join(''),
      score: results.find((r) => r.score !== 0)?.score ?? 0,
      failing: results.filter((r) => r.verdict !== 'met').map((r) => r.phrase),
      alternative,
    };
    if (!best || better(candidate, best) > 0) best = candidate;
  }
  return best;
}

/** Positive when `a` is more favourable than `b`; ties go to the earlier clause. */
function better(a: ClauseResult, b: ClauseResult): number {
  return favour(a, b) || b.index - a.index;
}

function favour(a: ClauseResult, b: ClauseResult): number {
  return RANK[a.verdict] - RANK[b.verdict] || a.metCount - b.metCount || (a.pattern === b.pattern ? 0 : a.pattern > b.pattern ? 1 : -1) || a.score - b.score;
}

function describe(req: Requirement, fc: FieldCondition[], fields: Fields): string {
  if (req.describe) {
    return req.describe.replace(/\{([^}|]+)(?:\|([^}]*))?\}/g, (_m, key: string, absent: string | undefined) => {
      const known = req.anyOf.flat().find((f) => f.key === key) ?? fc.find((f) => f.key === key);
      const value = known ? readValue(known, fields) : (fields[key] ?? null);
      if (value === null) return absent ?? 'not stated';
      return known ? formatValue(value, known.shape) : formatValue(value, 'string');
    });
  }
  return fc.map((f) => (f.shape === 'cap' ? formatValue(readValue(f, fields), f.shape) : `${nameOf(f.key)}: ${formatValue(readValue(f, fields), f.shape)}`)).join('; ');
}

function valueOf(fc: FieldCondition[], fields: Fields, extra: string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of [...fc.flatMap((f) => f.fields), ...extra]) out[name] = fields[name] ?? null;
  return out;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** How a `when` key reads in a sentence: a number with its unit is a period, with its currency an amount. */
function nameOf(key: string): string {
  const parts = key.split('+');
  if (parts.length === 2) return parts[1] === 'unit' ? 'period' : 'amount';
  return key.replace(/_/g, ' ');
}

const typeName = (type: string) => type.replace(/_/g, ' ');

/** Phrases for a met requirement: the measured ones say most; the rest only when nothing is measured. */
function metPhrases(alternative: FieldCondition[]): string[] {
  const measured = alternative.filter((f) => ['at_most', 'at_least', 'cap_at_least'].includes(f.condition.op));
  return (measured.length ? measured : alternative).map(phraseOf);
}

interface RequirementFinding {
  verdict: Verdict;
  detail: string;
  clauseIndex: number | null;
  value: Record<string, unknown> | null;
}

function decideRequirement(item: PolicyItem, req: Requirement, clauses: Clause[], ofType: number[]): RequirementFinding {
  const results = ofType.map((i) => evaluateClause(req, clauses[i], i)).filter((r): r is ClauseResult => r !== null);
  if (results.length === 0) {
    const needed = req.anyOf[0].filter((f) => !(f.condition.op === 'one_of' && f.condition.values.includes(null)));
    const compared = needed.map((f) => nameOf(f.key)).join(' or ');
    const phrase = phraseOf(needed[0] ?? req.anyOf[0][0]);
    const hint = ofType.find((i) => req.reviewIfPresent.some((f) => clauses[i].fields[f] != null));
    if (hint !== undefined) {
      const fields = clauses[hint].fields;
      const stated = req.reviewIfPresent.filter((f) => fields[f] != null).map((f) => `${nameOf(f)} "${formatValue(fields[f], 'string')}"`);
      return {
        verdict: 'needs_review',
        detail: `The clause states ${stated.join(' and ')} but no ${compared}; ${phrase}, so this needs review.`,
        clauseIndex: hint,
        value: valueOf(req.anyOf[0], fields, req.reviewIfPresent),
      };
    }
    return { verdict: 'not_met', detail: `No clause on ${typeName(item.clauseType)} states the ${compared}; ${phrase}.`, clauseIndex: null, value: null };
  }
  const sorted = [...results].sort((a, b) => (item.decide === 'best' ? better(b, a) : favour(a, b) || a.index - b.index));
  const chosen = sorted[0];
  const fields = clauses[chosen.index].fields;
  const phrases = [...new Set(chosen.verdict === 'met' ? metPhrases(chosen.alternative) : chosen.failing)].join('; ');
  const tail = chosen.verdict === 'needs_review' ? ', so this needs review' : '';
  return {
    verdict: chosen.verdict,
    detail: `${capitalise(describe(req, chosen.alternative, fields))}; ${phrases}${tail}.`,
    clauseIndex: chosen.index,
    value: valueOf(chosen.alternative, fields),
  };
}

function checkItem(item: PolicyItem, clauses: Clause[]): Finding {
  const base = { itemId: item.id, title: item.title, clauseType: item.clauseType };
  const ofType = clauses.flatMap((c, i) => (c.type === item.clauseType && item.where.every((fc) => evaluateCondition(fc, c.fields).verdict === 'met') ? [i] : []));
  if (ofType.length === 0) {
    const which = item.where.map((fc) => (fc.condition.op === 'equals' ? formatValue(fc.condition.value, fc.shape) : fc.key.replace(/_/g, ' '))).join(', ');
    return { ...base, outcome: 'missing', detail: `The contract has no clause on ${typeName(item.clauseType)}${which ? ` (${which})` : ''}.`, clauseIndex: null, value: null };
  }
  if (item.require.length === 0) {
    const first = ofType[0];
    return { ...base, outcome: 'met', detail: `The contract has a clause on ${typeName(item.clauseType)}.`, clauseIndex: first, value: null };
  }
  const decided = item.require.map((req) => decideRequirement(item, req, clauses, ofType));
  const worst = decided.reduce((w, d) => (RANK[d.verdict] < RANK[w.verdict] ? d : w));
  const shown = worst.verdict === 'met' ? decided : decided.filter((d) => d.verdict === worst.verdict);
  return { ...base, outcome: worst.verdict, detail: shown.map((d) => d.detail).join(' '), clauseIndex: worst.clauseIndex, value: worst.value };
}

/** One finding per policy item, in the policy's order. */
export function checkContract(policy: Pick<Policy, 'items'>, clauses: Clause[]): Finding[] {
  return (policy.items ?? []).map((item) => checkItem(item, clauses));
}
