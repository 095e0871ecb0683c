import { type IncidentFacts } from '../../src/obligations/incident-types';
import { type Policy } from '../../src/policies';
import { applicability, expandJurisdiction, jurisdictionMatches, loadRegulations, regulatoryDeadlines, type Regulation } from '../../src/regulations';
import { incident, RULES_DIR } from './helpers';

/**
 * When a duty applies (the edges of applies_when), and what a computed
 * regulatory deadline carries: its key, source, clock, due time or
 * qualifier with the policy target, and no invented date while its clock has
 * not started.
 */
const regulations = loadRegulations(RULES_DIR);
const byId = (id: string) => {
  const r = regulations.find((x) => x.id === id);
  if (!r) throw new Error(`no duty ${id}`);
  return r;
};
const policy: Policy = { deadlineTargets: { default: { amount: 24, unit: 'hours' }, 'without undue delay': { amount: 12, unit: 'hours' } } };
const ids = (inc: IncidentFacts, regs: Regulation[] = regulations) => regulatoryDeadlines(inc, regs, policy).map((d) => (d.source.kind === 'regulation' ? d.source.ruleId : d.key));

const aware = new Date('2026-03-02T09:00:00Z');

describe('jurisdictions', () => {
  test.each([
    ['DE', ['DE', 'EU', 'EEA']],
    ['el', ['GR', 'EU', 'EEA']],
    ['NO', ['NO', 'EEA']],
    ['EU', ['EU', 'EEA']],
    ['UK', ['UK', 'GB']],
    ['GB', ['GB', 'UK']],
    ['US-NY', ['US-NY', 'US']],
    ['US', ['US']],
  ])('%s counts as %j', (code, expected) => {
    expect(expandJurisdiction(code).sort()).toEqual([...expected].sort());
  });

  test('a member state applies an EU rule, but the EU does not apply a member state rule', () => {
    expect(jurisdictionMatches(['FR'], ['EU'])).toBe(true);
    expect(jurisdictionMatches(['EU'], ['FR'])).toBe(false);
  });

  test('a bare US applies US-wide rules but no state law', () => {
    expect(jurisdictionMatches(['US'], ['US'])).toBe(true);
    expect(jurisdictionMatches(['US'], ['US-NY'])).toBe(false);
    expect(jurisdictionMatches(['US-NY'], ['US'])).toBe(true);
  });

  test('people in several places: any one of them is enough', () => {
    expect(jurisdictionMatches(['BR', 'IN'], ['IN'])).toBe(true);
    expect(jurisdictionMatches([], ['IN'])).toBe(false);
  });
});

