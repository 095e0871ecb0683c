import { DateTime } from 'luxon';
import { type ContractObligation, NO_TIME_STATED, UPDATE_OCCURRENCES } from '../../src/obligations/contract-deadlines';
import { computeIncidentDeadlines } from '../../src/obligations/incident-deadlines';
import { type ComputedDeadline, type IncidentFacts } from '../../src/obligations/incident-types';
import { parsePolicy } from '../../src/policies';
import { type Regulation } from '../../src/regulations';

const policy = parsePolicy(
  {
    deadline_targets: {
      default: { amount: 48, unit: 'hours' },
      'without undue delay': { amount: 24, unit: 'hours' },
      promptly: { amount: 12, unit: 'hours' },
      [NO_TIME_STATED]: { amount: 72, unit: 'hours' },
    },
  },
  'test policy',
);

/** Monday 2 March 2026, Berlin: detected at 09:10, aware at 10:00 local. */
const DETECTED = new Date('2026-03-02T08:10:00Z');
const AWARE = new Date('2026-03-02T09:00:00Z');
const H = 3_600_000;
const plus = (d: Date, hours: number) => new Date(d.getTime() + hours * H);
const wall = (d: Date | null, zone: string) => (d ? DateTime.fromJSDate(d, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ss.SSS ZZ") : null);

function incident(over: Partial<IncidentFacts> = {}): IncidentFacts {
  return {
    origin: 'ours',
    status: 'confirmed',
    severity: 'high',
    dataCategories: ['personal_data'],
    jurisdictions: ['EU'],
    counterpartyIds: [],
    affectedCount: null,
    timeZone: 'Europe/Berlin',
    sectors: [],
    ourDataRole: 'processor',
    occurredAt: null,
    detectedAt: DETECTED,
    awareAt: AWARE,
    confirmedAt: AWARE,
    determinedAt: null,
    ...over,
  };
}

interface Party {
  id: string;
  name: string;
  /** our side of the contract with them */
  ourRole: 'customer' | 'provider';
}
const ACME: Party = { id: 'cp-acme', name: 'Acme Hosting', ourRole: 'customer' };
const GLOBEX: Party = { id: 'cp-globex', name: 'Globex Retail', ourRole: 'provider' };
const INITECH: Party = { id: 'cp-initech', name: 'Initech Bank', ourRole: 'provider' };

let seq = 0;
/** An incident-notice obligation as the store would pass it; the party that owes it follows from our role unless given. */
function notice(party: Party, over: Partial<ContractObligation> & { clockStart?: string | null } = {}): ContractObligation {
  seq++;
  const { clockStart = 'awareness', ...rest } = over;
  const theyOwe = party.ourRole === 'customer';
  return {
    id: `ob-${seq}`,
    contractId: `ct-${party.id}`,
    clauseId: `cl-${party.id}-${seq}`,
    counterpartyId: party.id,
    counterpartyName: party.name,
    ourRole: party.ourRole,
    type: 'breach_notification',
    obligor: theyOwe ? 'counterparty' : 'us',
    beneficiary: theyOwe ? 'us' : 'counterparty',
    action: 'notify_incident',
    trigger: 'security_incident',
    deadline: { amount: 72, unit: 'hours', qualifier: null, recurring: false },
    summary: 'Notify of a security incident within 72 hours of becoming aware',
    details: { clockStart, method: ['email'], content: ['nature of the incident', 'data involved'] },
    page: 4,
    quote: 'shall notify within seventy-two (72) hours after becoming aware of a Security Incident',
    ...rest,
  };
}

const hours = (amount: number) => ({ amount, unit: 'hours' as const, qualifier: null, recurring: false });

function compute(inc: IncidentFacts, obligations: ContractObligation[], regulations: Regulation[] = []): ComputedDeadline[] {
  return computeIncidentDeadlines({ incident: inc, obligations, regulations, policy });
}

const GDPR_33: Regulation = {
  id: 'gdpr.art33-authority',
  regime: 'gdpr',
  title: 'Notify the supervisory authority of a personal data breach',
  citation: 'GDPR Art. 33(1)',
  url: 'https://eur-lex.europa.eu/eli/reg/2016/679/oj',
  lastChecked: '2026-11-01',
  appliesWhen: { jurisdictions: ['EU'], dataCategories: ['personal_data'], ourDataRole: ['controller'] },
  clock: { from: ['awareAt'], startsWhen: 'the controller becomes aware of the breach' },
  period: { amount: 72, unit: 'hours' },
  qualifier: 'without undue delay',
  recipient: 'supervisory authority',
  notifier: 'us',
};

describe('a personal data breach in our own systems with no contract in scope (GDPR only)', () => {
  // relies on the regulations module evaluating a hand-written rule; the rule files themselves are tested with the regulations
  it('gives the Art. 33 notice to the supervisory authority 72 hours after awareness, and nothing contractual', () => {
    const out = compute(incident({ ourDataRole: 'controller' }), [], [GDPR_33]);
    expect(out).toHaveLength(1);
    const [d] = out;
    expect(d.source).toMatchObject({ kind: 'regulation', ruleId: 'gdpr.art33-authority', citation: 'GDPR Art. 33(1)' });
    expect(d.dueAt).toEqual(plus(AWARE, 72));
    expect(d.clock).toEqual({ name: 'awareAt', at: AWARE });
    expect(d.owedBy).toBe('us');
  });
});

describe("a vendor's incident", () => {
  const acme72 = notice(ACME);
  const globex48 = notice(GLOBEX, { deadline: hours(48), summary: 'Notify of a security incident within 48 hours of becoming aware' });
  const initech24 = notice(INITECH, { deadline: hours(24), summary: 'Notify of a security incident within 24 hours of becoming aware', details: { clockStart: 'awareness', method: ['telephone', 'written notice'], content: [] } });
  const unrelated: ContractObligation[] = [
    // the vendor's exit duty is not started by an incident
    notice(ACME, { action: 'return_data', trigger: 'termination', deadline: { amount: 30, unit: 'days', qualifier: null, recurring: false }, summary: "Return the customer's data within 30 days after termination" }),
    // a customer's own duty to tell us of incidents in its systems is not ours to meet
    notice(GLOBEX, { obligor: 'counterparty', beneficiary: 'us', summary: 'Customer notifies us' }),
  ];
  const inc = incident({ origin: 'vendor', counterpartyIds: [ACME.id], status: 'suspected', confirmedAt: null });
  const out = compute(inc, [acme72, ...unrelated, globex48, initech24]);

  it("triggers the vendor's 72-hour duty to us and our duties to two customers, soonest first", () => {
    expect(out.map((d) => [d.notifier, d.recipient, d.owedBy, d.dueAt])).toEqual([
      ['us', 'Initech Bank', 'us', plus(AWARE, 24)],
      ['us', 'Globex Retail', 'us', plus(AWARE, 48)],
      ['Acme Hosting', 'us', 'counterparty', plus(AWARE, 72)],
    ]);
  });

  it('starts our clocks when we became aware, and keeps the method, content and clause', () => {
    const initech = out[0];
    expect(initech.clock).toEqual({ name: 'awareAt', at: AWARE });
    expect(initech.method).toEqual(['telephone', 'written notice']);
    expect(initech.content).toEqual([]);
    const acme = out[2];
    expect(acme.method).toEqual(['email']);
    expect(acme.content).toEqual(['nature of the incident', 'data involved']);
    expect(acme.source).toEqual({
      kind: 'clause',
      contractId: 'ct-cp-acme',
      clauseId: acme72.clauseId,
      obligationId: acme72.id,
      counterpartyId: ACME.id,
      counterpartyName: 'Acme Hosting',
      page: 4,
      quote: acme72.quote,
    });
    expect(acme.title).toBe('Notify of a security incident within 72 hours of becoming aware (Acme Hosting to us)');
    expect(acme.qualifier).toBeNull();
    expect(acme.policyTargetAt).toBeNull();
    expect(acme.recurrence).toBeNull();
  });

  it('gives every deadline a distinct key naming its source and recipient', () => {
    expect(out.map((d) => d.key)).toEqual([`clause:${initech24.id}:${INITECH.id}:1`, `clause:${globex48.id}:${GLOBEX.id}:1`, `clause:${acme72.id}:us:1`]);
  });

  it("counts the vendor's duty from the recorded detection when its clause says discovery, ours from our awareness", () => {
    const vendor = notice(ACME, { clockStart: 'discovery', deadline: hours(24) });
    const ours = notice(GLOBEX, { clockStart: 'discovery', deadline: hours(24) });
    const [a, b] = compute(inc, [vendor, ours]);
    expect([a.recipient, a.clock.name, a.dueAt]).toEqual(['us', 'detectedAt', plus(DETECTED, 24)]);
    expect([b.recipient, b.clock.name, b.dueAt]).toEqual(['Globex Retail', 'awareAt', plus(AWARE, 24)]);
  });

  it("tracks a mutual duty ('each party shall promptly notify the other') as the vendor's", () => {
    const mutual = notice(ACME, { obligor: 'both', beneficiary: 'both', deadline: { amount: null, unit: null, qualifier: 'promptly', recurring: false } });
    const [d] = compute(inc, [mutual]);
    expect([d.notifier, d.recipient, d.owedBy, d.dueAt, d.qualifier]).toEqual(['Acme Hosting', 'us', 'counterparty', null, 'promptly']);
    expect(d.policyTargetAt).toEqual(plus(AWARE, 12));
  });
});

describe('our own incident', () => {
  it('triggers our duties to the customers affected, and with "all" to every customer but not our vendors\' duties', () => {
    const g = notice(GLOBEX);
    const i = notice(INITECH, { deadline: hours(24) });
    const a = notice(ACME);
    expect(compute(incident({ counterpartyIds: [GLOBEX.id] }), [g, i, a]).map((d) => d.recipient)).toEqual(['Globex Retail']);
    expect(compute(incident({ counterpartyIds: 'all' }), [g, i, a]).map((d) => d.recipient)).toEqual(['Initech Bank', 'Globex Retail']);
  });

  it('fires a personal-data-breach duty only when personal data is involved', () => {
    const pdb = notice(GLOBEX, { trigger: 'personal_data_breach' });
    const scope = { counterpartyIds: [GLOBEX.id] };
    expect(compute(incident({ ...scope, dataCategories: ['credentials', 'customer_content'] }), [pdb])).toEqual([]);
    expect(compute(incident({ ...scope, dataCategories: ['health_data'] }), [pdb])).toHaveLength(1);
    // a plain security incident clause fires whatever the data
    expect(compute(incident({ ...scope, dataCategories: ['none'] }), [notice(GLOBEX)])).toHaveLength(1);
  });
});

describe('business days across a weekend and a public holiday', () => {
  const NY = 'America/New_York';
  // Wednesday 25 November 2026, 10:00 in New York: Thursday is Thanksgiving
  const aware = new Date('2026-11-25T15:00:00Z');
  const report = (over: Partial<ContractObligation> = {}) =>
    notice(GLOBEX, {
      action: 'deliver_root_cause_report',
      deadline: { amount: 5, unit: 'business_days', qualifier: null, recurring: false },
      summary: 'Deliver a root-cause report on a security incident within 5 business days after containment',
      details: { method: ['email'] },
      clockStart: null,
      ...over,
    });
  const inc = incident({ timeZone: NY, jurisdictions: ['US'], counterpartyIds: [GLOBEX.id], detectedAt: aware, awareAt: aware, confirmedAt: aware });

  it('skips Thanksgiving and the weekend, ending at the close of the fifth business day; counted from awareness, said in the title', () => {
    const [d] = compute(inc, [report()]);
    expect(wall(d.dueAt, NY)).toBe('2026-12-03T23:59:59.999 -05:00');
    expect(d.clock).toEqual({ name: 'awareAt', at: aware });
    expect(d.title).toMatch(/counted from awareness: containment has no recorded time/);
    expect(d.method).toEqual(['email']);
  });

  it("uses the contract's own jurisdiction when given: Thanksgiving is a working day under German law", () => {
    const [d] = compute(inc, [report({ jurisdiction: 'DE' })]);
    expect(wall(d.dueAt, NY)).toBe('2026-12-02T23:59:59.999 -05:00');
  });

  it("follows the clock of its clause's initial notice", () => {
    const first = notice(GLOBEX, { clockStart: 'confirmation', deadline: hours(24) });
    const rca = report({ clauseId: first.clauseId });
    const later = new Date('2026-11-30T15:00:00Z'); // confirmed on Monday
    const out = compute({ ...inc, confirmedAt: later }, [first, rca]);
    const r = out.find((d) => d.source.kind === 'clause' && d.source.obligationId === rca.id)!;
    expect(r.clock).toEqual({ name: 'confirmedAt', at: later });
    expect(wall(r.dueAt, NY)).toBe('2026-12-07T23:59:59.999 -05:00');
  });
});

describe('a daylight-saving change', () => {
  // Friday 27 March 2026, 10:00 in Berlin; clocks go forward on Sunday 29 March
  const aware = new Date('2026-03-27T09:00:00Z');
  const inc = incident({ counterpartyIds: [GLOBEX.id], detectedAt: aware, awareAt: aware, confirmedAt: aware });

  it('72 hours are 72 elapsed hours (11:00 on the wall clock); 3 days end at the close of Monday', () => {
    const byHours = notice(GLOBEX, { deadline: hours(72) });
    const byDays = notice(GLOBEX, { deadline: { amount: 3, unit: 'days', qualifier: null, recurring: false }, summary: 'Notify within 3 days' });
    const [h, d] = compute(inc, [byDays, byHours]);
    expect(h.dueAt).toEqual(plus(aware, 72));
    expect(wall(h.dueAt, 'Europe/Berlin')).toBe('2026-03-30T11:00:00.000 +02:00');
    expect(wall(d.dueAt, 'Europe/Berlin')).toBe('2026-03-30T23:59:59.999 +02:00');
  });
});

describe('duties without a number', () => {
  const inc = incident({ counterpartyIds: [GLOBEX.id] });

  it('"without undue delay" gets no due time, keeps its words, and shows the policy target as a target', () => {
    const [d] = compute(inc, [notice(GLOBEX, { deadline: { amount: null, unit: null, qualifier: 'without undue delay', recurring: false }, summary: 'Notify of a security incident without undue delay after becoming aware' })]);
    expect(d.dueAt).toBeNull();
    expect(d.qualifier).toBe('without undue delay');
    expect(d.policyTargetAt).toEqual(plus(AWARE, 24));
  });

  it('a number and a qualifier: the number is the deadline, the words are kept', () => {
    const [d] = compute(inc, [notice(GLOBEX, { deadline: { amount: 48, unit: 'hours', qualifier: 'without undue delay', recurring: false } })]);
    expect(d.dueAt).toEqual(plus(AWARE, 48));
    expect(d.qualifier).toBe('without undue delay');
    expect(d.policyTargetAt).toBeNull();
  });

  it('a duty stating no time at all is marked so, with its policy target', () => {
    const [d] = compute(inc, [notice(GLOBEX, { deadline: null, summary: 'Notify of a security incident' })]);
    expect([d.dueAt, d.qualifier, d.policyTargetAt]).toEqual([null, NO_TIME_STATED, plus(AWARE, 72)]);
  });

  it('are listed after every dated deadline, by their targets', () => {
    const out = compute(inc, [
      notice(GLOBEX, { deadline: null }),
      notice(GLOBEX, { deadline: hours(96) }),
      notice(GLOBEX, { deadline: { amount: null, unit: null, qualifier: 'promptly', recurring: false } }),
    ]);
    expect(out.map((d) => d.dueAt ?? d.qualifier)).toEqual([plus(AWARE, 96), 'promptly', NO_TIME_STATED]);
  });
});

describe('a suspected incident, confirmed later', () => {
  const suspected = notice(GLOBEX, {
    trigger: 'security_incident_suspected',
    clockStart: 'suspicion',
    deadline: hours(24),
    summary: 'Notify of a suspected security incident within 24 hours of first suspecting it',
  });
  const confirmed = notice(GLOBEX, {
    trigger: 'security_incident_confirmed',
    clockStart: 'confirmation',
    deadline: hours(72),
    summary: 'Notify of a confirmed security incident within 72 hours of confirmation',
  });
  const scope = { counterpartyIds: [GLOBEX.id] };

  it('while suspected, only the suspected clock runs (from detection); the confirmed duty has no date yet', () => {
    const out = compute(incident({ ...scope, status: 'suspected', confirmedAt: null }), [suspected, confirmed]);
    expect(out).toHaveLength(1);
    expect(out[0].clock).toEqual({ name: 'detectedAt', at: DETECTED });
    expect(out[0].dueAt).toEqual(plus(DETECTED, 24));
  });

  it('once confirmed two days later, the second clock starts then; the first deadline and its key stay', () => {
    const before = compute(incident({ ...scope, status: 'suspected', confirmedAt: null }), [suspected, confirmed]);
    const confirmedAt = plus(AWARE, 48);
    const after = compute(incident({ ...scope, status: 'confirmed', confirmedAt }), [suspected, confirmed]);
    expect(after.map((d) => [d.key, d.clock.name, d.dueAt])).toEqual([
      [before[0].key, 'detectedAt', plus(DETECTED, 24)],
      [`clause:${confirmed.id}:${GLOBEX.id}:1`, 'confirmedAt', plus(confirmedAt, 72)],
    ]);
  });

  it('an incident marked confirmed without a confirmation time counts from awareness, and says so', () => {
    const out = compute(incident({ ...scope, status: 'confirmed', confirmedAt: null }), [confirmed]);
    expect(out[0].clock).toEqual({ name: 'awareAt', at: AWARE });
    expect(out[0].title).toMatch(/confirmation time not recorded, counted from awareness/);
  });
});

describe('update cadences', () => {
  it(`become ${UPDATE_OCCURRENCES} recurring deadlines, each with its own key, from the initial notice's clock`, () => {
    const first = notice(GLOBEX, { clockStart: 'discovery', deadline: hours(24) });
    const updates = notice(GLOBEX, {
      clauseId: first.clauseId,
      action: 'send_incident_updates',
      deadline: { amount: 24, unit: 'hours', qualifier: null, recurring: true },
      summary: 'Send updates on a security incident every 24 hours until it is contained',
      details: { method: ['email'] },
      clockStart: null,
    });
    const out = compute(incident({ counterpartyIds: [GLOBEX.id] }), [first, updates]).filter((d) => d.recurrence);
    expect(out).toHaveLength(UPDATE_OCCURRENCES);
    out.forEach((d, i) => {
      expect(d.recurrence).toEqual({ everyHours: 24, occurrence: i + 1 });
      expect(d.dueAt).toEqual(plus(DETECTED, 24 * (i + 1)));
      expect(d.clock.name).toBe('detectedAt');
      expect(d.key).toBe(`clause:${updates.id}:${GLOBEX.id}:${i + 1}`);
      expect(d.title).toContain(`update ${i + 1} of ${UPDATE_OCCURRENCES}`);
    });
  });
});

describe('scope changes re-compute with the same keys', () => {
  const g = notice(GLOBEX);
  const i = notice(INITECH, { deadline: hours(24) });

  it('adding a counterparty adds its deadlines and leaves the others as they were', () => {
    const before = compute(incident({ counterpartyIds: [GLOBEX.id] }), [g, i]);
    const after = compute(incident({ counterpartyIds: [GLOBEX.id, INITECH.id] }), [g, i]);
    expect(after).toHaveLength(2);
    expect(after.find((d) => d.key === before[0].key)).toEqual(before[0]);
    expect(after.map((d) => d.recipient)).toEqual(['Initech Bank', 'Globex Retail']);
  });

  it('moving the time of awareness moves the due times under the same keys', () => {
    const before = compute(incident({ counterpartyIds: [GLOBEX.id, INITECH.id] }), [g, i]);
    const later = plus(AWARE, 5);
    const after = compute(incident({ counterpartyIds: [GLOBEX.id, INITECH.id], awareAt: later }), [g, i]);
    expect(after.map((d) => d.key)).toEqual(before.map((d) => d.key));
    expect(after.map((d) => d.dueAt)).toEqual([plus(later, 24), plus(later, 72)]);
  });
});

describe('contractual and regulatory deadlines together', () => {
  it('are merged soonest first', () => {
    const inc = incident({ ourDataRole: 'controller', counterpartyIds: [GLOBEX.id, INITECH.id] });
    const out = compute(inc, [notice(GLOBEX, { deadline: hours(96) }), notice(INITECH, { deadline: hours(24) })], [GDPR_33]);
    expect(out.map((d) => [d.source.kind, d.dueAt])).toEqual([
      ['clause', plus(AWARE, 24)],
      ['regulation', plus(AWARE, 72)],
      ['clause', plus(AWARE, 96)],
    ]);
  });
});

it('rejects an unknown time zone with its name', () => {
  expect(() => compute(incident({ timeZone: 'Nowhere/Land', counterpartyIds: [GLOBEX.id] }), [notice(GLOBEX)])).toThrow(/Nowhere\/Land/);
});
