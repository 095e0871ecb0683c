import { extractClauses } from '../../src/extract/engine';
import { fieldValueFault } from '../../src/extract/field-values';
import { textToDocument } from '../../src/ingest/text-adapter';
import { projectRuleset } from '../helpers/ruleset';

/**
 * Every rule's own examples, run through the whole extractor (segmenter,
 * matcher, field extractors) with only that rule switched on. A rule's
 * `match` examples must produce exactly one clause covering the stated span
 * with the stated field values; its `no_match` near misses must produce none.
 */
const ruleset = projectRuleset();

function runRule(ruleId: string, text: string) {
  return extractClauses(textToDocument(text), ruleset, { onlyRules: new Set([ruleId]) });
}

describe.each(ruleset.rules.map((r) => [r.id, r] as const))('%s', (_id, rule) => {
  const { examples } = rule.doc;

  test.each(examples.match.map((e, i) => [i + 1, e] as const))('matches example %i', (_n, example) => {
    const span = example.span === 'whole' ? example.text.trim() : example.span;
    expect(example.text).toContain(span);
    const at = example.text.indexOf(span);
    // exactly one clause over the span (a sentence split into inline items may give others beside it)
    const clauses = runRule(rule.id, example.text).filter((c) => c.start < at + span.length && c.end > at);
    expect(clauses.map((c) => c.text)).toEqual([span]);
    const [clause] = clauses;
    expect(clause.type).toBe(rule.type);
    for (const [name, expected] of Object.entries(example.fields)) {
      expect({ field: name, value: clause.fields[name] ?? null }).toEqual({ field: name, value: expected });
    }
    const defs = ruleset.catalogue.types[rule.type].fields;
    for (const [name, value] of Object.entries(clause.fields)) {
      expect({ field: name, fault: fieldValueFault(defs[name], value, ruleset.catalogue.units) }).toEqual({ field: name, fault: null });
    }
  });

  test.each(examples.no_match.map((e, i) => [i + 1, typeof e === 'string' ? e : e.text] as const))(
    'does not match near miss %i',
    (_n, text) => {
      expect(runRule(rule.id, text).map((c) => c.text)).toEqual([]);
    },
  );

  if (examples.todo.length > 0) {
    // Known misses are listed, not failing; when one starts to pass it belongs in `match`.
    test.each(examples.todo.map((e, i) => [i + 1, e] as const))('known miss %i is still a miss', (_n, todo) => {
      const clauses = runRule(rule.id, todo.text);
      const span = todo.span ?? todo.text.trim();
      const fieldsOk = (fields: Record<string, unknown>) =>
        Object.entries(todo.fields ?? {}).every(([k, v]) => JSON.stringify(fields[k] ?? null) === JSON.stringify(v));
      const passes = clauses.length === 1 && clauses[0].text === span && fieldsOk(clauses[0].fields);
      expect({ passesNow: passes, hint: 'move this example from todo to match' }).toEqual({ passesNow: false, hint: 'move this example from todo to match' });
    });
  }
});
