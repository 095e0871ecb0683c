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
});

export interface Config {
  /** Largest document accepted, in bytes (default 50 MiB). */
  readonly maxFileBytes: number;
  /** Largest total unpacked size of the XML parts of a DOCX (zip-bomb guard). */
  readonly maxUnpackedBytes: number;
  /** Folder holding `clauses/`, `regulations/`, `policies/`. */
  readonly rulesDir: string;
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
  });
}
