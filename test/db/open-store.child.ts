// Run as a separate process by embedded.test.ts: tries to open the embedded
// database in the directory it is given and reports what happened as JSON.
import { loadConfig } from '../../src/config';
import { openStore } from '../../src/db';
import { isAppError } from '../../src/errors';

async function main(): Promise<void> {
  const dataDir = process.argv[2];
  try {
    const store = await openStore(loadConfig({ PACTWATCH_DATA_DIR: dataDir }));
    const contracts = await store.listContracts({}, { limit: 10, offset: 0 });
    await store.close();
    process.stdout.write(JSON.stringify({ opened: true, contracts: contracts.total }));
  } catch (err) {
    process.stdout.write(JSON.stringify(isAppError(err) ? { code: err.code, message: err.detail } : { error: String(err) }));
  }
}

void main();