describe('applies_when', () => {
  const gdpr = byId('gdpr.art33-authority');
  const base = incident({ awareAt: aware, dataCategories: ['personal_data'], jurisdictions: ['DE'], ourDataRole: 'controller' });

  test('gives the reason a duty does not apply', () => {
    expect(applicability(gdpr.appliesWhen, base)).toBeNull();
    expect(applicability(gdpr.appliesWhen, { ...base, jurisdictions: ['US-CA'] })).toBe('no affected people in EU, EEA');
    expect(applicability(gdpr.appliesWhen, { ...base, dataCategories: ['none'] })).toMatch(/^no personal_data, /);
    expect(applicability(gdpr.appliesWhen, { ...base, ourDataRole: 'processor' })).toBe('our role is processor, not controller');
  });

  test('a role not stated yet lists both the controller and the processor duties', () => {
    expect(ids({ ...base, ourDataRole: null }).filter((id) => id.startsWith('gdpr.'))).toEqual(['gdpr.art33-authority', 'gdpr.art33-processor', 'gdpr.art34-data-subjects']);
  });

  test('a severity not assessed yet lists the high-risk duty; a low one does not', () => {
    const art34 = byId('gdpr.art34-data-subjects');
    expect(applicability(art34.appliesWhen, { ...base, severity: null })).toBeNull();
    expect(applicability(art34.appliesWhen, { ...base, severity: 'critical' })).toBeNull();
    expect(applicability(art34.appliesWhen, { ...base, severity: 'medium' })).toBe('severity medium is below high, critical');
  });

  test('any one of the incident\'s data categories is enough', () => {
    expect(applicability(gdpr.appliesWhen, { ...base, dataCategories: ['none', 'customer_content', 'credentials'] })).toBeNull();
    expect(applicability(gdpr.appliesWhen, { ...base, dataCategories: ['customer_content'] })).not.toBeNull();
  });

  test.each([
    ['hipaa.media', 500, false],
    ['hipaa.media', 501, true],
    ['hipaa.hhs-500-or-more', 499, false],
    ['hipaa.hhs-500-or-more', 500, true],
    ['hipaa.hhs-annual-log', 499, true],
    ['hipaa.hhs-annual-log', 500, false],
    ['hipaa.hhs-annual-log', 0, true],
    ['us_tx.attorney-general', 249, false],
    ['us_tx.attorney-general', 250, true],
    ['us_wa.attorney-general', 500, false],
    ['us_wa.attorney-general', 501, true],
  ] as const)('%s with %i people affected: applies %s', (id, n, applies) => {
    const inc = incident({ dataCategories: ['health_data'], jurisdictions: ['US-TX', 'US-WA'], sectors: ['health'], ourDataRole: 'controller', affectedCount: n });
    expect(applicability(byId(id).appliesWhen, inc) === null).toBe(applies);
  });

  test('a count not known yet: listed unless the rule says otherwise', () => {
    const inc = incident({ dataCategories: ['health_data'], jurisdictions: ['US'], sectors: ['health'], ourDataRole: 'controller' });
    expect(applicability(byId('hipaa.media').appliesWhen, inc)).toBeNull();
    expect(applicability(byId('hipaa.hhs-annual-log').appliesWhen, inc)).toBe('the number of people affected is not known');
  });

  test('the extortion duties need a payment; the sector needs the licence', () => {
    const dfs = incident({ determinedAt: aware, sectors: ['ny_dfs_licensed'] });
    expect(ids(dfs)).toEqual(['nydfs.500-17a-incident']);
    expect(ids({ ...dfs, extortionPaymentAt: new Date('2026-03-03T10:00:00Z') })).toEqual(['nydfs.500-17a-incident', 'nydfs.500-17c-extortion-payment', 'nydfs.500-17c-payment-explanation']);
    expect(ids({ ...dfs, sectors: ['financial_services'], extortionPaymentAt: aware })).toEqual([]);
  });

  test('an incident touching nothing regulated owes nothing', () => {
    expect(regulatoryDeadlines(incident({ awareAt: aware, dataCategories: ['none'], jurisdictions: ['CH'] }), regulations, policy)).toEqual([]);
  });

  test('origin: a rule can name whose systems it covers', () => {
    const reg: Regulation = { ...byId('cert_in.report'), appliesWhen: { jurisdictions: ['IN'], origin: ['ours'] } };
    expect(ids(incident({ awareAt: aware, jurisdictions: ['IN'], origin: 'vendor' }), [reg])).toEqual([]);
    expect(ids(incident({ awareAt: aware, jurisdictions: ['IN'], origin: 'ours' }), [reg])).toEqual(['cert_in.report']);
  });
});

