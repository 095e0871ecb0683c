/**
 * A vendor incident with the kinds of deadline the exports must show: a
 * regulation's fixed window, the vendor's duty to us (done), our duties to two
 * customers (one without a number, so only a policy target), and a duty with
 * neither a due time nor a target.
 */
import { type IncidentRecord, type TrackedDeadline } from '../../src/obligations/incident-types';

export const AWARE = new Date('2026-03-02T09:00:00Z');

export function incident(overrides: Partial<IncidentRecord> = {}): IncidentRecord {
  return {
    id: 'inc-1',
    title: 'Acme Hosting storage exposure',
    description: 'A storage bucket at Acme Hosting holding customer exports was publicly readable.',
    origin: 'vendor',
    status: 'confirmed',
    severity: 'high',
    occurredAt: new Date('2026-03-01T22:00:00Z'),
    detectedAt: new Date('2026-03-02T08:10:00Z'),
    awareAt: AWARE,
    confirmedAt: null,
    determinedAt: null,
    dataCategories: ['personal_data', 'credentials'],
    jurisdictions: ['EU', 'DE'],
    counterpartyIds: ['cp-acme'],
    counterpartyNames: ['Acme Hosting'],
    affectedCount: 1200,
    timeZone: 'Europe/Berlin',
    sectors: [],
    ourDataRole: 'controller',
    createdAt: new Date('2026-03-02T09:05:00Z'),
    updatedAt: new Date('2026-03-02T09:30:00Z'),
    createdBy: 'responder@example.com',
    ...overrides,
  };
}

type Extra = Partial<TrackedDeadline>;

function base(id: string, extra: Extra): TrackedDeadline {
  return {
    id,
    incidentId: 'inc-1',
    key: `key-${id}`,
    title: 'Notify',
    dueAt: null,
    qualifier: null,
    policyTargetAt: null,
    clock: { name: 'awareAt', at: AWARE },
    notifier: 'us',
    recipient: 'someone',
    method: [],
    content: [],
    recurrence: null,
    owedBy: 'us',
    source: { kind: 'regulation', regime: 'gdpr', ruleId: 'gdpr.art33', citation: 'GDPR Art. 33(1)', url: 'https://eur-lex.europa.eu/eli/reg/2016/679/oj', lastChecked: '2026-01-15' },
    status: 'open',
    doneAt: null,
    doneBy: null,
    note: null,
    evidenceFileName: null,
    notApplicableReason: null,
    ...extra,
  };
}

export const gdpr = base('d-gdpr', {
  title: 'Notify the supervisory authority of a personal data breach',
  dueAt: new Date('2026-03-05T09:00:00Z'),
  recipient: 'supervisory authority',
  method: ['online form of the supervisory authority'],
  content: ['nature of the breach', 'categories and approximate number of data subjects', 'likely consequences', 'measures taken or proposed', 'contact point (DPO)'],
});

export const vendorDuty = base('d-vendor', {
  title: 'Acme Hosting notifies us of the security incident',
  dueAt: new Date('2026-03-05T08:10:00Z'),
  clock: { name: 'detectedAt', at: new Date('2026-03-02T08:10:00Z') },
  notifier: 'Acme Hosting',
  recipient: 'us',
  owedBy: 'counterparty',
  method: ['e-mail to the customer security contact'],
  content: ['nature of the incident'],
  source: {
    kind: 'clause',
    contractId: 'c-acme',
    clauseId: 'cl-1',
    obligationId: 'o-1',
    counterpartyId: 'cp-acme',
    counterpartyName: 'Acme Hosting',
    page: 4,
    quote: 'Provider shall notify Customer within seventy-two (72) hours after becoming aware of a Security Incident.',
  },
  status: 'done',
  doneAt: new Date('2026-03-02T15:00:00Z'),
  doneBy: 'alice@example.com',
  note: 'Acme e-mail of 2 March, ticket SEC-12',
});

export const globexPrompt = base('d-globex', {
  title: 'Notify Globex of the security incident',
  qualifier: 'without undue delay',
  policyTargetAt: new Date('2026-03-03T09:00:00Z'),
  recipient: 'Globex',
  method: ['written notice to legal@globex.example'],
  content: ['nature of the incident', 'data involved', 'a point of contact'],
  source: {
    kind: 'clause',
    contractId: 'c-globex',
    clauseId: 'cl-2',
    obligationId: 'o-2',
    counterpartyId: 'cp-globex',
    counterpartyName: 'Globex',
    page: 7,
    quote: 'Supplier will inform Customer without undue delay of any Personal Data Breach.',
  },
});

export const initech = base('d-initech', {
  title: 'Notify Initech of the security incident',
  dueAt: new Date('2026-03-04T09:00:00Z'),
  recipient: 'Initech',
  method: ['e-mail to security@initech.example'],
  content: ['nature of the incident', 'categories of data', 'remediation steps', 'forensic report summary'],
  source: {
    kind: 'clause',
    contractId: 'c-initech',
    clauseId: 'cl-3',
    obligationId: 'o-3',
    counterpartyId: 'cp-initech',
    counterpartyName: 'Initech',
    page: 12,
    quote: 'Supplier shall notify Initech within 48 hours of discovery.',
  },
});

export const initechUpdate = base('d-initech-2', {
  title: 'Update Initech on the security incident',
  dueAt: new Date('2026-03-05T09:00:00Z'),
  recipient: 'Initech',
  method: ['e-mail to security@initech.example', 'telephone'],
  content: ['status of the investigation'],
  recurrence: { everyHours: 24, occurrence: 2 },
  source: initech.source,
});

export const dataSubjects = base('d-subjects', {
  title: 'Communicate the breach to the data subjects',
  qualifier: 'without undue delay',
  recipient: 'data subjects',
  source: { kind: 'regulation', regime: 'gdpr', ruleId: 'gdpr.art34', citation: 'GDPR Art. 34(1)', url: null, lastChecked: '2026-01-15' },
  status: 'not_applicable',
  notApplicableReason: 'data was encrypted; Art. 34(3)(a)',
});

export function deadlines(): TrackedDeadline[] {
  return [gdpr, vendorDuty, globexPrompt, initech, initechUpdate, dataSubjects].map((d) => ({ ...d }));
}
