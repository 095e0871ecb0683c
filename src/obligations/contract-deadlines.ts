/**
 * The contractual deadlines an incident starts: which obligations fire, from
 * which clock, and when each falls due. Pure: the incident's clock times are
 * the only times it knows.
 *
 * Which obligations fire
 *   - Those whose trigger is an incident: security_incident, ..._suspected, ..._confirmed, and
 *     personal_data_breach only when the incident involves personal data (personal data,
 *     special categories, health data or cardholder data; credentials or customer content alone
 *     do not make it a personal data breach, the responder adds personal_data when they hold any).
 *     In practice these are notify_incident, send_incident_updates and deliver_root_cause_report;
 *     any other action a clause ties to an incident fires the same way.
 *   - Our own incident ('ours'): our duties to the counterparties affected (counterpartyIds, or
 *     with 'all' every contract where we are the provider).
 *   - A vendor's incident ('vendor', counterpartyIds = the vendors): the vendor's duties to us,
 *     tracked so we can tell whether they were met; and our own duties to every customer whose
 *     obligations were passed in (contracts where we are the provider with someone other than the
 *     vendor). Choosing those customers (all, or those whose data the vendor processes) is the
 *     caller's: it passes their obligations.
 *   A party term of 'both' ("each party shall notify the other") counts for either side.
 *
 * Which clock starts each deadline (the clause's own words, as derived: awareness, discovery,...)
 *   awareness -> awareAt; discovery and suspicion -> detectedAt; confirmation -> confirmedAt;
 *   determination -> confirmedAt, else determinedAt; occurrence -> occurredAt; a clause that
 *   names no clock -> detectedAt for a suspected incident, confirmedAt for a confirmed one,
 *   awareAt otherwise. A missing detection or awareness time falls back to the other one.
 *   - Our duties in a vendor's incident run from when WE became aware (awareAt), or from our
 *     confirmation for a clause counted from confirmation: we cannot have known earlier.
 *   - The vendor's duties run from the same incident clocks: the vendor's own awareness is not
 *     known to us, so the times recorded for the incident stand in for it (the responder records
 *     the vendor's detection as detectedAt when the vendor reports it).
 *   - A clock not yet known (a clause counted from confirmation while the incident is only
 *     suspected) gives no deadline yet: none is invented. It appears, under the same key, once
 *     the time is recorded. An incident marked confirmed without a confirmation time counts from
 *     awareness (earlier, so never late), and says so in the title; so does a clause counted from
 *     occurrence when the occurrence time is not recorded (counted from detection).
 *   - Updates and root-cause reports run from their clause's initial notice clock: the first
 *     update is due one period after it (the notice itself is due at the latest then), a report
 *     "within 5 business days after containment" from that clock too, because containment has no
 *     clock of its own; earlier than the contract's own reading, never later, and the title says so.
 *
 * When it falls due
 *   - Hours are elapsed time. Days, weeks, months and business days end at the end of their last
 *     day in the incident's time zone (a period in days ends "with the expiry of the last hour of
 *     the last day", Regulation (EEC, Euratom) No 1182/71 Art. 3(2)(b), the common reading of
 *     contracts too).
 *   - Business days skip the public holidays of the contract's jurisdiction when the caller
 *     gives one (`jurisdiction`, e.g. the governing law or the recipient's country), else of the
 *     incident's first jurisdiction that has a holiday calendar, else weekends only.
 *   - Update cadences become recurring deadlines: occurrences 1..UPDATE_OCCURRENCES, each with
 *     its own key; later ones are for people to mark not applicable once the incident is over.
 *   - A duty with no number keeps its qualifier ("without undue delay"), has no due time, and
 *     gets the policy's target as policyTargetAt; a duty with neither number nor qualifier is
 *     marked "no time limit stated" and gets that qualifier's target (or the default).
 */
import { deadlineTarget, type Policy } from '../policies';
import { dueAfter, holidayRegionFor, holidayRegionOf } from './deadline-math';
import { type ClockName, type ComputedDeadline, type DataCategory, type DeadlineSource, type IncidentFacts, type IncidentObligation } from './incident-types';
import { type DeadlineUnit, type ObligationTrigger } from './types';

