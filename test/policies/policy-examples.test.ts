import path from 'node:path';
import { checkContract, defaultPolicyFile, loadPolicy } from '../../src/policies';
import { clause } from './helpers';

/**
 * Every policy item's own examples: the clauses given must produce the stated
 * outcome (and, where the example names one, the stated deciding clause).
 */
const policy = loadPolicy(defaultPolicyFile(path.join(__dirname, '..', '..', 'rules')));
const items = policy.items ?? [];

it('the shipped policy has items for notice, cap, carve-outs, sub-processors, data exit, insurance and audit', () => {
  expect(items.map((i) => i.clauseType)).toEqual(
    expect.arrayContaining(['breach_notification', 'liability_cap', 'liability_carveout', 'subprocessor_flowdown', 'data_exit', 'insurance', 'audit_rights']),
  );
});

describe.each(items.map((item) => [item.id, item] as const))('%s', (_id, item) => {
  test.each(item.examples.map((e, i) => [i + 1, e] as const))('example %i', (_n, example) => {
    const clauses = example.clauses.map((c, i) => clause(c.type, c.fields, i));
    const [finding] = checkContract({ items: [item] }, clauses);
    const got = { outcome: finding.outcome, ...(example.clause !== undefined ? { clause: finding.clauseIndex } : {}) };
    expect({ got, detail: finding.detail }).toEqual({ got: { outcome: example.outcome, ...(example.clause !== undefined ? { clause: example.clause } : {}) }, detail: expect.any(String) });
    expect(finding.detail).toMatch(/^[A-Z].*\.$/);
  });
});
