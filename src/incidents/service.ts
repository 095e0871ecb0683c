/**
 * Incidents as a service: declared, stored, their deadlines computed and
 * re-computed when the facts change, tracked to done. The HTTP routes and the
 * CLI call these functions; storage is the Store, the deadline arithmetic the
 * pure computation, reminders the scheduler, and the clock is injected.
 */
import { IANAZone, DateTime } from 'luxon';
import { type Logger } from 'pino';
import { z } from 'zod';
import { type Config } from '../config';
import { type CounterpartyRecord, type IncidentPatch, type IncidentScope, type NewIncident, type Store, type StoredIncident } from '../db/store';
import { incidentFacts } from '../db/incident-changes';
import { AppError } from '../errors';
import { computeIncidentDeadlines, type IncidentDeadlineInput } from '../obligations/incident-deadlines';
import {
  type ComputedDeadline,
  DATA_CATEGORIES,
  type DataCategory,
  type IncidentStatus,
  type IncidentFacts,
  type IncidentObligation,
  type IncidentRecord,
  INCIDENT_ORIGINS,
  INCIDENT_SEVERITIES,
  INCIDENT_STATUSES,
  OUR_DATA_ROLES,
  type TrackedDeadline,
} from '../obligations/incident-types';
import { loadPolicy, type Policy } from '../policies';
import { JURISDICTION_CODE, loadRegulations, type Regulation } from '../regulations';
import { type ReminderScheduler } from '../reminders';

export interface IncidentServiceDeps {
  store: Store;
  logger: Logger;
  /** the regulation rules, loaded on first use and kept */
  regulations(): Regulation[];
  /** the organisation's policy, loaded on first use and kept */
  policy(): Policy;
  compute(input: IncidentDeadlineInput): ComputedDeadline[];
  reminders: ReminderScheduler;
  now(): Date;
}

/** Until the process wires a scheduler (createReminderScheduler), nothing is scheduled. */
const NO_REMINDERS: ReminderScheduler = {
  mode: 'disabled',
  schedule: async () => undefined,
  cancel: async () => undefined,
  start: async () => undefined,
  pending: async () => [],
  close: async () => undefined,
};

function once<T>(load: () => T): () => T {
  let value: { v: T } | null = null;
  return () => (value ??= { v: load() }).v;
}

/** The service's dependencies from configuration; tests replace any of them. */
export function incidentServiceDeps(
  config: Config,
  deps: { store: Store; logger: Logger } & Partial<Omit<IncidentServiceDeps, 'store' | 'logger'>>,
): IncidentServiceDeps {
  return {
    regulations: once(() => loadRegulations(config.rulesDir)),
    policy: once(() => loadPolicy(config.policyFile)),
    compute: computeIncidentDeadlines,
    reminders: NO_REMINDERS,
    now: () => new Date(),
    ...deps,
  };
}

// ---- what callers send ----------------------------------------------------

const instant = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 time with a UTC offset or Z, e.g. 2026-03-02T09:00:00Z' })
  .transform((v) => new Date(v));
const optionalInstant = instant.nullable().optional();
const code = (max: number, what: string) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .regex(/^[A-Za-z0-9_-]+$/, `must be a code such as ${what}`);

export const TimeZone = z
  .string()
  .trim()
  .refine((v) => IANAZone.isValidZone(v), 'must be an IANA time zone such as Europe/Berlin or America/New_York');

