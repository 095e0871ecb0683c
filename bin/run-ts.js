#!/usr/bin/env node
// Runs a TypeScript script (benchmarks, fixture builders) through tsx.
const path = require('node:path');
// V8 runs a new regular expression in its interpreter first and compiles it on
// later use; by then the rules' many patterns have used up V8's budget for
// optimised regex code and even the engine's core scans run slowly. Compiling
// at first use roughly doubles extraction speed (see bench/).
require('node:v8').setFlagsFromString('--no-regexp-tier-up');
require('tsx/cjs');
const script = process.argv[2];
if (!script) {
  console.error('usage: run-ts <script.ts> [args...]');
  process.exit(2);
}
process.argv.splice(1, 1);
require(path.resolve(script));