/** An obligation with, optionally, whose calendar its business days follow. */
export type ContractObligation = IncidentObligation & {
  /** 'US-NY', 'UK', 'DE', ...: the contract's governing law or the recipient's country, when known */
  jurisdiction?: string | null;
};

/** How many occurrences of an update cadence are listed. */
export const UPDATE_OCCURRENCES = 7;

/** The qualifier given to a duty that states neither a time nor a qualifier. */
export const NO_TIME_STATED = 'no time limit stated';

const INCIDENT_TRIGGERS: ReadonlySet<ObligationTrigger> = new Set([
  'security_incident',
  'security_incident_suspected',
  'security_incident_confirmed',
  'personal_data_breach',
]);

const PERSONAL_DATA: ReadonlySet<DataCategory> = new Set(['personal_data', 'special_categories', 'health_data', 'cardholder_data']);

const DAY_UNITS: ReadonlySet<DeadlineUnit> = new Set(['days', 'business_days', 'weeks', 'months', 'years']);

const CLOCK_WORDS: Record<ClockName, string> = {
  occurredAt: 'occurrence',
  detectedAt: 'detection',
  awareAt: 'awareness',
  confirmedAt: 'confirmation',
  determinedAt: 'determination',
  extortionPaymentAt: 'the extortion payment',
};

interface Clock {
  name: ClockName;
  at: Date;
  /** said in the title when the clock is not the one the clause names */
  note: string | null;
}

type Side = 'us' | 'counterparty';

export function involvesPersonalData(categories: readonly DataCategory[]): boolean {
  return categories.some((c) => PERSONAL_DATA.has(c));
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '') : [];
}

function clockStartOf(o: IncidentObligation): string | null {
  const v = o.details.clockStart;
  return typeof v === 'string' ? v : null;
}

/** Who owes the duty in this incident, or null when it does not fire. */
function whoOwes(o: IncidentObligation, incident: IncidentFacts, scope: ReadonlySet<string> | null, personal: boolean): Side | null {
  if (!INCIDENT_TRIGGERS.has(o.trigger)) return null;
  if (o.trigger === 'personal_data_breach' && !personal) return null;
  const weOwe = o.obligor === 'us' || o.obligor === 'both';
  const theyOwe = o.obligor === 'counterparty' || o.obligor === 'both';
  const toUs = o.beneficiary === 'us' || o.beneficiary === 'both';
  const toThem = o.beneficiary === 'counterparty' || o.beneficiary === 'both';
  if (incident.origin === 'vendor') {
    // A vendor is a counterparty we buy from; a counterparty we provide to, named beside it, is a
    // customer whose data the vendor holds: our duties to it run, not its duties to us.
    if (o.ourRole === 'customer') return (scope ? scope.has(o.counterpartyId) : true) && theyOwe && toUs ? 'counterparty' : null;
    return weOwe && toThem ? 'us' : null;
  }
  const affected = scope ? scope.has(o.counterpartyId) : o.ourRole === 'provider';
  return affected && weOwe && toThem ? 'us' : null;
}

const at = (name: ClockName, date: Date | null | undefined, note: string | null = null): Clock | null => (date ? { name, at: date, note } : null);

