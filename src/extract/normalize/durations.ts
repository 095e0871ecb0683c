import { NUMBER_SRC, parseNumber } from './numbers';

export type DurationUnit = 'seconds' | 'minutes' | 'hours' | 'days' | 'business_days' | 'weeks' | 'months' | 'years';

export interface Duration {
  duration: number;
  unit: DurationUnit;
  /** Offsets of the expression in the string it was found in. */
  start: number;
  end: number;
}

// (the white space before the unit is matched once, by DURATION_SRC: "[\\s-]*" twice in a row
// tried every split of a long run of spaces after a number, quadratic in its length)
const UNIT_SRC =
  '(?:(?<business>business|working|bank)[\\s-]*)?(?:calendar[\\s-]+)?(?<unit>seconds?|secs?|minutes?|mins?|hours?|hrs?|h(?![a-z])|days?|weeks?|months?|years?)\\b';

/**
 * "seventy-two (72) hours", "5 Business Days", "48-hour", "one (1) calendar
 * month", "72h", "a week", "twenty-four (24) hour period".
 */
export const DURATION_SRC =
  `(?:(?<num>${NUMBER_SRC})|(?<one>\\b(?:a|an|one|each|every|per)\\b))[\\s-]*(?:\\(\\s*\\d+\\s*\\)[\\s-]*)?${UNIT_SRC}`;

const DURATION_RE = new RegExp(DURATION_SRC, 'gi');

function unitOf(unit: string, business: boolean): DurationUnit {
  const u = unit.toLowerCase();
  if (u.startsWith('s')) return 'seconds';
  if (u.startsWith('min')) return 'minutes';
  if (u.startsWith('h')) return 'hours';
  if (u.startsWith('d')) return business ? 'business_days' : 'days';
  if (u.startsWith('w')) return 'weeks';
  if (u.startsWith('mo')) return 'months';
  return 'years';
}

/** Every duration expression in `text`, in order. */
export function findDurations(text: string): Duration[] {
  const out: Duration[] = [];
  DURATION_RE.lastIndex = 0;
  for (let m = DURATION_RE.exec(text); m; m = DURATION_RE.exec(text)) {
    const g = m.groups!;
    const amount = g.num !== undefined ? parseNumber(g.num) : 1;
    // "a" / "an" only count when the unit follows at once ("a week"), not "a Business Day" in
    // "a Business Day on which" - the same rule applies, so it is kept.
    if (amount === null || amount <= 0) continue;
    // "business" only makes days business days; "business hours" are hours.
    out.push({
      duration: amount,
      unit: unitOf(g.unit, Boolean(g.business)),
      start: m.index,
      end: m.index + m[0].length,
    });
  }
  return out;
}
