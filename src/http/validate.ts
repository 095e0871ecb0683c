import { z } from 'zod';
import { AppError } from '../errors';
import { unstorable } from './request-guards';

/**
 * Request validation. Every refusal is a 400 VALIDATION_FAILED whose detail
 * names the parameter, so a caller can fix the request without reading code.
 */
export function validate<S extends z.ZodType>(schema: S, value: unknown, where: 'query' | 'body' | 'path'): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => {
    const unknownKeys = i.code === 'unrecognized_keys' ? i.keys : [];
    if (unknownKeys.length > 0) return `${where}: unknown parameter(s) ${unknownKeys.map((k) => JSON.stringify(k)).join(', ')}`;
    const field = i.path.length > 0 ? `${where}.${i.path.join('.')}` : where;
    return `${field}: ${i.message}`;
  });
  throw new AppError('VALIDATION_FAILED', 400, issues.join('; '));
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const IdParams = z.object({ id: z.string().regex(UUID, 'must be a UUID') });

/** Query strings repeat keys into arrays; a filter takes one value. */
const single = (max: number) =>
  z
    .string({ error: 'must be given once, as text' })
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    // PostgreSQL cannot hold a NUL: refused here rather than failing in the query
    .superRefine((v, ctx) => {
      const why = unstorable(v);
      if (why) ctx.addIssue({ code: 'custom', message: why });
    });

/** A word-like code (clause type, action, trigger): letters, digits, `_`, `.`, `-`. */
export const codeParam = single(64).regex(/^[A-Za-z0-9_.-]+$/, 'must be a code such as breach_notification');

export const textParam = (max = 200) => single(max);

const intParam = (min: number, max: number, fallback: number) =>
  z
    .string({ error: 'must be given once, as a whole number' })
    .regex(/^\d{1,9}$/, 'must be a whole number')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
    .optional()
    .transform((v) => v ?? fallback);

export const MAX_PAGE = 100;

/** Rows in one export file at most (the obligations CSV); a cut file says so in `X-Truncated: true`. */
export const MAX_EXPORT_ROWS = 10_000;

export const PageQuery = {
  limit: intParam(1, MAX_PAGE, 20),
  offset: intParam(0, 1_000_000_000, 0),
};
