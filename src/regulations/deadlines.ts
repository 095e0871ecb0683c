import { DateTime } from 'luxon';
import { dueAfter } from '../obligations/deadline-math';
import { type ClockName, type ComputedDeadline, type IncidentFacts } from '../obligations/incident-types';
import { deadlineTarget, type Policy } from '../policies';
import { type AppliesWhen, type Regulation } from './index';
import { jurisdictionMatches } from './jurisdictions';

/**
 * Which regulatory duties an incident triggers, and when each falls due. Pure:
 * every time comes from the incident; nothing reads a clock.
 */

/** Why a duty does not apply to an incident, or null when it does. */
export function applicability(when: AppliesWhen | undefined, incident: IncidentFacts): string | null {
  if (!when) return null;
  if (when.jurisdictions && !jurisdictionMatches(incident.jurisdictions, when.jurisdictions)) {
    return `no affected people in ${when.jurisdictions.join(', ')}`;
  }
  if (when.dataCategories && !incident.dataCategories.some((c) => when.dataCategories!.includes(c))) {
    return `no ${when.dataCategories.join(', ')} involved`;
  }
  if (when.sectors && !incident.sectors.some((s) => when.sectors!.includes(s))) {
    return `not in sector ${when.sectors.join(', ')}`;
  }
  // a role not stated yet may be either: the duty is listed for a person to mark not applicable
  if (when.ourDataRole && incident.ourDataRole && !when.ourDataRole.includes(incident.ourDataRole)) {
    return `our role is ${incident.ourDataRole}, not ${when.ourDataRole.join(' or ')}`;
  }
  if (when.origin && !when.origin.includes(incident.origin)) return `origin is ${incident.origin}`;
  if (when.severity && incident.severity && !when.severity.includes(incident.severity)) {
    return `severity ${incident.severity} is below ${when.severity.join(', ')}`;
  }
  const count = when.affectedCount;
  if (count) {
    const n = incident.affectedCount;
    if (n === null || n === undefined) {
      if (count.ifUnknown === 'does_not_apply') return 'the number of people affected is not known';
    } else if ((count.gte !== undefined && n < count.gte) || (count.gt !== undefined && n <= count.gt) || (count.lt !== undefined && n >= count.lt)) {
      const bounds = [count.gte !== undefined && `>= ${count.gte}`, count.gt !== undefined && `> ${count.gt}`, count.lt !== undefined && `< ${count.lt}`].filter(Boolean);
      return `${n} people affected, the duty needs ${bounds.join(' and ')}`;
    }
  }
  if (when.extortionPayment && !incident.extortionPaymentAt) return 'no extortion payment made';
  return null;
}

function firstKnown(incident: IncidentFacts, names: readonly ClockName[]): { name: ClockName; at: Date } | null {
  for (const name of names) {
    const at = incident[name];
    if (at instanceof Date && !Number.isNaN(at.getTime())) return { name, at };
  }
  return null;
}

/**
 * While a duty's own clock has not started there is no date to give, but a
 * deadline must still say which incident time it is shown against: the first
 * of these the incident knows, named as such (its qualifier says what the
 * duty's own clock waits for).
 */
const REFERENCE_CLOCKS: readonly ClockName[] = ['awareAt', 'detectedAt', 'confirmedAt', 'determinedAt', 'occurredAt'];

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** Stable across re-computation: the rule and its recipient, never a time. */
export function deadlineKey(reg: Regulation): string {
  return `${reg.id}:${slug(reg.recipient ?? 'recipient')}`;
}

/** The ComputedDeadline of every duty that applies to the incident, in the order the rules are given. */
export function regulatoryDeadlines(incident: IncidentFacts, regulations: Regulation[], policy: Policy): ComputedDeadline[] {
  const out: ComputedDeadline[] = [];
  for (const reg of regulations) {
    if (!reg.clock || !reg.recipient) continue;
    if (applicability(reg.appliesWhen, incident) !== null) continue;
    const options = { timeZone: incident.timeZone, holidayRegion: reg.holidayRegion ?? null, endOfDay: reg.endOfDay ?? false };
    const base = {
      key: deadlineKey(reg),
      title: reg.title,
      notifier: reg.notifier ?? 'us',
      recipient: reg.recipient,
      method: [...(reg.method ?? [])],
      content: [...(reg.content ?? [])],
      recurrence: null,
      owedBy: 'us' as const,
      source: { kind: 'regulation' as const, regime: reg.regime, ruleId: reg.id, citation: reg.citation, url: reg.url, lastChecked: reg.lastChecked },
    };

    const own = firstKnown(incident, reg.clock.from);
    let start = own ? own.at : null;
    if (start && reg.clock.anchor === 'end_of_calendar_year') {
      start = DateTime.fromJSDate(start, { zone: incident.timeZone }).endOf('year').toJSDate();
    }

    if (reg.period) {
      let due = start ? dueAfter(start, reg.period.amount, reg.period.unit, options) : null;
      let clock = own;
      const capClock = reg.noLaterThan ? firstKnown(incident, reg.noLaterThan.from) : null;
      if (reg.noLaterThan && capClock) {
        const capDue = dueAfter(capClock.at, reg.noLaterThan.amount, reg.noLaterThan.unit, options);
        if (!due || capDue < due) {
          due = capDue;
          clock = capClock;
        }
      }
      if (due && clock) {
        out.push({ ...base, dueAt: due, qualifier: null, policyTargetAt: null, clock });
        continue;
      }
    } else if (reg.qualifier && own) {
      // the same target a contract's qualifier gets, so one policy governs both
      const target = deadlineTarget(policy, reg.qualifier);
      const policyTargetAt = dueAfter(own.at, target.amount, target.unit, { timeZone: incident.timeZone, holidayRegion: reg.holidayRegion ?? null });
      out.push({ ...base, dueAt: null, qualifier: reg.qualifier, policyTargetAt, clock: own });
      continue;
    }

    // The duty applies but what starts its clock has not happened (or is not recorded) yet: listed without a date.
    const reference = firstKnown(incident, REFERENCE_CLOCKS);
    if (!reference) continue;
    out.push({ ...base, dueAt: null, qualifier: `clock not started: ${reg.clock.startsWhen}`, policyTargetAt: null, clock: reference });
  }
  return out;
}
