import { type Clause } from '../../src/extract';
import { deriveObligations } from '../../src/obligations/derive';
import { type ObligationDraft } from '../../src/obligations/types';

let offset = 0;
/** A clause as the extractor would give it; only type, fields and text matter to derivation. */
function clause(type: string, fields: Clause['fields'], text = ''): Clause {
  const start = offset;
  offset += text.length + 2;
  return { type, ruleId: `${type}.test`, start, end: start + text.length, page: 1, text, fields, confidence: 0.9 };
}

const parties = (...list: [string | null, string][]) =>
  clause('parties', { parties: list.map(([name, role]) => ({ name, role })) } as unknown as Clause['fields'], 'between the parties');

function breach(fields: Partial<Record<string, unknown>>, text = 'Supplier shall notify Customer of any Security Incident.'): Clause {
  return clause(
    'breach_notification',
    { duration: null, unit: null, qualifier: null, trigger: null, notifier: 'Supplier', recipient: 'Customer', ...fields } as Clause['fields'],
    text,
  );
}

const pick = (o: ObligationDraft) => ({ action: o.action, obligor: o.obligor, beneficiary: o.beneficiary, trigger: o.trigger });

describe('incident notification', () => {
  it('makes the supplier notify within 72 hours of awareness, owed to us when we are the customer', () => {
    const [o, ...rest] = deriveObligations({
      ourRole: 'customer',
      clauses: [breach({ duration: 72, unit: 'hours', trigger: 'awareness' }, 'Supplier shall notify Customer within 72 hours after becoming aware of a Security Incident.')],
    });
    expect(rest).toEqual([]);
    expect(pick(o)).toEqual({ action: 'notify_incident', obligor: 'counterparty', beneficiary: 'us', trigger: 'security_incident' });
    expect(o.deadline).toEqual({ amount: 72, unit: 'hours', qualifier: null, recurring: false });
    expect(o.summary).toBe('Notify of a security incident within 72 hours of becoming aware');
    expect(o.type).toBe('breach_notification');
    expect(o.clauseIndex).toBe(0);
  });

  it('puts the same duty on us when we are the provider', () => {
    const [o] = deriveObligations({ ourRole: 'provider', clauses: [breach({ duration: 72, unit: 'hours', trigger: 'awareness' })] });
    expect(o.obligor).toBe('us');
    expect(o.beneficiary).toBe('counterparty');
  });

  it('reads what starts the clock: suspicion, confirmation, and personal data breach wording', () => {
    const obligations = deriveObligations({
      ourRole: 'customer',
      clauses: [
        breach({ duration: 24, unit: 'hours', trigger: 'suspicion' }, 'Supplier shall notify Customer within 24 hours of suspecting a Security Incident.'),
        breach({ duration: 72, unit: 'hours', trigger: 'confirmation' }, 'Supplier shall notify Customer within 72 hours of confirming a Security Incident.'),
        breach({ duration: 48, unit: 'hours', trigger: 'awareness' }, 'The Processor shall notify the Controller within 48 hours after becoming aware of a personal data breach.'),
        breach({ duration: 2, unit: 'days', trigger: 'discovery' }, 'Vendor will notify Client within 2 days of discovering a Security Incident.'),
      ],
    });
    expect(obligations.map((o) => o.trigger)).toEqual(['security_incident_suspected', 'security_incident_confirmed', 'personal_data_breach', 'security_incident']);
    expect(obligations[0].summary).toBe('Notify of a suspected security incident within 24 hours of first suspecting it');
    expect(obligations[2].summary).toBe('Notify of a personal data breach within 48 hours of becoming aware');
  });

  it('keeps a deadline with no number as its qualifier alone', () => {
    const [o] = deriveObligations({
      ourRole: 'customer',
      clauses: [breach({ qualifier: 'without undue delay', trigger: 'awareness' }, 'Supplier shall notify Customer without undue delay after becoming aware of a Security Incident.')],
    });
    expect(o.deadline).toEqual({ amount: null, unit: null, qualifier: 'without undue delay', recurring: false });
    expect(o.summary).toBe('Notify of a security incident without undue delay after becoming aware');
  });

  it('keeps both the qualifier and the number when the clause gives both', () => {
    const [o] = deriveObligations({
      ourRole: 'customer',
      clauses: [breach({ duration: 72, unit: 'hours', qualifier: 'without undue delay', trigger: 'awareness' })],
    });
    expect(o.deadline).toEqual({ amount: 72, unit: 'hours', qualifier: 'without undue delay', recurring: false });
    expect(o.summary).toBe('Notify of a security incident without undue delay and within 72 hours of becoming aware');
  });

  it('turns an update cadence into a recurring duty and a report deadline into a root-cause report', () => {
    const obligations = deriveObligations({
      ourRole: 'customer',
      clauses: [
        breach({ duration: 72, unit: 'hours', trigger: 'awareness' }, 'Supplier shall notify Customer of a personal data breach within 72 hours of becoming aware of it.'),
        breach(
          { update_interval: { duration: 24, unit: 'hours' }, report_deadline: { duration: 10, unit: 'business_days' } },
          'Supplier will send Customer a status update every 24 hours until the breach is contained, and a root cause report within 10 business days after containment.',
        ),
      ],
    });
    expect(obligations.map((o) => o.action)).toEqual(['notify_incident', 'send_incident_updates', 'deliver_root_cause_report']);
    const [, updates, report] = obligations;
    expect(updates.deadline).toEqual({ amount: 24, unit: 'hours', qualifier: null, recurring: true });
    expect(updates.summary).toBe('Send updates on a personal data breach every 24 hours until it is contained');
    // the follow-up sentence only says "the breach": it concerns the breach of the notice before it
    expect(updates.trigger).toBe('personal_data_breach');
    expect(updates.clauseIndex).toBe(1);
    expect(report.deadline).toEqual({ amount: 10, unit: 'business_days', qualifier: null, recurring: false });
    expect(report.summary).toBe('Deliver a root-cause report on a personal data breach within 10 business days after containment');
    expect(pick(report)).toMatchObject({ obligor: 'counterparty', beneficiary: 'us' });
  });

  it('adds the items a notice must contain to that notice instead of making a duty of each', () => {
    const obligations = deriveObligations({
      ourRole: 'customer',
      clauses: [
        breach({ duration: 72, unit: 'hours', trigger: 'awareness', content: ['consequences'] }),
        breach({ content: ['nature', 'timeline'] }, 'the nature of the Security Incident and when it occurred;'),
        breach({ content: ['contact'], method: ['telephone'] }, 'the name and telephone number of the Supplier contact.'),
      ],
    });
    expect(obligations).toHaveLength(1);
    expect(obligations[0].details.content).toEqual(['consequences', 'nature', 'timeline', 'contact']);
    expect(obligations[0].details.method).toEqual(['telephone']);
  });

  it('still records a content list as a notice duty when no notice precedes it', () => {
    const [o, ...rest] = deriveObligations({ ourRole: 'customer', clauses: [breach({ content: ['nature'] })] });
    expect(rest).toEqual([]);
    expect(o.action).toBe('notify_incident');
    expect(o.deadline).toBeNull();
  });

  it('makes a mutual notice duty owed by and to both parties', () => {
    const [o] = deriveObligations({
      ourRole: 'provider',
      clauses: [breach({ duration: 5, unit: 'days', trigger: 'discovery', notifier: 'both', recipient: 'both' }, 'Each party will notify the other within 5 days of discovering a Security Incident.')],
    });
    expect(pick(o)).toMatchObject({ obligor: 'both', beneficiary: 'both' });
  });

  it('reads plain-English "we" as the vendor writing the terms', () => {
    const clauses = [breach({ duration: 48, unit: 'hours', trigger: 'awareness', notifier: 'we', recipient: 'you' })];
    expect(pick(deriveObligations({ ourRole: 'customer', clauses })[0])).toMatchObject({ obligor: 'counterparty', beneficiary: 'us' });
    expect(pick(deriveObligations({ ourRole: 'provider', clauses })[0])).toMatchObject({ obligor: 'us', beneficiary: 'counterparty' });
  });

  it('gives the missing party of a one-sided clause the other side', () => {
    const [o] = deriveObligations({ ourRole: 'customer', clauses: [breach({ duration: 1, unit: 'days', recipient: null })] });
    expect(pick(o)).toMatchObject({ obligor: 'counterparty', beneficiary: 'us' });
  });
});

