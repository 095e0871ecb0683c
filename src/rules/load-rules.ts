import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { type z } from 'zod';
import { buildRuleset, compileRule, RuleError, type CompiledRule, type Ruleset } from '../extract/compile-rules';
import { RuleSchema, TypeCatalogueSchema, VocabularySchema, type RuleDoc, type TypeCatalogue, type Vocabulary } from '../extract/rule-schema';

/**
 * Reads the rule files from disk, validates them and compiles them. Any fault
 * (bad YAML, a schema violation, an invalid pattern, an id that does not match
 * the file's path) throws a RuleError that names the file and the fault, so a
 * broken rule stops start-up instead of silently finding nothing.
 */

function readYaml(file: string): unknown {
  let raw: string;
  try {
    raw = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new RuleError(file, `cannot read: ${(err as Error).message}`);
  }
  const doc = YAML.parseDocument(raw, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) throw new RuleError(file, `invalid YAML: ${doc.errors[0].message}`);
  return doc.toJS();
}

function validate<T>(schema: z.ZodType<T>, value: unknown, file: string): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? issue.path.join('.') : '(top level)';
    throw new RuleError(file, `${where}: ${issue.message}`);
  }
  return parsed.data;
}

export interface LoadedRuleFile {
  file: string;
  doc: RuleDoc;
}

export function loadCatalogue(rulesDir: string): { catalogue: TypeCatalogue; vocabulary: Vocabulary } {
  const catalogueFile = path.join(rulesDir, 'clause-types.yaml');
  const vocabularyFile = path.join(rulesDir, 'vocabulary.yaml');
  return {
    catalogue: validate(TypeCatalogueSchema, readYaml(catalogueFile), catalogueFile),
    vocabulary: validate(VocabularySchema, readYaml(vocabularyFile), vocabularyFile),
  };
}

/** Every clause rule file under rules/clauses, validated but not compiled. */
export function readClauseRuleFiles(rulesDir: string): LoadedRuleFile[] {
  const clausesDir = path.join(rulesDir, 'clauses');
  const out: LoadedRuleFile[] = [];
  for (const typeDir of fs.readdirSync(clausesDir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const dir = path.join(clausesDir, typeDir.name);
    if (!typeDir.isDirectory()) throw new RuleError(dir, 'only folders named after clause types belong in rules/clauses');
    for (const f of fs.readdirSync(dir).sort()) {
      const file = path.join(dir, f);
      if (!/\.ya?ml$/.test(f)) throw new RuleError(file, 'rule files end in .yaml');
      const doc = validate(RuleSchema, readYaml(file), file);
      const expected = `${typeDir.name}.${f.replace(/\.ya?ml$/, '')}`;
      if (doc.id !== expected) throw new RuleError(file, `id "${doc.id}" must match the file's path: "${expected}"`);
      if (doc.type !== typeDir.name) throw new RuleError(file, `type "${doc.type}" must match its folder "${typeDir.name}"`);
      out.push({ file, doc });
    }
  }
  return out;
}

export function loadRuleset(rulesDir: string): Ruleset {
  const { catalogue, vocabulary } = loadCatalogue(rulesDir);
  const rel = (f: string) => path.relative(process.cwd(), f) || f;
  const compiled: CompiledRule[] = readClauseRuleFiles(rulesDir).map(({ file, doc }) => compileRule(doc, rel(file), catalogue, vocabulary));
  return buildRuleset(compiled, catalogue, vocabulary);
}
