/**
 * The organisation's policy (rules/policies/default.yaml, or the file named in
 * configuration): what it aims for where a contract or a regulation gives no
 * number. Validated when loaded; a broken file stops start-up with an error
 * naming the file and the fault, instead of silently falling back to defaults.
 *
 * Sections this loader does not know yet are accepted and ignored, so the file
 * can grow ahead of the code. The `clauses:` section holds the policy items a
 * contract is checked against (see ./check).
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { z } from 'zod';
import { type DeadlineUnit } from '../obligations/types';
import { buildItems, ItemFault, ItemsSchema, readCatalogue, type ClauseCatalogue, type PolicyItem } from './items';

export { checkContract, type Finding } from './check';
export { OUTCOMES, readCatalogue, type ClauseCatalogue, type Outcome, type PolicyItem } from './items';

export interface Policy {
  /** Targets for duties that give no number, by qualifier ("without undue delay" -> 24 hours); `default` for any other. */
  deadlineTargets: Record<string, { amount: number; unit: DeadlineUnit }>;
  /** What the organisation accepts per clause type; absent for policies built in code without any. */
  items?: readonly PolicyItem[];
}

export class PolicyError extends Error {
  constructor(
    readonly file: string,
    readonly fault: string,
  ) {
    super(`${file}: ${fault}`);
    this.name = 'PolicyError';
  }
}

const UNITS = ['seconds', 'minutes', 'hours', 'days', 'business_days', 'weeks', 'months', 'years'] as const satisfies readonly DeadlineUnit[];

const TargetSchema = z.strictObject({
  amount: z.number().positive(),
  unit: z.enum(UNITS),
});

const PolicySchema = z.object({
  deadline_targets: z
    .record(z.string().trim().min(1), TargetSchema)
    .refine((targets) => Object.keys(targets).some((k) => normaliseQualifier(k) === 'default'), {
      message: 'needs a `default` target for qualifiers it does not list',
    }),
  clauses: ItemsSchema.optional(),
});

/** How qualifiers are compared: case, spacing and punctuation do not matter. */
export function normaliseQualifier(qualifier: string): string {
  return qualifier
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * Builds a policy from parsed YAML (or any plain object); `source` names it in errors.
 * Items are checked against `catalogue` (by default the project's rules/clause-types.yaml).
 */
export function parsePolicy(value: unknown, source: string, catalogue?: ClauseCatalogue): Policy {
  const parsed = PolicySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    throw new PolicyError(source, `${where}: ${issue.message}`);
  }
  const deadlineTargets: Policy['deadlineTargets'] = {};
  for (const [qualifier, target] of Object.entries(parsed.data.deadline_targets)) {
    const key = normaliseQualifier(qualifier);
    if (key in deadlineTargets) throw new PolicyError(source, `deadline_targets: "${qualifier}" is listed twice`);
    deadlineTargets[key] = { amount: target.amount, unit: target.unit };
  }
  if (!parsed.data.clauses) return { deadlineTargets };
  let items: PolicyItem[];
  try {
    items = buildItems(parsed.data.clauses, catalogue ?? readCatalogue());
  } catch (err) {
    if (err instanceof ItemFault) throw new PolicyError(source, err.message);
    throw err;
  }
  return { deadlineTargets, items };
}

/** `clauseTypesFile`: the catalogue the items are checked against, when not the project's own. */
export function loadPolicy(file: string, options: { clauseTypesFile?: string } = {}): Policy {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new PolicyError(file, `cannot read: ${(err as Error).message}`);
  }
  const doc = YAML.parseDocument(raw, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) throw new PolicyError(file, `invalid YAML: ${doc.errors[0].message}`);
  return parsePolicy(doc.toJS(), file, options.clauseTypesFile ? readCatalogue(options.clauseTypesFile) : undefined);
}

/** The policy file under a rules folder (config.rulesDir). */
export function defaultPolicyFile(rulesDir: string): string {
  return path.join(rulesDir, 'policies', 'default.yaml');
}

/**
 * The target for a qualifier: its own entry, else the entry of the longest listed qualifier it
 * contains ("as soon as reasonably practicable" under "as soon as practicable" only if listed
 * that way), else `default`.
 */
export function deadlineTarget(policy: Policy, qualifier: string | null): { amount: number; unit: DeadlineUnit } {
  const targets = policy.deadlineTargets;
  const fallback = targets.default ?? { amount: 24, unit: 'hours' as const };
  if (!qualifier) return fallback;
  const q = normaliseQualifier(qualifier);
  if (targets[q]) return targets[q];
  let best: string | null = null;
  for (const key of Object.keys(targets)) {
    if (key === 'default') continue;
    if (` ${q} `.includes(` ${key} `) && (best === null || key.length > best.length)) best = key;
  }
  return best ? targets[best] : fallback;
}