describe('party terms a contract defines for itself', () => {
  it('places a named provider term opposite a generic customer term in the parties clause', () => {
    const clauses = [
      parties(['Orbital Data Systems, Inc.', 'Orbital'], ['Pinecrest Logistics Corp.', 'Customer']),
      breach({ duration: 48, unit: 'hours', notifier: 'Orbital', recipient: 'Customer' }),
    ];
    const [o] = deriveObligations({ ourRole: 'customer', clauses });
    expect(pick(o)).toMatchObject({ obligor: 'counterparty', beneficiary: 'us' });
    expect(o.clauseIndex).toBe(1);
  });

  it('reads "Company" as the customer next to a Supplier and as the provider next to a Customer', () => {
    const companyBuys = [parties(['Granite Retail Group, Inc.', 'Company'], ['Cobalt Payroll Services LLC', 'Supplier']), breach({ notifier: 'Supplier', recipient: 'Company', duration: 36, unit: 'hours' })];
    expect(pick(deriveObligations({ ourRole: 'customer', clauses: companyBuys })[0])).toMatchObject({ obligor: 'counterparty', beneficiary: 'us' });

    const companySells = [parties(['Kirinodai Industries Co., Ltd.', 'Customer'], ['Halberd Point Security, Inc.', 'Company']), breach({ notifier: 'Company', recipient: 'Customer', duration: 24, unit: 'hours' })];
    expect(pick(deriveObligations({ ourRole: 'provider', clauses: companySells })[0])).toMatchObject({ obligor: 'us', beneficiary: 'counterparty' });
  });

  it('uses the recorded counterparty name when neither party has a generic role', () => {
    const clauses = [
      parties(['Cascadia Freight Systems, Inc.', 'Cascadia'], ['Palisade Data Labs, LLC', 'Palisade']),
      breach({ notifier: 'Palisade', recipient: 'Cascadia', duration: 5, unit: 'days' }),
      clause('indemnification', { indemnitor: 'Cascadia', indemnitee: 'Palisade', scope: ['third_party_claims'] }, 'Cascadia shall indemnify Palisade against third-party claims.'),
    ];
    const obligations = deriveObligations({ ourRole: 'customer', clauses, counterpartyName: 'Palisade Data Labs' });
    expect(obligations.map(pick)).toEqual([
      { action: 'notify_incident', obligor: 'counterparty', beneficiary: 'us', trigger: 'security_incident' },
      { action: 'indemnify', obligor: 'us', beneficiary: 'counterparty', trigger: 'claim' },
    ]);
  });
});

