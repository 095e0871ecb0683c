import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { checkContract, loadPolicy, parsePolicy, PolicyError, type Policy } from '../../src/policies';
import { clause } from './helpers';

const TARGETS = { default: { amount: 24, unit: 'hours' } };

function policyWith(items: unknown[]): Policy {
  return parsePolicy({ deadline_targets: TARGETS, clauses: items }, 'inline');
}

const noticeItem = {
  id: 'notice-72h',
  title: 'Incident notice within 72 hours',
  type: 'breach_notification',
  require: [
    {
      describe: 'Notice within {duration+unit} of {trigger|an unnamed event}',
      when: { 'duration+unit': { at_most: { amount: 72, unit: 'hours' } }, trigger: { one_of: ['awareness', null], if_not: 'needs_review' } },
      review_if_present: ['qualifier'],
    },
  ],
  examples: [{ fields: { duration: 24, unit: 'hours' }, outcome: 'met' }],
};

describe('outcomes', () => {
  const policy = policyWith([noticeItem]);
  const check = (...clauses: ReturnType<typeof clause>[]) => checkContract(policy, clauses)[0];

  it('met, with the clause, the value and a sentence saying both sides', () => {
    const f = check(clause('governing_law', { jurisdiction: 'England and Wales' }, 0), clause('breach_notification', { duration: 48, unit: 'hours', trigger: 'awareness' }, 1));
    expect(f).toEqual({
      itemId: 'notice-72h',
      title: 'Incident notice within 72 hours',
      clauseType: 'breach_notification',
      outcome: 'met',
      detail: 'Notice within 48 hours of awareness; the policy accepts at most 72 hours.',
      clauseIndex: 1,
      value: { duration: 48, unit: 'hours', trigger: 'awareness' },
    });
  });

  it('not met reads as a lawyer would put it', () => {
    const f = check(clause('breach_notification', { duration: 96, unit: 'hours', trigger: 'awareness' }));
    expect(f.outcome).toBe('not_met');
    expect(f.detail).toBe('Notice within 96 hours of awareness; the policy accepts at most 72 hours.');
  });

  it('missing when the contract has no clause of the type', () => {
    const f = check(clause('audit_rights', { auditor: 'Customer' }));
    expect(f).toMatchObject({ outcome: 'missing', clauseIndex: null, value: null });
    expect(f.detail).toBe('The contract has no clause on breach notification.');
    expect(checkContract(policy, [])[0].outcome).toBe('missing');
  });

  it('a notice "without undue delay" with no number needs review, pointing at that clause', () => {
    const f = check(clause('breach_notification', { content: ['nature'] }, 0), clause('breach_notification', { qualifier: 'without undue delay' }, 1));
    expect(f).toMatchObject({ outcome: 'needs_review', clauseIndex: 1 });
    expect(f.detail).toContain('"without undue delay"');
  });

  it('a clause that states no deadline at all is not met', () => {
    expect(check(clause('breach_notification', { content: ['nature'] })).outcome).toBe('not_met');
  });

  it('a clock started on confirmation needs review rather than a silent pass', () => {
    const f = check(clause('breach_notification', { duration: 24, unit: 'hours', trigger: 'confirmation' }));
    expect(f.outcome).toBe('needs_review');
  });

  it('the best clause decides: the shortest notice period, whatever the order', () => {
    const a = clause('breach_notification', { duration: 96, unit: 'hours', trigger: 'awareness' }, 0);
    const b = clause('breach_notification', { duration: 2, unit: 'days', trigger: 'awareness' }, 1);
    const c = clause('breach_notification', { duration: 24, unit: 'hours', trigger: 'awareness' }, 2);
    expect(checkContract(policy, [a, b, c])[0]).toMatchObject({ outcome: 'met', clauseIndex: 2 });
    expect(checkContract(policy, [c, b, a])[0]).toMatchObject({ outcome: 'met', clauseIndex: 0 });
  });

  it('periods in other units compare when they can, and need review when months or business days straddle the limit', () => {
    expect(check(clause('breach_notification', { duration: 3, unit: 'days' })).outcome).toBe('met');
    expect(check(clause('breach_notification', { duration: 4, unit: 'days' })).outcome).toBe('not_met');
    expect(check(clause('breach_notification', { duration: 2, unit: 'business_days' })).outcome).toBe('needs_review');
  });

  it('is pure: the same answer twice and the clauses untouched', () => {
    const clauses = [clause('breach_notification', { duration: 48, unit: 'hours', trigger: 'awareness' })];
    const before = JSON.stringify(clauses);
    expect(checkContract(policy, clauses)).toEqual(checkContract(policy, clauses));
    expect(JSON.stringify(clauses)).toBe(before);
  });

  it('a policy without items gives no findings', () => {
    expect(checkContract({ deadlineTargets: TARGETS } as Policy, [clause('breach_notification', { duration: 1, unit: 'hours' })])).toEqual([]);
  });
});

