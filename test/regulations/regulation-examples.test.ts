import { type ComputedDeadline } from '../../src/obligations/incident-types';
import { regulatoryDeadlines } from '../../src/regulations';
import { type Expectation } from '../../src/regulations/schema';
import { EXAMPLE_POLICY, exampleIncident, projectRegulationFiles } from './helpers';

/**
 * Every regulation file's own examples: the incident, computed against that
 * file's duties only, must give exactly the duties the example names, each
 * with its due time, or its qualifier (and the policy target, where the
 * example states one); a duty the example leaves out or marks not_applicable
 * must not be listed.
 */
const files = projectRegulationFiles();

const iso = (s: string) => new Date(s).toISOString();

/** The deadline in the example's terms, with only the details the expectation asks about. */
function asExpectation(d: ComputedDeadline, wanted: Expectation | undefined): Expectation {
  const asks = (k: string) => typeof wanted === 'object' && k in wanted;
  const clock = asks('clock') ? { clock: d.clock.name } : {};
  if (d.dueAt) return { due: d.dueAt.toISOString(), ...clock };
  const target = asks('policy_target') ? { policy_target: d.policyTargetAt?.toISOString() ?? null } : {};
  return { qualifier: d.qualifier ?? '(none)', ...target, ...clock };
}

function normalised(e: Exclude<Expectation, 'not_applicable'>): Expectation {
  if ('due' in e) return { ...e, due: iso(e.due) };
  return e.policy_target ? { ...e, policy_target: iso(e.policy_target) } : e;
}

describe.each(files.map((f) => [f.doc.regime, f] as const))('%s', (_regime, file) => {
  test.each(file.doc.examples.map((e) => [e.name, e] as const))('%s', (_name, example) => {
    const got = regulatoryDeadlines(exampleIncident(example.incident), file.regulations, EXAMPLE_POLICY);
    const actual: Record<string, Expectation> = {};
    for (const d of got) {
      const ruleId = d.source.kind === 'regulation' ? d.source.ruleId : d.key;
      actual[ruleId] = asExpectation(d, example.expect[ruleId]);
    }
    const expected: Record<string, Expectation> = {};
    for (const [id, e] of Object.entries(example.expect)) if (e !== 'not_applicable') expected[id] = normalised(e);
    expect(actual).toEqual(expected);
  });
});
