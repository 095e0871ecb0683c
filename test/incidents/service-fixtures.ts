/**
 * Incidents and computed deadlines for the tests of storage, service and
 * routes; a fake computation that gives deadlines from the facts in a way a
 * test can predict (and change by changing the facts).
 */
import { type IncidentDeadlineInput } from '../../src/obligations/incident-deadlines';
import { type ComputedDeadline } from '../../src/obligations/incident-types';
import { type NewIncident } from '../../src/db/store';

export const AWARE = new Date('2026-03-02T09:00:00Z');
export const DETECTED = new Date('2026-03-02T08:10:00Z');

export function newIncidentFacts(over: Partial<NewIncident> = {}): NewIncident {
  return {
    title: 'Acme Hosting storage exposure',
    description: null,
    origin: 'vendor',
    status: 'suspected',
    severity: 'high',
    occurredAt: null,
    detectedAt: DETECTED,
    awareAt: AWARE,
    confirmedAt: null,
    determinedAt: null,
    extortionPaymentAt: null,
    dataCategories: ['personal_data'],
    jurisdictions: ['EU'],
    sectors: [],
    counterpartyIds: [],
    affectedCount: null,
    timeZone: 'Europe/Berlin',
    ourDataRole: 'controller',
    ...over,
  };
}

const HOUR = 3_600_000;

export function computedDeadline(over: Partial<ComputedDeadline> = {}): ComputedDeadline {
  return {
    key: 'regulation:gdpr.art33:supervisory-authority',
    title: 'Notify the supervisory authority of a personal data breach',
    dueAt: new Date(AWARE.getTime() + 72 * HOUR),
    qualifier: null,
    policyTargetAt: null,
    clock: { name: 'awareAt', at: AWARE },
    notifier: 'us',
    recipient: 'supervisory authority',
    method: ['online form'],
    content: ['nature of the breach', 'measures taken'],
    recurrence: null,
    owedBy: 'us',
    source: { kind: 'regulation', regime: 'gdpr', ruleId: 'gdpr.art33', citation: 'GDPR Art. 33(1)', url: null, lastChecked: '2026-01-15' },
    ...over,
  };
}

/**
 * A stand-in for the deadline computation: GDPR 72 h from awareness when
 * personal data of people in the EU is involved; for each obligation in scope,
 * its window from awareness (or "without undue delay" with a 24 h target).
 * Records what it was given.
 */
export function fakeCompute(): ((input: IncidentDeadlineInput) => ComputedDeadline[]) & { calls: IncidentDeadlineInput[] } {
  const calls: IncidentDeadlineInput[] = [];
  const fn = (input: IncidentDeadlineInput): ComputedDeadline[] => {
    calls.push(input);
    const { incident } = input;
    const out: ComputedDeadline[] = [];
    const aware = incident.awareAt;
    if (!aware) return out;
    if (incident.dataCategories.includes('personal_data') && incident.jurisdictions.includes('EU')) {
      out.push(computedDeadline({ dueAt: new Date(aware.getTime() + 72 * HOUR), clock: { name: 'awareAt', at: aware } }));
    }
    for (const o of input.obligations) {
      const hours = o.deadline?.unit === 'hours' ? (o.deadline.amount ?? null) : null;
      out.push(
        computedDeadline({
          key: `clause:${o.id}`,
          title: o.summary,
          dueAt: hours === null ? null : new Date(aware.getTime() + hours * HOUR),
          qualifier: hours === null ? (o.deadline?.qualifier ?? 'without undue delay') : null,
          policyTargetAt: hours === null ? new Date(aware.getTime() + 24 * HOUR) : null,
          clock: { name: 'awareAt', at: aware },
          notifier: o.obligor === 'us' ? 'us' : o.counterpartyName,
          recipient: o.obligor === 'us' ? o.counterpartyName : 'us',
          owedBy: o.obligor === 'us' ? 'us' : 'counterparty',
          source: { kind: 'clause', contractId: o.contractId, clauseId: o.clauseId, obligationId: o.id, counterpartyId: o.counterpartyId, counterpartyName: o.counterpartyName, page: o.page, quote: o.quote },
        }),
      );
    }
    return out;
  };
  return Object.assign(fn, { calls });
}
