import path from 'node:path';
import { z } from 'zod';

/**
 * The only reader of process.env. Values are validated once and frozen; a bad
 * variable stops start-up with a message that names it.
 */
const MiB = 1024 * 1024;

const positiveInt = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n <= 0) {
        ctx.addIssue({ code: 'custom', message: `must be a positive whole number, got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

const EnvSchema = z.object({
  PACTWATCH_MAX_FILE_BYTES: positiveInt(50 * MiB),
  PACTWATCH_MAX_UNPACKED_BYTES: positiveInt(64 * MiB),
  PACTWATCH_RULES_DIR: z.string().optional(),
  DATABASE_URL: z
    .string()
    .optional()
    .refine((v) => v === undefined || v.trim() === '' || /^postgres(?:ql)?:\/\//.test(v), 'must be a postgres:// or postgresql:// URL'),
  REDIS_URL: z
    .string()
    .optional()
    .refine((v) => v === undefined || v.trim() === '' || /^rediss?:\/\//.test(v), 'must be a redis:// or rediss:// URL'),
  PACTWATCH_DATA_DIR: z.string().optional(),
  PORT: positiveInt(3000),
  PACTWATCH_ADMIN_TOKEN: z.string().optional().refine((v) => v === undefined || v === '' || v.length >= 24, 'must be at least 24 characters'),
  PACTWATCH_DEPLOYMENT: z.string().optional(),
  PACTWATCH_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  PACTWATCH_WORKER_CONCURRENCY: positiveInt(2),
});

export interface Config {
  /** Largest document accepted, in bytes (default 50 MiB). */
  readonly maxFileBytes: number;
  /** Largest total unpacked size of the XML parts of a DOCX (zip-bomb guard). */
  readonly maxUnpackedBytes: number;
  /** Folder holding `clauses/`, `regulations/`, `policies/`. */
  readonly rulesDir: string;
  /** PostgreSQL URL; null means the embedded database under `dataDir`. */
  readonly databaseUrl: string | null;
  /** Redis URL; null means jobs run in-process. */
  readonly redisUrl: string | null;
  /** Where the embedded database lives (default ./data). */
  readonly dataDir: string;
  /** HTTP port (default 3000). */
  readonly port: number;
  /** Admin token to install on first start instead of a generated one. */
  readonly adminToken: string | null;
  /** Name of this deployment, mixed into token hashes so a token of one deployment is never valid in another. */
  readonly deployment: string;
  readonly logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Jobs a worker runs at once. */
  readonly workerConcurrency: number;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new ConfigError(`invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  return Object.freeze({
    maxFileBytes: e.PACTWATCH_MAX_FILE_BYTES,
    maxUnpackedBytes: e.PACTWATCH_MAX_UNPACKED_BYTES,
    rulesDir: path.resolve(e.PACTWATCH_RULES_DIR ?? path.join(__dirname, '..', 'rules')),
    databaseUrl: e.DATABASE_URL?.trim() ? e.DATABASE_URL.trim() : null,
    redisUrl: e.REDIS_URL?.trim() ? e.REDIS_URL.trim() : null,
    dataDir: path.resolve(e.PACTWATCH_DATA_DIR?.trim() ? e.PACTWATCH_DATA_DIR : 'data'),
    port: e.PORT,
    adminToken: e.PACTWATCH_ADMIN_TOKEN ? e.PACTWATCH_ADMIN_TOKEN : null,
    deployment: e.PACTWATCH_DEPLOYMENT?.trim() || 'default',
    logLevel: e.PACTWATCH_LOG_LEVEL ?? 'info',
    workerConcurrency: e.PACTWATCH_WORKER_CONCURRENCY,
  });
}
