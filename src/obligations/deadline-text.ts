/**
 * A deadline in words, the same wherever it is shown: the obligation summaries
 * derive() writes, and the columns of the obligations export.
 */
import { type DeadlineUnit, type ObligationDeadline } from './types';

export const UNIT_WORDS: Record<DeadlineUnit, [string, string]> = {
  seconds: ['second', 'seconds'],
  minutes: ['minute', 'minutes'],
  hours: ['hour', 'hours'],
  days: ['day', 'days'],
  business_days: ['business day', 'business days'],
  weeks: ['week', 'weeks'],
  months: ['month', 'months'],
  years: ['year', 'years'],
};

/** "72 hours", "1 business day" */
export function spellPeriod(p: { amount: number; unit: DeadlineUnit }): string {
  const [one, many] = UNIT_WORDS[p.unit];
  return `${p.amount} ${p.amount === 1 ? one : many}`;
}

/** "every hour", "every 24 hours" */
export function everyPeriod(p: { amount: number; unit: DeadlineUnit }): string {
  return p.amount === 1 ? `every ${UNIT_WORDS[p.unit][0]}` : `every ${spellPeriod(p)}`;
}

/**
 * "48 hours; without undue delay", "every 24 hours", "30 days in advance",
 * "promptly"; empty for a duty with no deadline.
 */
export function deadlineText(deadline: ObligationDeadline | null): string {
  if (!deadline) return '';
  const parts: string[] = [];
  if (deadline.amount !== null && deadline.unit !== null && UNIT_WORDS[deadline.unit]) {
    const p = { amount: deadline.amount, unit: deadline.unit };
    parts.push(deadline.recurring ? everyPeriod(p) : deadline.advance ? `${spellPeriod(p)} in advance` : spellPeriod(p));
  }
  if (deadline.qualifier) parts.push(deadline.qualifier);
  return parts.join('; ');
}
