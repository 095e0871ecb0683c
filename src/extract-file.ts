import fs from 'node:fs/promises';
import { type Config } from './config';
import { extractClauses, type Clause, type Ruleset } from './extract';
import { ingest } from './ingest';
import { ingestError } from './ingest/ingest-errors';
import { type Page } from './ingest/text-document';

export interface FileResult {
  file: string;
  pages: Page[];
  clauses: Clause[];
}

/** Reads a file from disk and runs it through ingest and extract. Refuses an oversized file before reading it. */
export async function extractFile(file: string, config: Config, ruleset: Ruleset): Promise<FileResult> {
  const stat = await fs.stat(file);
  if (!stat.isFile()) throw ingestError('UNSUPPORTED_FORMAT', `${file} is not a regular file.`);
  if (stat.size > config.maxFileBytes) {
    throw ingestError('FILE_TOO_LARGE', `The file is ${stat.size} bytes, over the limit of ${config.maxFileBytes} bytes.`);
  }
  const bytes = await fs.readFile(file);
  const doc = await ingest(bytes, config);
  return { file, pages: doc.pages, clauses: extractClauses(doc, ruleset) };
}