/** A counterparty by name or id, or "all" (every customer); names resolve against the contracts' counterparties. */
const Counterparties = z.union([z.literal('all'), z.array(z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters')).max(500, 'at most 500 counterparties')], {
  error: 'must be a list of counterparty names or ids, or "all"',
});

const fields = {
  title: z.string({ error: 'is required' }).trim().min(1, 'is required').max(300, 'must be at most 300 characters'),
  description: z.string().trim().max(20_000, 'must be at most 20000 characters').nullable().optional(),
  origin: z.enum(INCIDENT_ORIGINS, { error: 'must be ours (our own systems) or vendor (reported by a counterparty)' }),
  status: z.enum(INCIDENT_STATUSES as [IncidentStatus, ...IncidentStatus[]], { error: `must be one of ${INCIDENT_STATUSES.join(', ')}` }),
  severity: z.enum(INCIDENT_SEVERITIES, { error: 'must be low, medium, high or critical' }).nullable().optional(),
  occurredAt: optionalInstant,
  detectedAt: optionalInstant,
  awareAt: optionalInstant,
  confirmedAt: optionalInstant,
  determinedAt: optionalInstant,
  extortionPaymentAt: optionalInstant,
  dataCategories: z.array(z.enum(DATA_CATEGORIES as [DataCategory, ...DataCategory[]], { error: `must be one of ${DATA_CATEGORIES.join(', ')}` })).max(20),
  jurisdictions: z
    .array(
      z
        .string()
        .trim()
        .toUpperCase()
        .regex(JURISDICTION_CODE, "must be a code such as EU, UK, US, US-NY or DE"),
    )
    .max(300),
  sectors: z.array(code(64, 'financial_services')).max(50),
  counterparties: Counterparties,
  affectedCount: z.number().int('must be a whole number').min(0, 'must be at least 0').max(1e12).nullable().optional(),
  timeZone: TimeZone,
  ourDataRole: z.enum(OUR_DATA_ROLES, { error: 'must be controller or processor' }).nullable().optional(),
};

/** POST /api/v1/incidents: the shape, with every clock time and fact optional but the title and origin. */
export const DeclareIncidentBody = z.strictObject({
  ...fields,
  status: fields.status.default('suspected'),
  dataCategories: fields.dataCategories.default([]),
  jurisdictions: fields.jurisdictions.default([]),
  sectors: fields.sectors.default([]),
  counterparties: Counterparties.default([]),
  timeZone: TimeZone.default('UTC'),
});
export type DeclareIncidentInput = z.output<typeof DeclareIncidentBody>;

/** PATCH /api/v1/incidents/:id: any of the same fields; null clears a clock time. */
export const UpdateIncidentBody = z.strictObject(fields).partial();
export type UpdateIncidentInput = z.output<typeof UpdateIncidentBody>;

export const MarkDeadlineBody = z.discriminatedUnion(
  'status',
  [
    z.strictObject({
      status: z.literal('done'),
      doneAt: instant.optional(),
      note: z.string().trim().max(5000, 'must be at most 5000 characters').optional(),
      evidenceFileName: z.string().trim().min(1).max(255, 'must be at most 255 characters').optional(),
    }),
    z.strictObject({ status: z.literal('not_applicable'), reason: z.string({ error: 'is required: say why' }).trim().min(1, 'is required: say why').max(5000) }),
    z.strictObject({ status: z.literal('open') }),
  ],
  { error: 'status must be done, not_applicable or open (missed is worked out from the due time)' },
);
export type MarkDeadlineInput = z.output<typeof MarkDeadlineBody>;

// ---- reading ----------------------------------------------------------------

/** `missed` is never stored: an open deadline whose due time has passed is missed now. */
export function withMissed(d: TrackedDeadline, now: Date): TrackedDeadline {
  return d.status === 'open' && d.dueAt !== null && d.dueAt.getTime() < now.getTime() ? { ...d, status: 'missed' } : d;
}

export async function getIncident(deps: IncidentServiceDeps, id: string): Promise<StoredIncident> {
  const incident = await deps.store.getIncident(id);
  if (!incident) throw new AppError('INCIDENT_NOT_FOUND', 404, `No incident ${id}.`);
  return incident;
}

/** The incident and its current deadlines, soonest first, with `missed` worked out at `now`. */
export async function incidentDeadlines(deps: IncidentServiceDeps, id: string): Promise<{ incident: StoredIncident; deadlines: TrackedDeadline[] }> {
  const incident = await getIncident(deps, id);
  const now = deps.now();
  const deadlines = (await deps.store.listDeadlines(id)).map((d) => withMissed(d, now));
  return { incident, deadlines };
}

// ---- declaring and updating ------------------------------------------------

/** Every name or id resolved; all the unknown ones named in one refusal. */
async function resolveCounterparties(store: Store, refs: string[] | 'all'): Promise<string[] | 'all'> {
  if (refs === 'all') return 'all';
  const found: (CounterpartyRecord | null)[] = await Promise.all(refs.map((r) => store.findCounterparty(r)));
  const unknown = refs.filter((_r, i) => found[i] === null);
  if (unknown.length) {
    throw new AppError(
      'UNKNOWN_COUNTERPARTY',
      400,
      `No counterparty ${unknown.map((u) => JSON.stringify(u)).join(', ')}: name a counterparty we hold a contract with (by its name or id), or check the spelling.`,
    );
  }
  return [...new Set(found.map((c) => c!.id))];
}

function checkFacts(f: NewIncident): void {
  if (f.origin === 'vendor' && (f.counterpartyIds === 'all' || f.counterpartyIds.length === 0)) {
    throw new AppError('VALIDATION_FAILED', 400, 'body.counterparties: a vendor incident names the vendor(s) that reported it (and, if known, the customers affected)');
  }
}

/**
 * Which contracts an incident reaches. Ours: the customers named, or every
 * customer. A vendor's: that vendor's contracts (its duties to us) and, as
 * we do not record whose data each vendor processes, the customers named
 * beside it; when none is named, every customer we provide to, so that no
 * duty of ours is missed (a responder marks the ones that do not apply).
 */
export async function incidentObligations(store: Store, facts: Pick<IncidentFacts, 'origin' | 'counterpartyIds'>): Promise<IncidentObligation[]> {
  if (facts.counterpartyIds === 'all') return store.obligationsForIncident({ counterpartyIds: [], allCustomers: true });
  const named: IncidentScope = { counterpartyIds: facts.counterpartyIds, allCustomers: false };
  const obligations = await store.obligationsForIncident(named);
  if (facts.origin === 'ours' || obligations.some((o) => o.ourRole === 'provider')) return obligations;
  return store.obligationsForIncident({ ...named, allCustomers: true });
}

async function compute(deps: IncidentServiceDeps, facts: IncidentFacts): Promise<ComputedDeadline[]> {
  const obligations = await incidentObligations(deps.store, facts);
  return deps.compute({ incident: facts, obligations, regulations: deps.regulations(), policy: deps.policy() });
}

function toFacts(f: NewIncident): IncidentFacts {
  return { ...f, extortionPaymentAt: f.extortionPaymentAt };
}

async function schedule(deps: IncidentServiceDeps, incident: IncidentRecord, deadlines: TrackedDeadline[]): Promise<void> {
  try {
    if (incident.status === 'closed') await deps.reminders.cancel(incident.id);
    else await deps.reminders.schedule(incident, deadlines.filter((d) => d.status === 'open'));
  } catch (err) {
    // the deadlines are stored and shown either way; a reminder queue that is down must not lose the incident
    deps.logger.warn({ err, incidentId: incident.id }, 'reminders not scheduled');
  }
}

function newIncident(input: DeclareIncidentInput, counterpartyIds: string[] | 'all'): NewIncident {
  return {
    title: input.title,
    description: input.description ?? null,
    origin: input.origin,
    status: input.status,
    severity: input.severity ?? null,
    occurredAt: input.occurredAt ?? null,
    detectedAt: input.detectedAt ?? null,
    awareAt: input.awareAt ?? null,
    confirmedAt: input.confirmedAt ?? null,
    determinedAt: input.determinedAt ?? null,
    extortionPaymentAt: input.extortionPaymentAt ?? null,
    dataCategories: input.dataCategories,
    jurisdictions: [...new Set(input.jurisdictions)],
    sectors: [...new Set(input.sectors)],
    counterpartyIds,
    affectedCount: input.affectedCount ?? null,
    timeZone: input.timeZone,
    ourDataRole: input.ourDataRole ?? null,
  };
}

/** The deadlines a hypothetical incident would start, stored nowhere (the CLI's "what if"). */
export async function hypotheticalDeadlines(deps: IncidentServiceDeps, input: DeclareIncidentInput): Promise<{ facts: IncidentFacts; counterpartyNames: string[]; deadlines: ComputedDeadline[] }> {
  const facts = newIncident(input, await resolveCounterparties(deps.store, input.counterparties));
  checkFacts(facts);
  const names = facts.counterpartyIds === 'all' ? [] : await Promise.all(facts.counterpartyIds.map(async (id) => (await deps.store.getCounterparty(id))?.name ?? id));
  return { facts: toFacts(facts), counterpartyNames: names, deadlines: await compute(deps, toFacts(facts)) };
}

/**
 * Stores the incident and the deadlines it starts. The deadlines are computed
 * before anything is stored, so a fault in the computation leaves nothing half-made.
 */
export async function declareIncident(deps: IncidentServiceDeps, input: DeclareIncidentInput, actor: string): Promise<{ incident: StoredIncident; deadlines: TrackedDeadline[] }> {
  const facts = newIncident(input, await resolveCounterparties(deps.store, input.counterparties));
  checkFacts(facts);
  const computed = await compute(deps, toFacts(facts));
  const incident = await deps.store.createIncident(facts, actor);
  const result = await deps.store.replaceIncidentDeadlines(incident.id, computed, actor);
  const deadlines = result?.deadlines ?? (await deps.store.listDeadlines(incident.id));
  await schedule(deps, incident, deadlines);
  deps.logger.info({ incidentId: incident.id, deadlines: deadlines.length }, 'incident declared');
  const now = deps.now();
  return { incident, deadlines: deadlines.map((d) => withMissed(d, now)) };
}

/** Fields that only describe the incident; every other field may move a deadline. */
const DESCRIPTIVE = new Set(['title', 'description']);

/**
 * Applies a change; when a fact a deadline depends on moved (a clock time,
 * the scope, the data, the jurisdictions, the status...), re-computes the
 * deadlines: those that remain keep what was recorded about them.
 */
export async function updateIncident(
  deps: IncidentServiceDeps,
  id: string,
  input: UpdateIncidentInput,
  actor: string,
): Promise<{ incident: StoredIncident; changes: Record<string, { from: unknown; to: unknown }>; recomputed: boolean; deadlines: TrackedDeadline[] }> {
  const current = await getIncident(deps, id);
  const { counterparties, ...rest } = input;
  const patch: IncidentPatch = {};
  for (const [k, v] of Object.entries(rest)) {
    if (v === undefined) continue;
    (patch as Record<string, unknown>)[k] = Array.isArray(v) ? [...new Set(v)] : v;
  }
  if (counterparties !== undefined) patch.counterpartyIds = await resolveCounterparties(deps.store, counterparties);
  checkFacts({ ...incidentFacts(current), ...patch });

  const updated = await deps.store.updateIncident(id, patch, actor);
  if (!updated) throw new AppError('INCIDENT_NOT_FOUND', 404, `No incident ${id}.`);
  const { incident, changes } = updated;
  const recomputed = Object.keys(changes).some((k) => !DESCRIPTIVE.has(k));
  let deadlines: TrackedDeadline[];
  if (recomputed) {
    const computed = await compute(deps, incident);
    // null: another update landed meanwhile, and its own re-computation writes the deadlines
    const result = await deps.store.replaceIncidentDeadlines(id, computed, actor, incident.revision);
    deadlines = result?.deadlines ?? (await deps.store.listDeadlines(id));
    await schedule(deps, incident, deadlines);
  } else {
    deadlines = await deps.store.listDeadlines(id);
  }
  const now = deps.now();
  return { incident, changes, recomputed, deadlines: deadlines.map((d) => withMissed(d, now)) };
}

/** Done (with a note, an evidence file's name, and when: now unless given), not applicable (with the reason), or open again. */
export async function markDeadline(deps: IncidentServiceDeps, deadlineId: string, input: MarkDeadlineInput, actor: string): Promise<TrackedDeadline> {
  const now = deps.now();
  const change =
    input.status === 'done'
      ? { status: 'done' as const, doneAt: input.doneAt ?? now, note: input.note ?? null, evidenceFileName: input.evidenceFileName ?? null }
      : input.status === 'not_applicable'
        ? { status: 'not_applicable' as const, reason: input.reason }
        : { status: 'open' as const };
  if (change.status === 'done' && change.doneAt.getTime() > now.getTime() + 60_000) {
    throw new AppError('VALIDATION_FAILED', 400, 'body.doneAt: must not be in the future');
  }
  const updated = await deps.store.updateDeadline(deadlineId, change, actor);
  if (!updated) throw new AppError('DEADLINE_NOT_FOUND', 404, `No deadline ${deadlineId}.`);
  const incident = await deps.store.getIncident(updated.incidentId);
  if (incident) await schedule(deps, incident, await deps.store.listDeadlines(incident.id));
  return withMissed(updated, now);
}

// ---- showing ----------------------------------------------------------------

/** A time as the incident's people read it: ISO 8601 with the zone's offset. */
export function localTime(at: Date | null, timeZone: string): string | null {
  if (!at) return null;
  return DateTime.fromJSDate(at, { zone: timeZone }).toISO({ suppressMilliseconds: true });
}

/** A deadline as served: UTC times, plus the due time and target in the incident's zone. */
export function deadlineView(d: TrackedDeadline | ComputedDeadline, timeZone: string): Record<string, unknown> {
  return {
    ...d,
    dueLocal: localTime(d.dueAt, timeZone),
    policyTargetLocal: localTime(d.policyTargetAt, timeZone),
    clock: { ...d.clock, atLocal: localTime(d.clock.at, timeZone) },
    timeZone,
  };
}

const CLOCKS = ['occurredAt', 'detectedAt', 'awareAt', 'confirmedAt', 'determinedAt', 'extortionPaymentAt'] as const;

/** An incident as served: UTC times, and the same clock times in its zone. */
export function incidentView(i: StoredIncident): Record<string, unknown> {
  const { revision: _revision, ...rest } = i;
  return { ...rest, local: Object.fromEntries(CLOCKS.map((c) => [c, localTime(i[c] ?? null, i.timeZone)])) };
}
