import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RuleError } from '../../src/extract/compile-rules';
import { fieldValueFault } from '../../src/extract/field-values';
import { scanKeywords, typesInSpans } from '../../src/extract/keywords';
import { loadRuleset, readClauseRuleFiles } from '../../src/rules/load-rules';
import { projectRuleset, RULES_DIR } from '../helpers/ruleset';

/**
 * Lints the rules as data: every clause type has rules, every rule has both
 * kinds of examples, example values are valid for their fields, and a broken
 * rule file stops loading with its path and its fault.
 */
const ruleset = projectRuleset();

test('every clause type in the catalogue has at least one rule', () => {
  const withoutRules = Object.keys(ruleset.catalogue.types).filter((t) => !ruleset.byType.has(t));
  expect(withoutRules).toEqual([]);
});

test('every rule has examples it must match and near misses it must not', () => {
  const lacking = ruleset.rules
    .filter((r) => r.doc.examples.match.length === 0 || r.doc.examples.no_match.length === 0)
    .map((r) => r.id);
  expect(lacking).toEqual([]);
});

test('every field value in the examples is a valid value of a field of the rule type', () => {
  const faults: string[] = [];
  for (const rule of ruleset.rules) {
    const defs = ruleset.catalogue.types[rule.type].fields;
    for (const ex of [...rule.doc.examples.match, ...rule.doc.examples.todo]) {
      for (const [name, value] of Object.entries(ex.fields ?? {})) {
        if (!(name in defs)) faults.push(`${rule.id}: "${name}" is not a field of ${rule.type}`);
        else {
          const fault = fieldValueFault(defs[name], value, ruleset.catalogue.units);
          if (fault) faults.push(`${rule.id}: ${name}: ${fault}`);
        }
      }
    }
  }
  expect(faults).toEqual([]);
});

test('rule ids are unique and name their file', () => {
  const files = readClauseRuleFiles(RULES_DIR);
  const ids = files.map((f) => f.doc.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const f of files) expect(path.relative(path.join(RULES_DIR, 'clauses'), f.file)).toBe(`${f.doc.id.replace('.', '/')}.yaml`);
});

describe('a broken rule stops loading, naming the file and the fault', () => {
  const good = fs.readFileSync(path.join(RULES_DIR, 'clauses', 'breach_notification', 'notice-of-incident.yaml'), 'utf8');
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pactwatch-rules-'));
    fs.copyFileSync(path.join(RULES_DIR, 'clause-types.yaml'), path.join(dir, 'clause-types.yaml'));
    fs.copyFileSync(path.join(RULES_DIR, 'vocabulary.yaml'), path.join(dir, 'vocabulary.yaml'));
    fs.mkdirSync(path.join(dir, 'clauses', 'breach_notification'), { recursive: true });
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, content: string) => {
    const file = path.join(dir, 'clauses', 'breach_notification', name);
    fs.writeFileSync(file, content);
    return file;
  };
  const loadError = (): RuleError => {
    try {
      loadRuleset(dir);
    } catch (err) {
      if (err instanceof RuleError) return err;
      throw err;
    }
    throw new Error('the rules loaded without an error');
  };

  test('a valid copy loads', () => {
    write('notice-of-incident.yaml', good);
    expect(loadRuleset(dir).rules.map((r) => r.id)).toEqual(['breach_notification.notice-of-incident']);
  });

  test('invalid YAML', () => {
    const file = write('notice-of-incident.yaml', `${good}\n  : : [unclosed`);
    const err = loadError();
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/invalid YAML/);
  });

  test('an id that does not match the path', () => {
    const file = write('other-name.yaml', good);
    const err = loadError();
    expect(err.message).toContain(file);
    expect(err.message).toContain('must match the file\'s path: "breach_notification.other-name"');
  });

  test('a field the type does not have', () => {
    write('notice-of-incident.yaml', good.replace('- set: qualifier', '- set: qualifer'));
    expect(loadError().message).toMatch(/field "qualifer" is not a field of type breach_notification/);
  });

  test('a broken regular expression', () => {
    write('notice-of-incident.yaml', good.replace('- "{notify}"', '- "(?:notify"'));
    expect(loadError().message).toMatch(/invalid pattern "\(\?:notify"/);
  });

  test('an unknown macro', () => {
    write('notice-of-incident.yaml', good.replace('- "{notify}"', '- "{notifyy}"'));
    expect(loadError().message).toMatch(/unknown macro \{notifyy\}/);
  });

  test('a rule without near misses', () => {
    write('notice-of-incident.yaml', good.replace(/\n {2}no_match:[\s\S]*?\n {2}todo: \[\]/, '\n  no_match: []\n  todo: []'));
    expect(loadError().message).toMatch(/examples\.no_match: a rule needs at least one near miss/);
  });

  test('a value a field does not allow', () => {
    write('notice-of-incident.yaml', good.replace('without undue delay: "without undue delay"', 'eventually: "eventually"'));
    expect(loadError().message).toMatch(/value "eventually" is not allowed for field "qualifier"/);
  });
});

test('every example a rule must match holds a keyword of its type (or the keyword scan would hide it)', () => {
  const missing: string[] = [];
  for (const rule of ruleset.rules) {
    for (const ex of rule.doc.examples.match) {
      const types = typesInSpans(scanKeywords(ruleset.keywords, ex.text), [{ start: 0, end: ex.text.length }]);
      if (!types.has(rule.type)) missing.push(`${rule.id}: ${ex.text.slice(0, 80)}`);
    }
  }
  expect(missing).toEqual([]);
});
