import type pino from 'pino';
import { type Registry } from 'prom-client';
import { type Config } from '../config';
import { type Store, type TokenRecord } from '../db/store';
import { type JobQueue } from '../jobs/queue';

export { type JobQueue };

export interface AppDeps {
  store: Store;
  jobs: JobQueue;
  config: Config;
  logger: pino.Logger;
  /** Where request and job-count metrics go; pass one to add the job runners' own metrics to the same page. */
  metrics?: Registry;
}

declare module 'express-serve-static-core' {
  interface Request {
    /** from `x-request-id` when the caller sent a sane one, else generated */
    id: string;
    log: pino.Logger;
    /** the authenticated caller, set by the auth middleware */
    token?: TokenRecord;
  }
}
