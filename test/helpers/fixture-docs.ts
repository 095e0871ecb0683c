import fs from 'node:fs';
import path from 'node:path';
import { extractClauses, type Clause } from '../../src/extract';
import { ingest, type TextDocument } from '../../src/ingest';
import { FIXTURES_DIR } from './expected-clauses';
import { projectRuleset } from './ruleset';

export const FORMATS = ['txt', 'pdf', 'docx'] as const;
export type Format = (typeof FORMATS)[number];

const limits = { maxFileBytes: 50 * 1024 * 1024, maxUnpackedBytes: 64 * 1024 * 1024 };
const cache = new Map<string, Promise<{ doc: TextDocument; clauses: Clause[] }>>();

/** A fixture contract read and extracted once per test file. */
export function extractFixture(set: 'contracts' | 'holdout', name: string, format: Format) {
  const file = path.join(FIXTURES_DIR, set, `${name}.${format}`);
  if (!cache.has(file)) {
    cache.set(
      file,
      ingest(fs.readFileSync(file), limits).then((doc) => ({ doc, clauses: extractClauses(doc, projectRuleset()) })),
    );
  }
  return cache.get(file)!;
}
