import { z } from 'zod';
import { DATA_CATEGORIES } from '../obligations/incident-types';

/**
 * The schema of regulation files (rules/regulations/<regime>.yaml): one file
 * per regime, several notification duties per file, and examples (incidents
 * with pinned times and the deadlines they must produce) that run as tests.
 * Validated at load; a broken file stops start-up with its path and fault.
 */

const CLOCKS = ['occurredAt', 'detectedAt', 'awareAt', 'confirmedAt', 'determinedAt', 'extortionPaymentAt'] as const;
const UNITS = ['seconds', 'minutes', 'hours', 'days', 'business_days', 'weeks', 'months', 'years'] as const;

export const ClockNameSchema = z.enum(CLOCKS);

/** 'EU', 'EEA', 'UK', a country ('DE', 'IN'), or a country's subdivision ('US-NY'). */
export const JurisdictionSchema = z
  .string()
  .regex(/^(?:EU|EEA|[A-Z]{2}(?:-[A-Z0-9]{1,3})?)$/, "a jurisdiction is 'EU', 'EEA', a country code ('DE') or country-subdivision ('US-NY')");

const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, 'a date as YYYY-MM-DD');
const IsoInstant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2})$/, 'an ISO 8601 time with its offset, e.g. 2026-03-02T09:00:00Z')
  .refine((s) => !Number.isNaN(Date.parse(s)), 'not a real time');

const PeriodSchema = z.object({ amount: z.number().positive(), unit: z.enum(UNITS) }).strict();

const ClockSchema = z
  .object({
    /** Which of the incident's times starts the clock; the first one known is used. */
    from: z.array(ClockNameSchema).min(1),
    /** In words, for "clock not started: ..." while none of them is known. */
    starts_when: z.string().min(5),
    /** The period counts from the end of the calendar year the clock time falls in (HIPAA's annual log to HHS). */
    anchor: z.enum(['end_of_calendar_year']).optional(),
  })
  .strict();

const AffectedCountSchema = z
  .object({
    gte: z.number().int().nonnegative().optional(),
    gt: z.number().int().nonnegative().optional(),
    lt: z.number().int().positive().optional(),
    /** Whether the duty is listed while the number of people is not known yet. */
    if_unknown: z.enum(['applies', 'does_not_apply']).default('applies'),
  })
  .strict()
  .refine((c) => c.gte !== undefined || c.gt !== undefined || c.lt !== undefined, 'give at least one of gte, gt, lt');

export const AppliesWhenSchema = z
  .object({
    /** Any of these (an EU member state counts as 'EU' and 'EEA'; 'US-NY' as 'US'; 'GB' and 'UK' are one). */
    jurisdictions: z.array(JurisdictionSchema).min(1).optional(),
    /** Any of these among the incident's data categories. */
    data_categories: z.array(z.enum(DATA_CATEGORIES as [string, ...string[]])).min(1).optional(),
    /** Any of these among the incident's sectors and roles. */
    sectors: z.array(z.string().regex(/^[a-z][a-z0-9_]*$/)).min(1).optional(),
    /** Our role toward the data; an incident that does not say yet matches either role. */
    our_data_role: z.array(z.enum(['controller', 'processor'])).min(1).optional(),
    origin: z.array(z.enum(['ours', 'vendor'])).min(1).optional(),
    /** An incident without a severity yet matches. */
    severity: z.array(z.enum(['low', 'medium', 'high', 'critical'])).min(1).optional(),
    affected_count: AffectedCountSchema.optional(),
    /** Only once an extortion payment has been made (its time is known). */
    extortion_payment: z.literal(true).optional(),
  })
  .strict();

