/**
 * Every deadline an incident starts: contractual (contract-deadlines.ts: which
 * obligations fire and from which clock) and regulatory (src/regulations).
 * Pure: the same incident, obligations, rules and policy always give the same
 * deadlines in the same order, with keys that do not depend on clock times, so
 * re-computing after a change of scope or clock keeps each deadline's tracking.
 */
import { regulatoryDeadlines, type Regulation } from '../regulations';
import { type Policy } from '../policies';
import { contractualDeadlines, type ContractObligation } from './contract-deadlines';
import { type ComputedDeadline, type IncidentFacts } from './incident-types';

export interface IncidentDeadlineInput {
  incident: IncidentFacts;
  /**
   * the obligations of the contracts with the counterparties in scope (all, for 'all'); for a
   * vendor's incident, the vendor's plus those of the customer contracts the vendor's incident
   * reaches (we owe each of those customers notice). An obligation may say whose public holidays
   * its business days skip (`jurisdiction`).
   */
  obligations: ContractObligation[];
  regulations: Regulation[];
  policy: Policy;
}

/** Sorted soonest first; deadlines without a due time after those with one, by policy target. */
export function computeIncidentDeadlines(input: IncidentDeadlineInput): ComputedDeadline[] {
  const all = contractualDeadlines(input.incident, input.obligations, input.policy);
  for (const d of regulatoryDeadlines(input.incident, input.regulations, input.policy)) all.push(d);
  return sortDeadlines(all);
}

/** Soonest due first; then those with only a policy target, soonest target first; then the rest; ties by key. Sorts in place. */
export function sortDeadlines(deadlines: ComputedDeadline[]): ComputedDeadline[] {
  return deadlines.sort(compareDeadlines);
}

function compareDeadlines(a: ComputedDeadline, b: ComputedDeadline): number {
  const ta = a.dueAt ?? a.policyTargetAt;
  const tb = b.dueAt ?? b.policyTargetAt;
  const tierA = a.dueAt ? 0 : ta ? 1 : 2;
  const tierB = b.dueAt ? 0 : tb ? 1 : 2;
  if (tierA !== tierB) return tierA - tierB;
  const diff = (ta ? ta.getTime() : 0) - (tb ? tb.getTime() : 0);
  if (diff !== 0) return diff;
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}
