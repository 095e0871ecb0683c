import { deriveObligations } from '../../src/obligations/derive';
import { type ObligationDraft } from '../../src/obligations/types';
import { extractFixture } from '../helpers/fixture-docs';

// What a reader of each contract expects it to oblige, checked on the real extractor's output.

async function obligationsOf(name: string, ourRole: 'customer' | 'provider') {
  const { clauses } = await extractFixture('contracts', name, 'txt');
  return { clauses, obligations: deriveObligations({ ourRole, clauses }) };
}

const find = (list: ObligationDraft[], action: string) => list.filter((o) => o.action === action);

describe('obligations of real contracts', () => {
  it('saas-dpa-lumen, read by the controller: the processor notifies a personal data breach within 48 hours and returns or deletes data', async () => {
    const { clauses, obligations } = await obligationsOf('saas-dpa-lumen', 'customer');

    // 10.1: "notify the Controller without undue delay and in any event within 48 hours after becoming aware of a personal data breach"
    const [notice] = find(obligations, 'notify_incident');
    expect(notice).toMatchObject({ obligor: 'counterparty', beneficiary: 'us', trigger: 'personal_data_breach' });
    expect(notice.deadline).toEqual({ amount: 48, unit: 'hours', qualifier: 'without undue delay', recurring: false });
    expect(clauses[notice.clauseIndex].text).toContain('within 48 hours after becoming aware');
    // the list of what the notice describes is part of that one notice
    expect(find(obligations, 'notify_incident')).toHaveLength(1);
    expect(notice.details.content).toEqual(expect.arrayContaining(['nature', 'contact', 'consequences', 'measures']));

    // "a written update at least once every 72 hours until the breach has been contained"
    expect(find(obligations, 'send_incident_updates').map((o) => o.deadline)).toEqual([{ amount: 72, unit: 'hours', qualifier: null, recurring: true }]);

    // "at least 30 days before the new Sub-processor begins to process"
    const [subNotice] = find(obligations, 'notify_new_subprocessor');
    expect(subNotice).toMatchObject({ obligor: 'counterparty', trigger: 'new_subprocessor', deadline: { amount: 30, unit: 'days', advance: true } });

    // "Within 30 days of the end of the provision of the Services ... delete or return ... and shall certify"
    for (const action of ['return_data', 'delete_data', 'certify_deletion']) {
      expect(find(obligations, action)).toEqual([
        expect.objectContaining({ obligor: 'counterparty', beneficiary: 'us', trigger: 'termination', deadline: expect.objectContaining({ amount: 30, unit: 'days' }) }),
      ]);
    }

    // governing law and the liability cap oblige no one to act
    const silent = new Set(obligations.map((o) => clauses[o.clauseIndex].type));
    expect(silent.has('governing_law')).toBe(false);
    expect(silent.has('liability_cap')).toBe(false);
  });

  it('startup-order-form, read by Quillstack (the provider): our incident duties, and the customer’s termination notice', async () => {
    const { obligations } = await obligationsOf('startup-order-form', 'provider');

    // 3.2: "If Quillstack confirms a Security Breach, it will alert Customer ... without undue delay and in any case within 72h of confirmation"
    expect(find(obligations, 'notify_incident')).toEqual([
      expect.objectContaining({
        obligor: 'us',
        beneficiary: 'counterparty',
        trigger: 'security_incident_confirmed',
        deadline: { amount: 72, unit: 'hours', qualifier: 'without undue delay', recurring: false },
      }),
    ]);
    // 3.3: "status updates every 24h until the Security Breach is contained"
    expect(find(obligations, 'send_incident_updates')).toEqual([
      expect.objectContaining({ obligor: 'us', trigger: 'security_incident_confirmed', deadline: expect.objectContaining({ amount: 24, unit: 'hours', recurring: true }) }),
    ]);
    // 6.1: "Customer may terminate for convenience on 30 days' written notice"
    expect(find(obligations, 'give_termination_notice')).toEqual([
      expect.objectContaining({ obligor: 'counterparty', beneficiary: 'us', deadline: expect.objectContaining({ amount: 30, unit: 'days' }) }),
    ]);
    // "Quillstack will delete Customer Data ... no later than 90 days after termination and will confirm deletion in writing"
    expect(find(obligations, 'delete_data')).toEqual([expect.objectContaining({ obligor: 'us', trigger: 'termination', deadline: expect.objectContaining({ amount: 90, unit: 'days' }) })]);
    expect(find(obligations, 'certify_deletion')).toHaveLength(1);
    // 9.1: "cyber/tech E&O coverage of at least $5M per claim"
    expect(find(obligations, 'maintain_insurance')).toContainEqual(
      expect.objectContaining({ obligor: 'us', details: { coverage: 'cyber', amount: 5000000, currency: 'USD' } }),
    );
  });

  it('infosec-addendum-cobalt, read by Granite (the "Company"): the Supplier owes notice, updates, a root-cause report, approval and insurance', async () => {
    const { obligations } = await obligationsOf('infosec-addendum-cobalt', 'customer');

    // 8.1: "(a) notify Company ... within thirty-six (36) hours; (b) ... updates ... every forty-eight (48) hours; (c) ... root cause analysis ... within ten (10) business days"
    expect(find(obligations, 'notify_incident')).toEqual([
      expect.objectContaining({ obligor: 'counterparty', beneficiary: 'us', deadline: { amount: 36, unit: 'hours', qualifier: null, recurring: false } }),
    ]);
    expect(find(obligations, 'send_incident_updates')).toEqual([expect.objectContaining({ obligor: 'counterparty', deadline: expect.objectContaining({ amount: 48, unit: 'hours', recurring: true }) })]);
    expect(find(obligations, 'deliver_root_cause_report')).toEqual([
      expect.objectContaining({ obligor: 'counterparty', deadline: expect.objectContaining({ amount: 10, unit: 'business_days' }) }),
    ]);
    // 7.1: "will not engage any Sub-processor ... without Company's prior written consent"
    expect(find(obligations, 'obtain_approval_for_subprocessor')).toEqual([expect.objectContaining({ obligor: 'counterparty', beneficiary: 'us', trigger: 'new_subprocessor' })]);
    // 10.1 / 10.2: cyber USD 5,000,000 and crime USD 2,000,000
    expect(find(obligations, 'maintain_insurance').map((o) => [o.obligor, o.details.coverage, o.details.amount])).toEqual([
      ['counterparty', 'cyber', 5000000],
      ['counterparty', 'crime', 2000000],
    ]);
    // 13.3: "export of Company Data ... within five (5) business days after Company's written request"
    expect(find(obligations, 'export_data')).toContainEqual(
      expect.objectContaining({ obligor: 'counterparty', trigger: 'request', deadline: expect.objectContaining({ amount: 5, unit: 'business_days' }) }),
    );
    // nothing the Supplier owes lands on us
    expect(obligations.filter((o) => o.obligor === 'us').map((o) => o.action)).not.toContain('notify_incident');
  });
});