describe('data exit', () => {
  it('gives one obligation per choice of return-or-delete, and certification of deletion, after termination', () => {
    const obligations = deriveObligations({
      ourRole: 'customer',
      clauses: [
        clause(
          'data_exit',
          { action: 'return_or_delete', duration: 30, unit: 'days', certification: true, trigger: 'termination' },
          'Within 30 days of termination, Supplier shall return or delete all Customer Data and certify deletion in writing.',
        ),
      ],
    });
    expect(obligations.map((o) => o.action)).toEqual(['return_data', 'delete_data', 'certify_deletion']);
    for (const o of obligations) {
      expect(pick(o)).toMatchObject({ obligor: 'counterparty', beneficiary: 'us', trigger: 'termination' });
      expect(o.deadline).toEqual({ amount: 30, unit: 'days', qualifier: null, recurring: false });
    }
    expect(obligations[0].summary).toBe("Return the customer's data (or delete it) within 30 days after termination");
    expect(obligations[0].details.choice).toBe('return_or_delete');
  });

  it('maps export on request and plain deletion, and owes them ourselves when we are the provider', () => {
    const obligations = deriveObligations({
      ourRole: 'provider',
      clauses: [
        clause('data_exit', { action: 'export', duration: 5, unit: 'business_days', certification: null, trigger: 'request' }, 'Supplier will export Customer Data within 5 business days of a request.'),
        clause('data_exit', { action: 'delete', duration: null, unit: null, certification: null }, 'Supplier will delete Customer Data on termination.'),
        clause('data_exit', { action: null, duration: null, unit: null, certification: null, transition_assistance: true, trigger: 'termination' }, 'Supplier will provide reasonable exit assistance.'),
      ],
    });
    expect(obligations.map((o) => [o.action, o.trigger, o.obligor])).toEqual([
      ['export_data', 'request', 'us'],
      ['delete_data', 'termination', 'us'],
      ['provide_transition_assistance', 'termination', 'us'],
    ]);
    expect(obligations[0].summary).toBe("Make the customer's data available for export within 5 business days of a request");
    expect(obligations[1].deadline).toBeNull();
  });
});

