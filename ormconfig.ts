/**
 * The DataSource the migration commands use (`npm run migration:generate`).
 * Generate against a real PostgreSQL (DATABASE_URL): the migrations it writes
 * also run on the embedded database.
 */
import { loadConfig } from './src/config';
import { createDataSource } from './src/db/data-source';

export default createDataSource(loadConfig());