/** The clock a clause's words name, from the incident's recorded times; null while it is unknown. */
function clockFor(start: string | null, trigger: ObligationTrigger, incident: IncidentFacts, side: Side): Clock | null {
  const aware = () => at('awareAt', incident.awareAt) ?? at('detectedAt', incident.detectedAt);
  const detected = () => at('detectedAt', incident.detectedAt) ?? at('awareAt', incident.awareAt);
  const confirmed = (orDetermined: boolean): Clock | null => {
    const c = at('confirmedAt', incident.confirmedAt) ?? (orDetermined ? at('determinedAt', incident.determinedAt) : null);
    if (c) return c;
    // confirmed but when is not recorded: awareness came no later, so counting from it is never late
    if (incident.status !== 'suspected') {
      const a = aware();
      if (a) return { ...a, note: `confirmation time not recorded, counted from ${CLOCK_WORDS[a.name]}` };
    }
    return null;
  };
  const kind = start ?? (trigger === 'security_incident_suspected' ? 'suspicion' : trigger === 'security_incident_confirmed' ? 'confirmation' : 'awareness');

  if (incident.origin === 'vendor' && side === 'us') {
    // our own duty in a vendor's incident: we knew nothing before the vendor (or our monitoring) told us
    return kind === 'confirmation' || kind === 'determination' ? confirmed(kind === 'determination') : aware();
  }
  switch (kind) {
    case 'confirmation':
      return confirmed(false);
    case 'determination':
      return confirmed(true);
    case 'discovery':
    case 'suspicion':
      return detected();
    case 'occurrence': {
      const o = at('occurredAt', incident.occurredAt);
      if (o) return o;
      const d = detected();
      return d ? { ...d, note: `occurrence time not recorded, counted from ${CLOCK_WORDS[d.name]}: the true deadline is earlier` } : null;
    }
    default:
      return aware();
  }
}

interface Counting {
  timeZone: string;
  fallbackRegion: string | null;
  /** due times already computed in this run, by clock + period + calendar: most contracts share a few windows */
  memo: Map<string, Date>;
  regions: Map<string, string | null>;
  /** clocks already resolved in this run, by side + clause clock + trigger */
  clocks: Map<string, ResolvedClock | null>;
  targets: Map<string, { amount: number; unit: DeadlineUnit }>;
}

interface ResolvedClock {
  /** as given to the deadlines (shared: computed values are never mutated) */
  clock: { name: ClockName; at: Date };
  note: string | null;
}

function regionOf(o: ContractObligation, c: Counting): string | null {
  if (!o.jurisdiction) return c.fallbackRegion;
  let r = c.regions.get(o.jurisdiction);
  if (r === undefined) {
    r = holidayRegionFor(o.jurisdiction) ?? c.fallbackRegion;
    c.regions.set(o.jurisdiction, r);
  }
  return r;
}

function due(start: Date, amount: number, unit: DeadlineUnit, region: string | null, c: Counting): Date {
  const key = `${start.getTime()}|${amount}|${unit}|${region ?? ''}`;
  let d = c.memo.get(key);
  if (!d) {
    d = dueAfter(start, amount, unit, { timeZone: c.timeZone, holidayRegion: region, endOfDay: DAY_UNITS.has(unit) });
    c.memo.set(key, d);
  }
  return d;
}

function clockOf(start: string | null, o: IncidentObligation, incident: IncidentFacts, side: Side, c: Counting): ResolvedClock | null {
  const key = `${side}|${start ?? ''}|${o.trigger}`;
  let resolved = c.clocks.get(key);
  if (resolved === undefined) {
    const clock = clockFor(start, o.trigger, incident, side);
    resolved = clock ? { clock: { name: clock.name, at: clock.at }, note: clock.note } : null;
    c.clocks.set(key, resolved);
  }
  return resolved;
}

function targetOf(qualifier: string, policy: Policy, c: Counting): { amount: number; unit: DeadlineUnit } {
  let t = c.targets.get(qualifier);
  if (!t) {
    t = deadlineTarget(policy, qualifier);
    c.targets.set(qualifier, t);
  }
  return t;
}

const HOURS_PER: Record<DeadlineUnit, number> = {
  seconds: 1 / 3600,
  minutes: 1 / 60,
  hours: 1,
  days: 24,
  business_days: 24,
  weeks: 168,
  months: 730,
  years: 8760,
};

