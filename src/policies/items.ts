/**
 * Policy items: what the organisation accepts per clause type, read from the
 * `clauses:` section of the policy file. Each item is checked against the
 * clause type catalogue when loaded, so a typo in a field name or a value that
 * can never match stops start-up instead of turning every contract "not met".
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';

/** A policy item's result for one contract: met, not met, for a person to decide, or no clause of its type at all. */
export const OUTCOMES = ['met', 'not_met', 'needs_review', 'missing'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** What a requirement compares a clause value against. */
export type Limit = number | { amount: number; unit: string } | { amount: number; currency: string };

/** `ifNot`: the outcome when the condition fails (a lawyer may still accept a clock started on confirmation). */
export type Condition = { says?: string; ifNot?: 'not_met' | 'needs_review' } & (
  | { op: 'present' }
  | { op: 'equals'; value: string | number | boolean }
  | { op: 'one_of'; values: (string | number | boolean | null)[] }
  | { op: 'includes_any' | 'includes_all'; values: string[] }
  | { op: 'at_most' | 'at_least'; limit: Limit }
  | { op: 'cap_at_least'; monthsOfFees: number | null; amount: number | null; currency: string | null }
);

/** How the value a condition reads is built from the clause's fields. */
export type Shape = 'number' | 'string' | 'boolean' | 'enum' | 'enum_list' | 'period' | 'money' | 'cap' | 'parties';

export interface FieldCondition {
  /** As written: a field name, two joined by "+" (duration+unit, amount+currency), or `cap`. */
  key: string;
  fields: string[];
  shape: Shape;
  condition: Condition;
}

export interface Requirement {
  /** Sentence template; `{key}` is replaced by the value the clause states, `{key|words}` by the words when it states none. */
  describe: string | null;
  /** Alternatives: one clause must meet every condition of at least one of them. */
  anyOf: FieldCondition[][];
  /** Fields whose presence, when no clause states the compared ones, calls for a lawyer rather than "not met". */
  reviewIfPresent: string[];
}

export interface PolicyExample {
  clauses: { type: string; fields: Record<string, unknown> }[];
  outcome: Outcome;
  /** Index of the clause expected to decide, when the example says. */
  clause?: number | null;
}

export interface PolicyItem {
  id: string;
  title: string;
  clauseType: string;
  /** `best`: the most favourable clause decides; `worst`: the least favourable one does. */
  decide: 'best' | 'worst';
  /** Which clauses of the type the item is about (cyber insurance among all insurance); none: all. */
  where: FieldCondition[];
  require: Requirement[];
  examples: PolicyExample[];
}

export interface FieldDef {
  kind: string;
  values?: string[];
}

/** The clause types and their fields, as rules/clause-types.yaml declares them. */
export interface ClauseCatalogue {
  units: string[];
  types: Record<string, { fields: Record<string, FieldDef> }>;
}

const BUNDLED_CATALOGUE = path.join(__dirname, '..', '..', 'rules', 'clause-types.yaml');
let bundled: ClauseCatalogue | null = null;

export function readCatalogue(file: string = BUNDLED_CATALOGUE): ClauseCatalogue {
  if (file === BUNDLED_CATALOGUE && bundled) return bundled;
  const doc = YAML.parse(fs.readFileSync(file, 'utf8')) as { units?: string[]; types?: Record<string, { fields?: Record<string, FieldDef> }> };
  const types: ClauseCatalogue['types'] = {};
  for (const [name, def] of Object.entries(doc.types ?? {})) types[name] = { fields: def.fields ?? {} };
  const catalogue = { units: doc.units ?? [], types };
  if (file === BUNDLED_CATALOGUE) bundled = catalogue;
  return catalogue;
}

const Scalar = z.union([z.string(), z.number(), z.boolean()]);
const Period = z.strictObject({ amount: z.number().positive(), unit: z.string() });
const Money = z.strictObject({ amount: z.number().nonnegative(), currency: z.string().regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 code') });
const Says = { says: z.string().min(1).optional(), if_not: z.enum(['not_met', 'needs_review']).optional() };

const ConditionSchema = z.union([
  z.strictObject({ present: z.literal(true), ...Says }),
  z.strictObject({ equals: Scalar, ...Says }),
  z.strictObject({ one_of: z.array(z.union([Scalar, z.null()])).min(1), ...Says }),
  z.strictObject({ includes_any: z.array(z.string()).min(1), ...Says }),
  z.strictObject({ includes_all: z.array(z.string()).min(1), ...Says }),
  z.strictObject({ at_most: z.union([z.number(), Period, Money]), ...Says }),
  z.strictObject({ at_least: z.union([z.number(), Period, Money]), ...Says }),
  z.strictObject({
    cap_at_least: z
      .strictObject({ months_of_fees: z.number().positive().optional(), amount: z.number().positive().optional(), currency: z.string().regex(/^[A-Z]{3}$/).optional() })
      .refine((c) => c.months_of_fees !== undefined || c.amount !== undefined, { message: 'needs months_of_fees or amount' })
      .refine((c) => (c.amount === undefined) === (c.currency === undefined), { message: 'amount and currency go together' }),
    ...Says,
  }),
]);

const WhenSchema = z.record(z.string(), ConditionSchema).refine((w) => Object.keys(w).length > 0, { message: 'needs at least one field' });

const RequirementSchema = z
  .strictObject({
    describe: z.string().min(1).optional(),
    when: WhenSchema.optional(),
    any_of: z.array(WhenSchema).min(1).optional(),
    review_if_present: z.array(z.string()).optional(),
  })
  .refine((r) => (r.when === undefined) !== (r.any_of === undefined), { message: 'needs exactly one of `when` and `any_of`' });

const ExampleClause = z.strictObject({ type: z.string().optional(), fields: z.record(z.string(), z.unknown()) });
const ExampleSchema = z
  .strictObject({
    fields: z.record(z.string(), z.unknown()).optional(),
    clauses: z.array(ExampleClause).optional(),
    outcome: z.enum(OUTCOMES),
    clause: z.number().int().nonnegative().nullable().optional(),
  })
  .refine((e) => (e.fields === undefined) !== (e.clauses === undefined), { message: 'needs exactly one of `fields` and `clauses`' });

export const ItemSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'id must be lower-case words joined by hyphens'),
  title: z.string().trim().min(1),
  type: z.string(),
  decide: z.enum(['best', 'worst']).optional(),
  where: WhenSchema.optional(),
  require: z.array(RequirementSchema),
  examples: z.array(ExampleSchema).min(1, 'needs at least one example'),
});