export const DutySchema = z
  .object({
    id: z.string().regex(/^[a-z][a-z0-9_]*\.[a-z0-9][a-z0-9-]*$/, 'must be <regime>.<slug> (lower case, digits, dashes)'),
    title: z.string().min(10),
    citation: z.string().min(3),
    url: z.string().url().startsWith('https://', 'link the official text over https'),
    last_checked: IsoDate,
    applies_when: AppliesWhenSchema,
    clock: ClockSchema,
    period: PeriodSchema.optional(),
    /** The time the source gives in words only ("without undue delay"): no date is computed. */
    qualifier: z.string().min(3).optional(),
    /** A second limit that also binds; the deadline is whichever ends first (DORA: 4 h from classification, and no later than 24 h from awareness). */
    no_later_than: z.object({ from: z.array(ClockNameSchema).min(1), amount: z.number().positive(), unit: z.enum(UNITS) }).strict().optional(),
    /** Day-based periods end at the end of their last local day. */
    end_of_day: z.boolean().default(false),
    /** Whose public holidays business days skip ('US', 'BR', ...). */
    holiday_region: z.string().regex(/^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$/).nullable().default(null),
    recipient: z.string().min(2),
    notifier: z.literal('us').default('us'),
    method: z.array(z.string().min(2)).default([]),
    content: z.array(z.string().min(2)).default([]),
    notes: z.string().optional(),
  })
  .strict()
  .refine((d) => (d.period === undefined) !== (d.qualifier === undefined), 'give either a period or a qualifier, not both')
  .refine((d) => !d.no_later_than || d.period, '`no_later_than` bounds a period; it needs `period`')
  .refine((d) => d.period?.unit !== 'business_days' || d.holiday_region !== null, 'business days need a `holiday_region`');

export type DutyDoc = z.infer<typeof DutySchema>;

/** An incident in an example: the incident's own field names; whatever is left out is empty or unknown. */
const ExampleIncidentSchema = z
  .object({
    occurredAt: IsoInstant.nullable().optional(),
    detectedAt: IsoInstant.nullable().optional(),
    awareAt: IsoInstant.nullable().optional(),
    confirmedAt: IsoInstant.nullable().optional(),
    determinedAt: IsoInstant.nullable().optional(),
    extortionPaymentAt: IsoInstant.nullable().optional(),
    origin: z.enum(['ours', 'vendor']).default('ours'),
    status: z.enum(['suspected', 'confirmed', 'contained', 'closed']).default('confirmed'),
    severity: z.enum(['low', 'medium', 'high', 'critical']).nullable().default(null),
    dataCategories: z.array(z.enum(DATA_CATEGORIES as [string, ...string[]])).default([]),
    jurisdictions: z.array(z.string()).default([]),
    affectedCount: z.number().int().nonnegative().nullable().default(null),
    timeZone: z.string().default('UTC'),
    sectors: z.array(z.string()).default([]),
    ourDataRole: z.enum(['controller', 'processor']).nullable().default(null),
  })
  .strict();

export type ExampleIncident = z.infer<typeof ExampleIncidentSchema>;

/** What one duty must give for the example: a due time, a qualifier (with the policy target), or nothing. */
const ExpectationSchema = z.union([
  z.literal('not_applicable'),
  z.object({ due: IsoInstant, clock: ClockNameSchema.optional() }).strict(),
  z.object({ qualifier: z.string().min(3), policy_target: IsoInstant.nullable().optional(), clock: ClockNameSchema.optional() }).strict(),
]);

export type Expectation = z.infer<typeof ExpectationSchema>;

const ExampleSchema = z
  .object({
    name: z.string().min(5),
    incident: ExampleIncidentSchema,
    /** Every duty of the file that applies, with what it gives; a duty left out must not apply. */
    expect: z.record(z.string(), ExpectationSchema),
  })
  .strict();

export type RegulationExample = z.infer<typeof ExampleSchema>;

export const RegulationFileSchema = z
  .object({
    regime: z.string().regex(/^[a-z][a-z0-9_]*$/),
    name: z.string().min(3),
    duties: z.array(DutySchema).min(1),
    examples: z.array(ExampleSchema).min(1, 'a regulation file needs examples'),
  })
  .strict();

export type RegulationFile = z.infer<typeof RegulationFileSchema>;
