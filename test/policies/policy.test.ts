import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deadlineTarget, defaultPolicyFile, loadPolicy, parsePolicy, PolicyError } from '../../src/policies';

const RULES = path.join(__dirname, '..', '..', 'rules');

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'policy-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

describe('the shipped policy', () => {
  const policy = loadPolicy(defaultPolicyFile(RULES));

  it('aims at 24 hours for "without undue delay" and "promptly", and has a default', () => {
    expect(policy.deadlineTargets['without undue delay']).toEqual({ amount: 24, unit: 'hours' });
    expect(policy.deadlineTargets.promptly).toEqual({ amount: 24, unit: 'hours' });
    expect(policy.deadlineTargets.default).toBeDefined();
  });

  it('has a target for every timing qualifier the clause rules recognise', () => {
    for (const q of ['without unreasonable delay', 'immediately', 'forthwith', 'as soon as practicable', 'as soon as reasonably practicable', 'expeditiously', 'in a timely manner']) {
      expect(policy.deadlineTargets[q]).toBeDefined();
    }
  });
});

describe('targets by qualifier', () => {
  const policy = parsePolicy(
    {
      deadline_targets: {
        default: { amount: 72, unit: 'hours' },
        'Without Undue Delay': { amount: 24, unit: 'hours' },
        'as soon as practicable': { amount: 2, unit: 'business_days' },
        immediately: { amount: 4, unit: 'hours' },
      },
    },
    'inline',
  );

  it('matches ignoring case, spacing and punctuation', () => {
    expect(deadlineTarget(policy, 'without undue delay')).toEqual({ amount: 24, unit: 'hours' });
    expect(deadlineTarget(policy, '  Without  undue delay, ')).toEqual({ amount: 24, unit: 'hours' });
  });

  it('uses the listed qualifier a longer one contains, else the default', () => {
    expect(deadlineTarget(policy, 'immediately and in writing')).toEqual({ amount: 4, unit: 'hours' });
    expect(deadlineTarget(policy, 'in good time')).toEqual({ amount: 72, unit: 'hours' });
    expect(deadlineTarget(policy, null)).toEqual({ amount: 72, unit: 'hours' });
  });
});

describe('a broken policy file stops loading with the file and the fault', () => {
  const fault = (text: string) => {
    const file = write(`p-${Math.random().toString(36).slice(2)}.yaml`, text);
    try {
      loadPolicy(file);
    } catch (err) {
      expect(err).toBeInstanceOf(PolicyError);
      expect((err as Error).message.startsWith(`${file}: `)).toBe(true);
      return (err as Error).message;
    }
    throw new Error('expected the policy to be rejected');
  };

  it('a missing file', () => {
    expect(() => loadPolicy(path.join(dir, 'nowhere.yaml'))).toThrow(/nowhere\.yaml: cannot read/);
  });

  it('invalid YAML', () => {
    expect(fault('deadline_targets: [unclosed\n')).toMatch(/invalid YAML/);
  });

  it('no deadline_targets section', () => {
    expect(fault('clauses: {}\n')).toMatch(/deadline_targets/);
  });

  it('an unknown unit, naming the entry', () => {
    expect(fault('deadline_targets:\n  default: { amount: 24, unit: hours }\n  promptly: { amount: 1, unit: fortnights }\n')).toMatch(/deadline_targets\.promptly\.unit/);
  });

  it('a negative or missing amount', () => {
    expect(fault('deadline_targets:\n  default: { amount: -1, unit: hours }\n')).toMatch(/deadline_targets\.default\.amount/);
    expect(fault('deadline_targets:\n  default: { unit: hours }\n')).toMatch(/deadline_targets\.default\.amount/);
  });

  it('a misspelt key inside a target', () => {
    expect(fault('deadline_targets:\n  default: { amount: 24, unit: hours, units: days }\n')).toMatch(/deadline_targets\.default/);
  });

  it('no default target', () => {
    expect(fault('deadline_targets:\n  promptly: { amount: 24, unit: hours }\n')).toMatch(/default/);
  });

  it('the same qualifier twice, spelt differently', () => {
    expect(fault('deadline_targets:\n  default: { amount: 24, unit: hours }\n  Promptly: { amount: 1, unit: hours }\n  promptly: { amount: 2, unit: hours }\n')).toMatch(/listed twice/);
  });

  it('a duplicated YAML key', () => {
    expect(fault('deadline_targets:\n  default: { amount: 24, unit: hours }\n  default: { amount: 12, unit: hours }\n')).toMatch(/invalid YAML/);
  });
});

it('accepts and ignores sections it does not know yet', () => {
  const file = write('extra.yaml', 'deadline_targets:\n  default: { amount: 12, unit: hours }\nclause_policies:\n  - id: breach_notification.max-window\n    max: { amount: 72, unit: hours }\n');
  expect(loadPolicy(file)).toEqual({ deadlineTargets: { default: { amount: 12, unit: 'hours' } } });
});
