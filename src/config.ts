import path from 'node:path';
import { z } from 'zod';
import { type OcrSettings } from './ingest/ocr';

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

/** Like positiveInt, but 0 is allowed (it turns the limit off). */
const countOrOff = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0) {
        ctx.addIssue({ code: 'custom', message: `must be a whole number (0 turns it off), got "${v}"` });
        return z.NEVER;
      }
      return n;
    });

const EnvSchema = z.object({
  PACTWATCH_MAX_FILE_BYTES: positiveInt(50 * MiB),
  PACTWATCH_MAX_UNPACKED_BYTES: positiveInt(64 * MiB),
  PACTWATCH_MAX_PAGES: positiveInt(2000),
  PACTWATCH_RULES_DIR: z.string().optional(),
  PACTWATCH_POLICY_FILE: z.string().optional(),
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
  PACTWATCH_RATE_LIMIT: countOrOff(600),
  PACTWATCH_AUTH_FAILURE_LIMIT: countOrOff(20),
  PACTWATCH_TRUST_PROXY: countOrOff(0),
  PACTWATCH_OCR: z.enum(['auto', 'off']).optional(),
  PACTWATCH_OCR_PAGE_TIMEOUT_MS: positiveInt(60_000),
  PACTWATCH_OCR_MAX_PAGES: positiveInt(100),
  PACTWATCH_TESSERACT: z.string().optional(),
  PACTWATCH_PDFTOPPM: z.string().optional(),
  // where the OCR programs are looked for when named without a folder
  PATH: z.string().optional(),
  PACTWATCH_WEBHOOK_URL: z
    .string()
    .optional()
    .refine((v) => v === undefined || v.trim() === '' || /^https?:\/\/\S+$/.test(v.trim()), 'must be an http:// or https:// URL'),
  PACTWATCH_WEBHOOK_SECRET: z.string().optional().refine((v) => v === undefined || v === '' || v.length >= 16, 'must be at least 16 characters'),
  PACTWATCH_REMINDER_LEAD_TIMES: z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v.trim() === '') return [24 * 60, 4 * 60, 60];
      const minutes = parseLeadTimes(v);
      if (!minutes) {
        ctx.addIssue({ code: 'custom', message: `must be a comma-separated list of durations like "24h,4h,30m" (units m, h, d), got "${v}"` });
        return z.NEVER;
      }
      return minutes;
    }),
});

const LEAD_TIME_UNIT_MINUTES: Record<string, number> = { m: 1, h: 60, d: 24 * 60 };

/** "24h,4h,30m" -> [1440, 240, 30] (longest first, duplicates dropped); null when any part is not a positive duration. */
export function parseLeadTimes(text: string): number[] | null {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^\s*(\d+)\s*([mhd])\s*$/i.exec(part);
    if (!m) return null;
    const minutes = Number(m[1]) * LEAD_TIME_UNIT_MINUTES[m[2].toLowerCase()];
    if (minutes <= 0) return null;
    out.add(minutes);
  }
  return [...out].sort((a, b) => b - a);
}

export interface Config {
  /** Largest document accepted, in bytes (default 50 MiB). */
  readonly maxFileBytes: number;
  /** Largest total unpacked size of the XML parts of a DOCX (zip-bomb guard). */
  readonly maxUnpackedBytes: number;
  /** Most pages a PDF may have (a page-tree bomb claims millions in a few hundred bytes). */
  readonly maxPages: number;
  /** Folder holding `clauses/`, `regulations/`, `policies/`. */
  readonly rulesDir: string;
  /** The organisation's policy (default `<rulesDir>/policies/default.yaml`); a broken file stops start-up. */
  readonly policyFile: string;
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
  /** API requests per minute per token (per address without one); 0: no limit. */
  readonly rateLimitPerMinute: number;
  /** Refused tokens per address per 15 minutes before that address is refused for the rest of the window; 0: no limit. */
  readonly authFailureLimit: number;
  /** Reverse proxies in front of the API whose X-Forwarded-For is believed (0: the peer's address is the client's). */
  readonly trustProxyHops: number;
  /** Where deadline reminders are POSTed; null means no reminders are sent. */
  readonly webhookUrl: string | null;
  /** Key of the HMAC-SHA256 signature on each reminder; required with webhookUrl. */
  readonly webhookSecret: string | null;
  /** How long before each due time a reminder is sent, in minutes, longest first (default 24 h, 4 h, 1 h). */
  readonly reminderLeadTimesMinutes: readonly number[];
  /** How scanned PDFs are read: Tesseract and pdftoppm as child processes, when installed (see src/ingest/ocr.ts). */
  readonly ocr: OcrSettings;
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
  const rulesDir = path.resolve(e.PACTWATCH_RULES_DIR ?? path.join(__dirname, '..', 'rules'));
  const webhookUrl = e.PACTWATCH_WEBHOOK_URL?.trim() ? e.PACTWATCH_WEBHOOK_URL.trim() : null;
  const webhookSecret = e.PACTWATCH_WEBHOOK_SECRET ? e.PACTWATCH_WEBHOOK_SECRET : null;
  // An unsigned reminder could be forged by anyone who can reach the receiver.
  if (webhookUrl && !webhookSecret) throw new ConfigError('invalid configuration: PACTWATCH_WEBHOOK_SECRET: must be set when PACTWATCH_WEBHOOK_URL is set');
  return Object.freeze({
    maxFileBytes: e.PACTWATCH_MAX_FILE_BYTES,
    maxUnpackedBytes: e.PACTWATCH_MAX_UNPACKED_BYTES,
    maxPages: e.PACTWATCH_MAX_PAGES,
    rulesDir,
    policyFile: e.PACTWATCH_POLICY_FILE?.trim() ? path.resolve(e.PACTWATCH_POLICY_FILE.trim()) : path.join(rulesDir, 'policies', 'default.yaml'),
    databaseUrl: e.DATABASE_URL?.trim() ? e.DATABASE_URL.trim() : null,
    redisUrl: e.REDIS_URL?.trim() ? e.REDIS_URL.trim() : null,
    dataDir: path.resolve(e.PACTWATCH_DATA_DIR?.trim() ? e.PACTWATCH_DATA_DIR : 'data'),
    port: e.PORT,
    adminToken: e.PACTWATCH_ADMIN_TOKEN ? e.PACTWATCH_ADMIN_TOKEN : null,
    deployment: e.PACTWATCH_DEPLOYMENT?.trim() || 'default',
    logLevel: e.PACTWATCH_LOG_LEVEL ?? 'info',
    workerConcurrency: e.PACTWATCH_WORKER_CONCURRENCY,
    rateLimitPerMinute: e.PACTWATCH_RATE_LIMIT,
    authFailureLimit: e.PACTWATCH_AUTH_FAILURE_LIMIT,
    trustProxyHops: e.PACTWATCH_TRUST_PROXY,
    webhookUrl,
    webhookSecret,
    reminderLeadTimesMinutes: Object.freeze(e.PACTWATCH_REMINDER_LEAD_TIMES),
    ocr: Object.freeze({
      mode: e.PACTWATCH_OCR ?? 'auto',
      tesseract: e.PACTWATCH_TESSERACT?.trim() || 'tesseract',
      pdftoppm: e.PACTWATCH_PDFTOPPM?.trim() || 'pdftoppm',
      searchPath: e.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      pageTimeoutMs: e.PACTWATCH_OCR_PAGE_TIMEOUT_MS,
      maxPages: e.PACTWATCH_OCR_MAX_PAGES,
    }),
  });
}
