import { NUMBER_SRC, parseNumber } from './numbers';

/**
 * The window of fees a cap looks back over: "in the twelve (12) months
 * preceding the claim", "during the 12-month period immediately before",
 * "the prior year", "in the Contract Year in which the claim arose".
 * Returned in months.
 */
const PERIOD = `(?<num>${NUMBER_SRC})[\\s-]*(?:\\(\\s*\\d+\\s*\\)[\\s-]*)?(?<unit>months?|years?)`;
const LOOKBACK_RE = new RegExp(
  [
    // "... twelve (12) months preceding / prior to / before ..."
    `${PERIOD}(?:\\s+period)?(?:\\s+(?:immediately|directly))?\\s+(?:preceding|prior\\s+to|before|previous\\s+to|leading\\s+up\\s+to|ending\\s+on)`,
    // "... in the preceding / prior / previous / last twelve months"
    `(?:preceding|prior|previous|last|past|trailing)\\s+(?<num2>${NUMBER_SRC})[\\s-]*(?:\\(\\s*\\d+\\s*\\)[\\s-]*)?(?<unit2>months?|years?)`,
    // "the prior year", "the preceding contract year", "the previous calendar year"
    `(?:preceding|prior|previous|last|past)\\s+(?:calendar\\s+|contract\\s+|subscription\\s+|twelve[\\s-]month\\s+)?(?<year>year)\\b`,
    // "in the Contract Year in which", "during any Contract Year", "per annum", "annual fees"
    `(?<contractyear>(?:contract|subscription|service)\\s+year\\b|\\bper\\s+annum\\b|\\bannual(?:ised|ized)?\\s+(?:fees|charges|value|subscription))`,
  ].join('|'),
  'i',
);

export function findLookbackMonths(text: string): number | null {
  const m = LOOKBACK_RE.exec(text);
  if (!m) return null;
  const g = m.groups!;
  const num = g.num ?? g.num2;
  const unit = g.unit ?? g.unit2;
  if (num !== undefined && unit !== undefined) {
    const n = parseNumber(num);
    if (n === null) return null;
    return /^y/i.test(unit) ? n * 12 : n;
  }
  return 12;
}