describe('the computed deadline', () => {
  const gdprIncident = incident({ awareAt: aware, detectedAt: new Date('2026-03-02T08:00:00Z'), dataCategories: ['personal_data'], jurisdictions: ['DE'], ourDataRole: 'controller', severity: 'high', timeZone: 'Europe/Berlin' });

  test('carries its source, clock, recipient, method and content, owed by us', () => {
    const [art33] = regulatoryDeadlines(gdprIncident, [byId('gdpr.art33-authority')], policy);
    expect(art33).toMatchObject({
      key: 'gdpr.art33-authority:supervisory-authority',
      dueAt: new Date('2026-03-05T09:00:00Z'),
      qualifier: null,
      policyTargetAt: null,
      clock: { name: 'awareAt', at: aware },
      notifier: 'us',
      recipient: 'supervisory authority',
      owedBy: 'us',
      recurrence: null,
      source: { kind: 'regulation', regime: 'gdpr', ruleId: 'gdpr.art33-authority', citation: 'GDPR Art. 33(1)', url: 'https://eur-lex.europa.eu/eli/reg/2016/679/oj', lastChecked: '2026-11-23' },
    });
    expect(art33.method.length).toBeGreaterThan(0);
    expect(art33.content).toContain('the likely consequences of the breach');
  });

  test('its key stays the same when the clock times change', () => {
    const key = (inc: IncidentFacts) => regulatoryDeadlines(inc, regulations, policy).map((d) => d.key);
    expect(key({ ...gdprIncident, awareAt: new Date('2026-04-01T00:00:00Z') })).toEqual(key(gdprIncident));
    expect(new Set(regulatoryDeadlines(gdprIncident, regulations, policy).map((d) => d.key)).size).toBe(regulatoryDeadlines(gdprIncident, regulations, policy).length);
  });

  test('without a number: no due time, the qualifier, and the policy target for that qualifier (else the default)', () => {
    const [art34] = regulatoryDeadlines(gdprIncident, [byId('gdpr.art34-data-subjects')], policy);
    expect(art34).toMatchObject({ dueAt: null, qualifier: 'without undue delay', policyTargetAt: new Date('2026-03-02T21:00:00Z') });
    const [ndb] = regulatoryDeadlines(incident({ determinedAt: aware, dataCategories: ['personal_data'], jurisdictions: ['AU'] }), [byId('au_ndb.oaic-statement')], policy);
    expect(ndb).toMatchObject({ dueAt: null, qualifier: 'as soon as practicable', policyTargetAt: new Date('2026-03-03T09:00:00Z') });
  });

  test('a qualifier the policy does not list takes the target of the listed words it contains', () => {
    const withImmediate: Policy = { deadlineTargets: { ...policy.deadlineTargets, immediately: { amount: 4, unit: 'hours' } } };
    const inc = incident({ detectedAt: aware, dataCategories: ['personal_data'], jurisdictions: ['US-NY'], ourDataRole: 'processor' });
    const [d] = regulatoryDeadlines(inc, [byId('us_ny.maintainer')], withImmediate);
    expect(d).toMatchObject({ dueAt: null, qualifier: 'immediately following discovery', policyTargetAt: new Date('2026-03-02T13:00:00Z') });
  });

  test('before its clock starts a duty is listed without a date, against a known incident time named as such', () => {
    const sec = byId('sec.form-8k-item-105');
    const [d] = regulatoryDeadlines(incident({ detectedAt: aware, sectors: ['public_company'] }), [sec], policy);
    expect(d).toMatchObject({ dueAt: null, policyTargetAt: null, qualifier: 'clock not started: the determination that the cybersecurity incident is material', clock: { name: 'detectedAt', at: aware } });
  });

  test('an incident with no times at all gets no dates and no rows to hang them on', () => {
    expect(regulatoryDeadlines(incident({ sectors: ['public_company'] }), [byId('sec.form-8k-item-105')], policy)).toEqual([]);
  });

  test('business days use the rule\'s holiday region, counted in the incident\'s time zone', () => {
    // Brazil's Good Friday (3 April 2026) is skipped even for an incident run from Berlin
    const inc = incident({ awareAt: new Date('2026-04-02T08:00:00Z'), dataCategories: ['personal_data'], jurisdictions: ['BR'], ourDataRole: 'controller', timeZone: 'Europe/Berlin' });
    const [anpd] = regulatoryDeadlines(inc, [byId('br_lgpd.anpd')], policy);
    expect(anpd.dueAt).toEqual(new Date('2026-04-08T21:59:59.999Z'));
  });

  test('an earlier fallback clock is used, and named, when the rule\'s first clock is not known', () => {
    const [d] = regulatoryDeadlines({ ...gdprIncident, awareAt: null }, [byId('gdpr.art33-authority')], policy);
    expect(d.clock).toEqual({ name: 'detectedAt', at: new Date('2026-03-02T08:00:00Z') });
    expect(d.dueAt).toEqual(new Date('2026-03-05T08:00:00Z'));
  });

  test('regulations given as the bare stub shape (no clock) are skipped, not guessed', () => {
    const bare: Regulation = { id: 'x.y', regime: 'x', title: 'A duty with no rule data', citation: 'X', url: null, lastChecked: '2026-11-23' };
    expect(regulatoryDeadlines(gdprIncident, [bare], policy)).toEqual([]);
  });
});
