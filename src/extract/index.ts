export { extractClauses, type Clause, type ExtractOptions } from './engine';
export { type Ruleset, RuleError } from './compile-rules';
export { segment, type Unit } from './segment';
