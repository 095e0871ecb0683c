import path from 'node:path';
import { type Ruleset } from '../../src/extract/compile-rules';
import { loadRuleset } from '../../src/rules/load-rules';

export const RULES_DIR = path.join(__dirname, '..', '..', 'rules');

let cached: Ruleset | null = null;

/** The project's rules, loaded once per test file. */
export function projectRuleset(): Ruleset {
  cached ??= loadRuleset(RULES_DIR);
  return cached;
}