export const ItemsSchema = z.array(ItemSchema);

const CAP_FIELDS = ['kind', 'multiple', 'lookback_months', 'amount', 'currency'];

/** Resolves a `when` key against the type's fields; a string is the fault. */
function shapeOf(key: string, fields: Record<string, FieldDef>): { fields: string[]; shape: Shape } | string {
  if (key === 'cap' && !fields.cap) {
    const lacking = CAP_FIELDS.filter((f) => !fields[f]);
    return lacking.length ? `"cap" reads ${CAP_FIELDS.join(', ')}; this type has no ${lacking.join(', ')}` : { fields: CAP_FIELDS, shape: 'cap' };
  }
  const names = key.split('+').map((s) => s.trim());
  for (const n of names) if (!fields[n]) return `unknown field "${n}" (fields: ${Object.keys(fields).join(', ')})`;
  if (names.length === 1) return { fields: names, shape: fields[names[0]].kind as Shape };
  if (names.length === 2 && fields[names[0]].kind === 'number') {
    if (names[1] === 'unit' || fields[names[1]].kind === 'enum') return { fields: names, shape: 'period' };
    if (fields[names[1]].kind === 'string') return { fields: names, shape: 'money' };
  }
  return `"${key}" is not a number with its unit or currency`;
}

function toCondition(raw: z.infer<typeof ConditionSchema>): Condition {
  return { ...bareCondition(raw), ...(raw.if_not ? { ifNot: raw.if_not } : {}) };
}

function bareCondition(raw: z.infer<typeof ConditionSchema>): Condition {
  const says = raw.says;
  if ('present' in raw) return { op: 'present', says };
  if ('equals' in raw) return { op: 'equals', value: raw.equals, says };
  if ('one_of' in raw) return { op: 'one_of', values: raw.one_of, says };
  if ('includes_any' in raw) return { op: 'includes_any', values: raw.includes_any, says };
  if ('includes_all' in raw) return { op: 'includes_all', values: raw.includes_all, says };
  if ('at_most' in raw) return { op: 'at_most', limit: raw.at_most, says };
  if ('at_least' in raw) return { op: 'at_least', limit: raw.at_least, says };
  const c = raw.cap_at_least;
  return { op: 'cap_at_least', monthsOfFees: c.months_of_fees ?? null, amount: c.amount ?? null, currency: c.currency ?? null, says };
}

