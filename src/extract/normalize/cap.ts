import { findLookbackMonths } from './lookback';
import { findMoney } from './money';
import { findMultiples } from './multiples';

export type CapKind = 'fees_multiple' | 'fixed_amount' | 'greater_of' | 'lesser_of' | 'defined_elsewhere' | 'insurance_limit';

export interface CapValue {
  kind: CapKind | null;
  multiple: number | null;
  lookback_months: number | null;
  amount: number | null;
  currency: string | null;
}

const GREATER = /\b(?:greater|higher|larger)\s+of\b|\bwhichever\s+is\s+(?:the\s+)?(?:greater|higher|larger|more|bigger)\b/i;
const LESSER = /\b(?:lesser|lower|smaller)\s+of\b|\bwhichever\s+is\s+(?:the\s+)?(?:less|lesser|lower|smaller|fewer)\b/i;
const FEES =
  /\b(?:fees|charges|amounts?|sums?|monies|price|consideration|compensation|subscription|payments?)\b[^.;]{0,80}?\b(?:paid|payable|received|due|invoiced|incurred|spent)\b|\b(?:amounts?|fees|charges)\s+(?:that\s+)?(?:you|customer|client|company|licensee)\s+(?:has\s+|have\s+)?(?:paid|pays)\b|\b(?:paid|payable)\s+(?:by\s+\w+\s+)?(?:to\s+\w+\s+)?(?:under|pursuant\s+to|in\s+respect\s+of)\b|\byou\s+(?:have\s+)?paid\s+us\b|\bamounts?\s+(?:\w+\s+){0,3}(?:pay|pays|paid)\b|\b(?:annual|total|aggregate)\s+(?:contract\s+)?(?:fees|charges|value)\b|\bcontract\s+value\b/i;
const ELSEWHERE =
  /\b(?:liability\s+cap|cap\s+on\s+liability|limitation\s+amount|cap\s+amount)\b|\b(?:set\s+(?:out|forth)|specified|stated|provided|described)\s+in\s+(?:the\s+)?(?:order\s+form|agreement|master\s+\w+\s+agreement|msa|schedule|section|clause|exhibit|sow|statement\s+of\s+work|principal\s+agreement|main\s+agreement|underlying\s+agreement|services\s+agreement)\b|\b(?:limitations?|exclusions?)\s+(?:and\s+exclusions\s+)?of\s+liability\s+(?:set\s+(?:out|forth)\s+)?in\s+the\s+(?:agreement|msa|principal|main|underlying|services)/i;
const INSURANCE =
  /\b(?:proceeds|amounts?|sums?)\s+(?:actually\s+)?(?:recovered|recoverable|paid|payable|received)\s+(?:by\s+\w+\s+)?under\s+(?:its|the|our|their|any|such)\s+(?:applicable\s+|relevant\s+)?(?:\w+\s+){0,2}insurance\b|\binsurance\s+(?:policy\s+)?limits?\b|\b(?:amount|limit)\s+of\s+(?:its|the|our|their|any)\s+(?:\w+\s+){0,3}insurance\b/i;

/** Reads the shape of a cap from the sentence (or the part of it) that states it. */
export function analyseCap(text: string): CapValue {
  const money = findMoney(text);
  const fees = FEES.exec(text);
  const multiples = findMultiples(text).filter((m) => {
    // A multiple counts only when it applies to the fees ("two times the fees", "150% of the Charges").
    const after = text.slice(m.end, m.end + 40);
    return /^\s*(?:\(\s*\d+\s*[x×]?\s*\)\s*)?(?:the\s+|of\s+the\s+|of\s+|all\s+|any\s+|total\s+|aggregate\s+|annual\s+|amounts?\s+)*(?:fees|charges|amounts?|sums?|price|total|aggregate|annual|contract|subscription|monies|value)/i.test(after);
  });
  const lookback = findLookbackMonths(text);
  const feeBased = fees !== null || multiples.length > 0;
  const first = money[0] ?? null;

  const value: CapValue = { kind: null, multiple: null, lookback_months: null, amount: null, currency: null };
  if (feeBased) {
    value.multiple = multiples.length > 0 ? multiples[0].multiple : 1;
    value.lookback_months = lookback;
  }
  if (first) {
    value.amount = first.amount;
    value.currency = first.currency;
  }
  if (GREATER.test(text) && (first || feeBased)) value.kind = 'greater_of';
  else if (LESSER.test(text) && (first || feeBased)) value.kind = 'lesser_of';
  else if (feeBased) value.kind = 'fees_multiple';
  else if (first) value.kind = 'fixed_amount';
  else if (INSURANCE.test(text)) value.kind = 'insurance_limit';
  else if (ELSEWHERE.test(text)) value.kind = 'defined_elsewhere';
  if (value.kind === 'fees_multiple') {
    value.amount = null;
    value.currency = null;
  }
  return value;
}
