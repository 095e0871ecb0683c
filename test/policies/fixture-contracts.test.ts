import path from 'node:path';
import { checkContract, defaultPolicyFile, loadPolicy, type Finding } from '../../src/policies';
import { extractFixture } from '../helpers/fixture-docs';

/**
 * The shipped policy against real contracts run through the whole extractor.
 * Expected outcomes come from reading the contracts, not from the extractor.
 */
const policy = loadPolicy(defaultPolicyFile(path.join(__dirname, '..', '..', 'rules')));

async function scorecard(name: string) {
  const { clauses } = await extractFixture('contracts', name, 'txt');
  const findings = checkContract(policy, clauses);
  const byId = (id: string): Finding => findings.find((f) => f.itemId === id)!;
  return { clauses, findings, byId };
}

describe('saas-dpa-lumen', () => {
  it('meets notice (48 hours after becoming aware), sub-processors and data exit (30 days, certified)', async () => {
    const { byId, clauses } = await scorecard('saas-dpa-lumen');
    const notice = byId('incident-notice-72h');
    expect(notice).toMatchObject({ outcome: 'met', value: { duration: 48, unit: 'hours', trigger: 'awareness' } });
    expect(clauses[notice.clauseIndex!].text).toMatch(/within 48 hours after becoming aware/);
    expect(byId('subprocessors-flow-down-and-notice').outcome).toBe('met');
    expect(byId('data-exit-30-days-certified').outcome).toBe('met');
  });

  it('puts data protection under a super-cap but leaves confidentiality under the general cap; no insurance clause', async () => {
    const { byId } = await scorecard('saas-dpa-lumen');
    const carveOut = byId('carve-out-data-breach-confidentiality');
    expect(carveOut.outcome).toBe('not_met');
    expect(carveOut.detail).toMatch(/confidentiality/);
    expect(byId('cyber-insurance-5m').outcome).toBe('missing');
  });
});

describe('enterprise-dpa-kestrel', () => {
  it('meets notice at 36 hours and data exit (return in 30 days, deletion certificate on request)', async () => {
    const { byId } = await scorecard('enterprise-dpa-kestrel');
    expect(byId('incident-notice-72h')).toMatchObject({ outcome: 'met', value: { duration: 36, unit: 'hours', trigger: 'awareness' } });
    expect(byId('data-exit-30-days-certified').outcome).toBe('met');
    expect(byId('audit-rights').outcome).toBe('met');
  });
});

describe('msa-orbital-enterprise', () => {
  it('counts the 48-hour notice from confirmation, so a lawyer must review it', async () => {
    const { byId, clauses } = await scorecard('msa-orbital-enterprise');
    const notice = byId('incident-notice-72h');
    expect(notice).toMatchObject({ outcome: 'needs_review', value: { duration: 48, unit: 'hours', trigger: 'confirmation' } });
    expect(clauses[notice.clauseIndex!].text).toMatch(/forty-eight \(48\) hours after confirmation/);
  });

  it('meets the cap (greater of USD 2,000,000 and 12 months of fees) and misses the 30-day deletion (90 days)', async () => {
    const { byId, clauses } = await scorecard('msa-orbital-enterprise');
    const cap = byId('liability-cap-12-months');
    expect(cap.outcome).toBe('met');
    expect(clauses[cap.clauseIndex!].text).toMatch(/GREATER OF \(a\) USD 2,000,000/);
    const exit = byId('data-exit-30-days-certified');
    expect(exit).toMatchObject({ outcome: 'not_met', value: { action: 'delete', duration: 90, unit: 'days' } });
    expect(exit.detail).toBe('Delete within 90 days of termination; the policy accepts at most 30 days.');
  });

  it('does not carve confidentiality out of the cap and has no cyber insurance clause', async () => {
    const { byId } = await scorecard('msa-orbital-enterprise');
    expect(byId('carve-out-data-breach-confidentiality').outcome).toBe('not_met');
    expect(byId('cyber-insurance-5m').outcome).toBe('missing');
  });
});
