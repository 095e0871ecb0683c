import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { loadConfig, type Config } from '../../src/config';
import { type OurRole } from '../../src/db/store';
import { createExtractPool, type DocumentExtractor } from '../../src/jobs/extract-pool';
import { FIXTURES_DIR } from '../helpers/expected-clauses';
import { createMemoryStore, type MemoryStore } from '../helpers/memory-store';

export const silentLogger = pino({ level: 'silent' });

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({ PACTWATCH_WORKER_CONCURRENCY: '2', ...overrides });
}

export function fixtureBytes(name: string): Buffer {
  return fs.readFileSync(path.join(FIXTURES_DIR, 'contracts', name));
}

/** Stores a document as an upload would, and returns the new contract's id. */
export async function upload(store: MemoryStore, bytes: Buffer, fileName: string, options: { counterparty?: string; role?: OurRole } = {}): Promise<string> {
  const { contract } = await store.createContract(
    {
      counterparty: options.counterparty ?? `Vendor ${fileName}`,
      ourRole: options.role ?? 'customer',
      title: null,
      kind: null,
      fileName,
      mediaType: 'application/octet-stream',
      bytes,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    },
    'test',
  );
  return contract.id;
}

/** Wraps extraction threads to count the documents they are handed; closing the wrapper leaves the pool to its owner. */
export function counting(pool: DocumentExtractor): DocumentExtractor & { calls: number } {
  const counted = {
    calls: 0,
    extract(bytes: Buffer) {
      counted.calls++;
      return pool.extract(bytes);
    },
    close: async () => undefined,
  };
  return counted;
}

export { createExtractPool };

export async function obligationsOf(store: MemoryStore, contractId: string) {
  return (await store.searchObligations({ contractId }, { limit: 10_000, offset: 0 })).items;
}

export { createMemoryStore, type MemoryStore };