/** The fault in using `condition` on a value of `shape`, or null. */
function conditionFault(condition: Condition, shape: Shape, def: FieldDef | undefined, units: string[]): string | null {
  const allowed = (values: readonly unknown[]) => {
    if (!def?.values) return null;
    const bad = values.filter((v) => v !== null && !def.values!.includes(String(v)));
    return bad.length ? `${bad.map((v) => JSON.stringify(v)).join(', ')} not among ${def.values.join(', ')}` : null;
  };
  switch (condition.op) {
    case 'present':
      return null;
    case 'equals':
    case 'one_of': {
      if (!['number', 'string', 'boolean', 'enum'].includes(shape)) return `${condition.op} does not apply to a ${shape}`;
      const values = condition.op === 'equals' ? [condition.value] : condition.values;
      if (shape === 'boolean' && values.some((v) => v !== null && typeof v !== 'boolean')) return 'a boolean field compares with true or false';
      if (shape === 'number' && values.some((v) => v !== null && typeof v !== 'number')) return 'a number field compares with numbers';
      return allowed(values);
    }
    case 'includes_any':
    case 'includes_all':
      return shape === 'enum_list' ? allowed(condition.values) : `${condition.op} applies to a list field, not a ${shape}`;
    case 'at_most':
    case 'at_least': {
      const limit = condition.limit;
      if (shape === 'number') return typeof limit === 'number' ? null : 'a number field compares with a number';
      if (shape === 'period') {
        if (typeof limit !== 'object' || !('unit' in limit)) return 'a period compares with { amount, unit }';
        return units.includes(limit.unit) ? null : `unknown unit "${limit.unit}" (units: ${units.join(', ')})`;
      }
      if (shape === 'money') return typeof limit === 'object' && 'currency' in limit ? null : 'an amount compares with { amount, currency }';
      return `${condition.op} does not apply to a ${shape}`;
    }
    case 'cap_at_least':
      return shape === 'cap' ? null : `cap_at_least applies to a cap, not a ${shape}`;
  }
}

/** Validates the parsed `clauses:` section against the catalogue; throws the first fault as text with its path. */
export function buildItems(raw: z.infer<typeof ItemsSchema>, catalogue: ClauseCatalogue): PolicyItem[] {
  const seen = new Set<string>();
  return raw.map((item, i) => {
    const at = (rest: string) => `clauses.${i}${rest}`;
    const fault = (where: string, text: string): never => {
      throw new ItemFault(`${at(where)} (${item.id}): ${text}`);
    };
    if (seen.has(item.id)) fault('.id', 'id is used twice');
    seen.add(item.id);
    const type = catalogue.types[item.type];
    if (!type) fault('.type', `unknown clause type "${item.type}" (types: ${Object.keys(catalogue.types).join(', ')})`);
    const fields = type.fields;
    const conditions = (when: Record<string, z.infer<typeof ConditionSchema>>, prefix: string) =>
      Object.entries(when).map(([key, rawCondition]): FieldCondition => {
        const where = `${prefix}.${key}`;
        const shaped = shapeOf(key, fields);
        if (typeof shaped === 'string') return fault(where, shaped);
        const condition = toCondition(rawCondition);
        const bad = conditionFault(condition, shaped.shape, shaped.fields.length === 1 ? fields[shaped.fields[0]] : undefined, catalogue.units);
        if (bad) fault(where, bad);
        return { key, fields: shaped.fields, shape: shaped.shape, condition };
      });
    const where = item.where ? conditions(item.where, '.where') : [];
    const require = item.require.map((r, j): Requirement => {
      const alternatives = r.any_of ?? [r.when!];
      const anyOf = alternatives.map((when, k) => conditions(when, `.require.${j}${r.any_of ? `.any_of.${k}` : '.when'}`));
      for (const f of r.review_if_present ?? []) if (!fields[f]) fault(`.require.${j}.review_if_present`, `unknown field "${f}"`);
      for (const m of (r.describe ?? '').matchAll(/\{([^}|]+)(?:\|[^}]*)?\}/g)) {
        if (typeof shapeOf(m[1], fields) === 'string') fault(`.require.${j}.describe`, `"{${m[1]}}" names no field of ${item.type}`);
      }
      return { describe: r.describe ?? null, anyOf, reviewIfPresent: r.review_if_present ?? [] };
    });
    const examples = item.examples.map((e, j): PolicyExample => {
      const clauses = e.clauses ? e.clauses.map((c) => ({ type: c.type ?? item.type, fields: c.fields })) : [{ type: item.type, fields: e.fields! }];
      clauses.forEach((c, k) => {
        const def = catalogue.types[c.type];
        if (!def) fault(`.examples.${j}.clauses.${k}.type`, `unknown clause type "${c.type}"`);
        for (const name of Object.keys(c.fields)) if (!def.fields[name]) fault(`.examples.${j}.clauses.${k}.fields`, `unknown field "${name}" for ${c.type}`);
      });
      return { clauses, outcome: e.outcome, ...(e.clause !== undefined ? { clause: e.clause } : {}) };
    });
    return { id: item.id, title: item.title, clauseType: item.type, decide: item.decide ?? 'best', where, require, examples };
  });
}

export class ItemFault extends Error {}