describe('sub-processors', () => {
  const sub = (fields: Record<string, unknown>, text = 'Supplier may engage sub-processors.') =>
    clause(
      'subprocessor_flowdown',
      { flow_down: null, notice_of_new_subprocessor: null, objection_period: null, liability_for_subprocessors: null, approval_required: null, ...fields } as Clause['fields'],
      text,
    );

  it('derives flow-down, advance notice, approval and continuing liability', () => {
    const obligations = deriveObligations({
      ourRole: 'customer',
      clauses: [
        sub({ flow_down: true, liability_for_subprocessors: true }),
        sub({ notice_of_new_subprocessor: { duration: 30, unit: 'days' } }),
        sub({ objection_period: { duration: 14, unit: 'days' } }, 'Customer may object within 14 days of the notice.'),
        sub({ approval_required: 'specific' }),
      ],
    });
    expect(obligations.map((o) => [o.action, o.trigger, o.clauseIndex])).toEqual([
      ['flow_down_obligations', 'new_subprocessor', 0],
      ['remain_liable_for_subprocessors', 'none', 0],
      ['notify_new_subprocessor', 'new_subprocessor', 1],
      ['obtain_approval_for_subprocessor', 'new_subprocessor', 3],
    ]);
    const notice = obligations[2];
    expect(notice.deadline).toEqual({ amount: 30, unit: 'days', qualifier: null, recurring: false, advance: true });
    expect(notice.summary).toBe("Give 30 days' notice before engaging a new sub-processor");
    // the customer's objection window is its right, recorded with the notice that opens it
    expect(notice.details.objectionPeriod).toEqual({ amount: 14, unit: 'days' });
    expect(obligations.every((o) => o.obligor === 'counterparty' && o.beneficiary === 'us')).toBe(true);
  });

  it('infers a duty to inform of new sub-processors from a general authorisation, unless a notice clause already states it', () => {
    const general = sub({ approval_required: 'general' }, 'Customer gives Supplier a general authorisation to engage sub-processors.');
    const alone = deriveObligations({ ourRole: 'provider', clauses: [general] });
    expect(alone.map((o) => [o.action, o.obligor, o.deadline])).toEqual([['notify_new_subprocessor', 'us', null]]);

    const withNotice = deriveObligations({ ourRole: 'provider', clauses: [general, sub({ notice_of_new_subprocessor: { duration: 15, unit: 'days' } })] });
    expect(withNotice.map((o) => [o.action, o.clauseIndex])).toEqual([['notify_new_subprocessor', 1]]);
  });
});