/** The contractual deadlines, unsorted. */
export function contractualDeadlines(incident: IncidentFacts, obligations: readonly ContractObligation[], policy: Policy): ComputedDeadline[] {
  const scope = incident.counterpartyIds === 'all' ? null : new Set(incident.counterpartyIds);
  const personal = involvesPersonalData(incident.dataCategories);
  const counting: Counting = {
    timeZone: incident.timeZone,
    fallbackRegion: holidayRegionOf(incident.jurisdictions),
    memo: new Map(),
    regions: new Map(),
    clocks: new Map(),
    targets: new Map(),
  };
  // a bad zone would otherwise surface as a fault deep inside one obligation's arithmetic
  dueAfter(new Date(0), 1, 'days', { timeZone: incident.timeZone });

  // the clock of each clause's initial notice, for its updates and report
  const noticeClock = new Map<string, string | null>();
  for (const o of obligations) {
    if (o.action !== 'notify_incident' || !whoOwes(o, incident, scope, personal)) continue;
    const k = `${o.clauseId}|${o.obligor}`;
    if (noticeClock.get(k) == null) noticeClock.set(k, clockStartOf(o));
  }

  const out: ComputedDeadline[] = [];
  for (const o of obligations) {
    const side = whoOwes(o, incident, scope, personal);
    if (!side) continue;
    const own = clockStartOf(o);
    const start = o.action === 'notify_incident' ? own : own ?? noticeClock.get(`${o.clauseId}|${o.obligor}`) ?? null;
    const resolved = clockOf(start, o, incident, side, counting);
    if (!resolved) continue;
    const { clock } = resolved;

    const ours = side === 'us';
    const notifier = ours ? 'us' : o.counterpartyName;
    const recipient = ours ? o.counterpartyName : 'us';
    const keyBase = `clause:${o.id}:${ours ? o.counterpartyId : 'us'}:`;
    let note = resolved.note;
    if (o.action === 'deliver_root_cause_report') {
      const until = /after (containment|resolution)/i.exec(o.summary);
      if (until) {
        const more = `counted from ${CLOCK_WORDS[clock.name]}: ${until[1].toLowerCase()} has no recorded time`;
        note = note ? `${note}; ${more}` : more;
      }
    }
    const head = `${o.summary} (${notifier} to ${recipient}`;
    const tail = note ? `): ${note}` : ')';
    const method = strings(o.details.method);
    const content = strings(o.details.content);
    const source: DeadlineSource = {
      kind: 'clause',
      contractId: o.contractId,
      clauseId: o.clauseId,
      obligationId: o.id,
      counterpartyId: o.counterpartyId,
      counterpartyName: o.counterpartyName,
      page: o.page,
      quote: o.quote,
    };
    const make = (key: string, title: string, dueAt: Date | null, qualifier: string | null, policyTargetAt: Date | null, recurrence: ComputedDeadline['recurrence']): ComputedDeadline => ({
      key,
      title,
      dueAt,
      qualifier,
      policyTargetAt,
      clock,
      notifier,
      recipient,
      method,
      content,
      recurrence,
      owedBy: side,
      source,
    });

    const d = o.deadline;
    const amount = d?.amount ?? null;
    const unit = d?.unit ?? null;
    if (d && amount !== null && unit !== null && amount >= 0) {
      const region = unit === 'business_days' ? regionOf(o, counting) : null;
      if (d.recurring && amount > 0) {
        const everyHours = amount * HOURS_PER[unit];
        for (let k = 1; k <= UPDATE_OCCURRENCES; k++) {
          out.push(make(keyBase + k, `${head}, update ${k} of ${UPDATE_OCCURRENCES}${tail}`, due(clock.at, amount * k, unit, region, counting), d.qualifier, null, { everyHours, occurrence: k }));
        }
      } else {
        out.push(make(`${keyBase}1`, head + tail, due(clock.at, amount, unit, region, counting), d.qualifier, null, null));
      }
      continue;
    }

    const qualifier = d?.qualifier ?? NO_TIME_STATED;
    const target = targetOf(qualifier, policy, counting);
    const targetRegion = target.unit === 'business_days' ? regionOf(o, counting) : null;
    out.push(make(`${keyBase}1`, head + tail, null, qualifier, due(clock.at, target.amount, target.unit, targetRegion, counting), null));
  }
  return out;
}