describe('caps, money and several requirements', () => {
  const policy = policyWith([
    { id: 'cap', title: 'Cap', type: 'liability_cap', decide: 'worst', require: [{ when: { cap: { cap_at_least: { months_of_fees: 12 } } } }], examples: [{ fields: {}, outcome: 'not_met' }] },
    {
      id: 'cyber',
      title: 'Cyber insurance',
      type: 'insurance',
      where: { coverage: { equals: 'cyber' } },
      require: [{ describe: 'Cyber insurance of {amount+currency}', when: { 'amount+currency': { at_least: { amount: 5000000, currency: 'USD' } } } }],
      examples: [{ fields: {}, outcome: 'missing' }],
    },
    {
      id: 'exit',
      title: 'Exit',
      type: 'data_exit',
      require: [{ when: { 'duration+unit': { at_most: { amount: 30, unit: 'days' } } } }, { when: { certification: { equals: true } } }],
      examples: [{ fields: {}, outcome: 'not_met' }],
    },
  ]);
  const find = (id: string, clauses: ReturnType<typeof clause>[]) => checkContract(policy, clauses).find((f) => f.itemId === id)!;

  it('a greater-of cap meets the policy when its fee branch does', () => {
    const f = find('cap', [clause('liability_cap', { kind: 'greater_of', multiple: 1, lookback_months: 12, amount: 10, currency: 'USD' })]);
    expect(f.outcome).toBe('met');
    expect(f.detail).toBe('A cap of the greater of the fees of 12 months and USD 10; the policy requires a cap of at least 12 months of fees.');
  });

  it('with decide: worst, a low general cap is not lifted by a higher super-cap', () => {
    const f = find('cap', [clause('liability_cap', { kind: 'fees_multiple', multiple: 3, lookback_months: 12 }, 0), clause('liability_cap', { kind: 'fees_multiple', multiple: 1, lookback_months: 6 }, 1)]);
    expect(f).toMatchObject({ outcome: 'not_met', clauseIndex: 1 });
  });

  it('a cap set elsewhere says nothing; the other cap decides', () => {
    const f = find('cap', [clause('liability_cap', { kind: 'defined_elsewhere' }, 0), clause('liability_cap', { kind: 'fees_multiple', multiple: 1, lookback_months: 12 }, 1)]);
    expect(f).toMatchObject({ outcome: 'met', clauseIndex: 1 });
  });

  it('insurance is compared only in the same currency', () => {
    expect(find('cyber', [clause('insurance', { coverage: 'cyber', amount: 9000000, currency: 'USD' })]).outcome).toBe('met');
    const eur = find('cyber', [clause('insurance', { coverage: 'cyber', amount: 9000000, currency: 'EUR' })]);
    expect(eur.outcome).toBe('needs_review');
    expect(eur.value).toEqual({ amount: 9000000, currency: 'EUR' });
  });

  it('other kinds of insurance do not count as cyber cover', () => {
    expect(find('cyber', [clause('insurance', { coverage: 'professional_liability', amount: 9000000, currency: 'USD' })]).outcome).toBe('missing');
  });

  it('each requirement may be met by a different clause; the failing one is shown', () => {
    expect(find('exit', [clause('data_exit', { action: 'return', duration: 30, unit: 'days' }, 0), clause('data_exit', { action: 'delete', certification: true }, 1)]).outcome).toBe('met');
    const f = find('exit', [clause('data_exit', { action: 'delete', duration: 30, unit: 'days' }, 0)]);
    expect(f).toMatchObject({ outcome: 'not_met', clauseIndex: null });
    expect(f.detail).toMatch(/certification/);
  });
});

describe('a broken items section stops loading with the file and the fault', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-items-'));
  });
  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const HEAD = 'deadline_targets:\n  default: { amount: 24, unit: hours }\nclauses:\n';
  const ITEM = (body: string) =>
    `${HEAD}  - id: notice\n    title: Notice\n${body}\n    examples:\n      - { fields: { duration: 1, unit: hours }, outcome: met }\n`;
  const fault = (text: string) => {
    const file = path.join(dir, `p-${Math.random().toString(36).slice(2)}.yaml`);
    fs.writeFileSync(file, text);
    try {
      loadPolicy(file);
    } catch (err) {
      expect(err).toBeInstanceOf(PolicyError);
      expect((err as Error).message.startsWith(`${file}: `)).toBe(true);
      return (err as Error).message;
    }
    throw new Error('expected the policy to be rejected');
  };

  it('an unknown clause type', () => {
    expect(fault(ITEM('    type: breach_notice\n    require: []'))).toMatch(/clauses\.0\.type.*unknown clause type "breach_notice"/);
  });

  it('an unknown field', () => {
    expect(fault(ITEM('    type: breach_notification\n    require:\n      - when: { hours: { at_most: 72 } }'))).toMatch(/clauses\.0\.require\.0\.when\.hours.*unknown field "hours"/);
  });

  it('a bad number', () => {
    expect(fault(ITEM("    type: breach_notification\n    require:\n      - when: { duration+unit: { at_most: { amount: 'seventy-two', unit: hours } } }"))).toMatch(/clauses\.0\.require\.0\.when/);
  });

  it('an unknown unit or enum value', () => {
    expect(fault(ITEM('    type: breach_notification\n    require:\n      - when: { duration+unit: { at_most: { amount: 72, unit: fortnights } } }'))).toMatch(/unknown unit "fortnights"/);
    expect(fault(ITEM('    type: breach_notification\n    require:\n      - when: { trigger: { equals: noticing } }'))).toMatch(/"noticing" not among/);
  });

  it('a condition that cannot apply to the field', () => {
    expect(fault(ITEM('    type: breach_notification\n    require:\n      - when: { content: { at_least: 3 } }'))).toMatch(/at_least does not apply to a enum_list|at_least does not apply/);
  });

  it('an example naming a field the type does not have', () => {
    const text = `${HEAD}  - id: notice\n    title: Notice\n    type: audit_rights\n    require: []\n    examples:\n      - { fields: { duration: 1 }, outcome: met }\n`;
    expect(fault(text)).toMatch(/clauses\.0\.examples\.0.*unknown field "duration"/);
  });

  it('an item without examples, or with an unknown key', () => {
    expect(fault(`${HEAD}  - { id: notice, title: Notice, type: audit_rights, require: [], examples: [] }\n`)).toMatch(/clauses\.0\.examples/);
    expect(fault(ITEM('    type: audit_rights\n    require: []\n    severity: high'))).toMatch(/clauses\.0/);
  });
});
