#!/usr/bin/env node
// Runs the TypeScript sources directly through tsx, so a clone works after
// `npm install` with no build step.
// V8 runs a new regular expression in its interpreter first and compiles it on
// later use; by then the rules' many patterns have used up V8's budget for
// optimised regex code and even the engine's core scans run slowly. Compiling
// at first use roughly doubles extraction speed (see bench/).
require('node:v8').setFlagsFromString('--no-regexp-tier-up');
require('tsx/cjs');
require('../src/cli.ts');