describe('other duties', () => {
  it('maintains insurance with its coverage and amount, as an ongoing duty', () => {
    const [o] = deriveObligations({
      ourRole: 'customer',
      clauses: [clause('insurance', { coverage: 'cyber', amount: 5000000, currency: 'USD' }, 'Supplier shall maintain cyber liability insurance of not less than USD 5,000,000.')],
    });
    expect(pick(o)).toEqual({ action: 'maintain_insurance', obligor: 'counterparty', beneficiary: 'us', trigger: 'none' });
    expect(o.deadline).toBeNull();
    expect(o.details).toEqual({ coverage: 'cyber', amount: 5000000, currency: 'USD' });
    expect(o.summary).toBe('Maintain cyber insurance of at least USD 5,000,000');
  });

  it('puts audits on the audited side: reports on request, on-site audits, and audits by a regulator', () => {
    const obligations = deriveObligations({
      ourRole: 'customer',
      clauses: [
        clause('audit_rights', { auditor: 'Customer', frequency_per_year: null, notice: null, reports: ['soc2', 'iso27001'] }, 'Upon Customer request, Supplier will provide its SOC 2 Type II report and ISO 27001 certificate.'),
        clause('audit_rights', { auditor: 'Customer', frequency_per_year: 1, notice: { duration: 30, unit: 'days' }, on_site: true }, 'Customer may audit Supplier on site once a year on 30 days notice.'),
        clause('audit_rights', { auditor: 'regulator', frequency_per_year: null, notice: null }, 'Supplier shall permit any regulator of Customer to inspect its premises.'),
        clause('audit_rights', { auditor: 'Vendor', frequency_per_year: 1, notice: null }, "Vendor may audit Customer's use of the licences once a year."),
      ],
    });
    expect(obligations.map((o) => [o.action, o.obligor, o.beneficiary, o.trigger])).toEqual([
      ['provide_assurance_reports', 'counterparty', 'us', 'request'],
      ['allow_audit', 'counterparty', 'us', 'request'],
      ['allow_audit', 'counterparty', 'us', 'request'],
      ['allow_audit', 'us', 'counterparty', 'request'],
    ]);
    expect(obligations[0].summary).toBe('Provide SOC 2 and ISO 27001 reports on request');
    expect(obligations[1].summary).toBe("Allow on-site audits, up to once a year, on 30 days' notice");
    expect(obligations[2].summary).toBe('Allow audits by regulators or independent auditors');
  });

  it('meets service levels with the response time as the deadline', () => {
    const [o] = deriveObligations({
      ourRole: 'provider',
      clauses: [
        clause(
          'sla_response',
          { uptime_percent: null, response_time: { duration: 30, unit: 'minutes' }, resolution_time: { duration: 4, unit: 'hours' }, service_credits: null, severity: 'Priority 1' },
          'Priority 1: response within 30 minutes, resolution within 4 hours.',
        ),
      ],
    });
    expect(pick(o)).toEqual({ action: 'meet_sla', obligor: 'us', beneficiary: 'counterparty', trigger: 'request' });
    expect(o.deadline).toEqual({ amount: 30, unit: 'minutes', qualifier: null, recurring: false });
    expect(o.summary).toBe('Respond to Priority 1 issues within 30 minutes and resolve within 4 hours');
  });

  it('retains logs for the stated period and keeps data in its region', () => {
    const obligations = deriveObligations({
      ourRole: 'customer',
      clauses: [
        clause('log_or_record_retention', { what: 'security_logs', duration: 12, unit: 'months' }, 'Supplier shall retain security logs for 12 months.'),
        clause('data_residency', { regions: ['EU', 'EEA'], consent_required: true }, 'Supplier shall not transfer Customer Data outside the EU/EEA without consent.'),
      ],
    });
    expect(obligations.map(pick)).toEqual([
      { action: 'retain_logs', obligor: 'counterparty', beneficiary: 'us', trigger: 'none' },
      { action: 'keep_data_in_region', obligor: 'counterparty', beneficiary: 'us', trigger: 'none' },
    ]);
    expect(obligations[0].summary).toBe('Retain security logs for 12 months');
    expect(obligations[0].details.retentionPeriod).toEqual({ amount: 12, unit: 'months' });
    expect(obligations[1].summary).toBe("Keep the customer's data in the EU and the EEA unless the customer consents to a transfer");
    expect(obligations[1].details.regions).toEqual(['EU', 'EEA']);
  });

  it('indemnifies from the indemnitor to the indemnitee, triggered by a claim; mutual indemnities bind both', () => {
    const obligations = deriveObligations({
      ourRole: 'customer',
      clauses: [
        clause('indemnification', { indemnitor: 'Customer', indemnitee: 'Supplier', scope: ['violation_of_law'] }, 'Customer shall indemnify Supplier against claims arising from its violation of law.'),
        clause('indemnification', { indemnitor: 'both', indemnitee: 'both', scope: ['third_party_claims'] }, 'Each party shall indemnify the other against third-party claims.'),
      ],
    });
    expect(obligations.map(pick)).toEqual([
      { action: 'indemnify', obligor: 'us', beneficiary: 'counterparty', trigger: 'claim' },
      { action: 'indemnify', obligor: 'both', beneficiary: 'both', trigger: 'claim' },
    ]);
  });

  it('gives termination notice in advance and needs consent to assign, unless assignment is free', () => {
    const obligations = deriveObligations({
      ourRole: 'customer',
      clauses: [
        clause('termination_for_convenience', { who: 'Customer', notice_period: { duration: 30, unit: 'days' } }, 'Customer may terminate for convenience on 30 days written notice.'),
        clause('assignment', { consent_required: true, who: 'Supplier', exceptions: ['affiliates'] }, 'Supplier may not assign without Customer consent, except to an affiliate.'),
        clause('assignment', { consent_required: false, who: 'Customer' }, 'Customer may assign this Agreement freely.'),
      ],
    });
    expect(obligations.map(pick)).toEqual([
      { action: 'give_termination_notice', obligor: 'us', beneficiary: 'counterparty', trigger: 'termination' },
      { action: 'obtain_consent_to_assign', obligor: 'counterparty', beneficiary: 'us', trigger: 'none' },
    ]);
    expect(obligations[0].deadline).toEqual({ amount: 30, unit: 'days', qualifier: null, recurring: false, advance: true });
    expect(obligations[0].summary).toBe("Give 30 days' notice before terminating for convenience");
    expect(obligations[1].summary).toBe("Obtain the other party's consent before assigning the contract, except to an affiliate");
  });

  it('creates nothing from parties, governing law, liability caps or carve-outs', () => {
    const obligations = deriveObligations({
      ourRole: 'customer',
      clauses: [
        parties(['Northwind Security, Inc.', 'Provider'], ['Harbor Community Bank', 'Customer']),
        clause('governing_law', { jurisdiction: 'New York' }, 'This Agreement is governed by the laws of New York.'),
        clause('liability_cap', { kind: 'fees_multiple', multiple: 1, lookback_months: 12, amount: null, currency: null, applies_to: 'both' }, "Each party's liability is capped at the fees paid in the prior 12 months."),
        clause('liability_carveout', { items: ['fraud'], super_cap: null }, 'Nothing limits liability for fraud.'),
      ],
    });
    expect(obligations).toEqual([]);
  });
});

describe('determinism', () => {
  it('gives the same obligations in the same order when derived again', () => {
    const clauses = [
      parties(['Lumen Analytics Ltd', 'Processor'], ['Kestrel Outdoor Retail DAC', 'Controller']),
      breach({ duration: 48, unit: 'hours', qualifier: 'without undue delay', trigger: 'awareness', notifier: 'Processor', recipient: 'Controller' }),
      breach({ content: ['nature'], notifier: 'Processor', recipient: 'Controller' }),
      clause('data_exit', { action: 'return_or_delete', duration: 30, unit: 'days', certification: true, trigger: 'termination' }, 'return or delete'),
    ];
    const snapshot = JSON.stringify(clauses);
    const first = deriveObligations({ ourRole: 'customer', clauses });
    const second = deriveObligations({ ourRole: 'customer', clauses });
    expect(second).toEqual(first);
    expect(first.map((o) => o.clauseIndex)).toEqual([1, 3, 3, 3]);
    // deriving leaves its input as it was
    expect(JSON.stringify(clauses)).toBe(snapshot);
  });
});
