/**
 * What an update changes in an incident, worked out the same way by every
 * Store: the audit trail records each changed field's old and new value, and
 * the service re-computes deadlines only when a fact they depend on moved.
 */
import { type IncidentChanges, type IncidentPatch, type NewIncident } from './store';

type Comparable = string | number | boolean | null | Comparable[];

/** Times as ISO strings and lists as lists, so values compare by content and read well in the audit trail. */
function plain(value: unknown): Comparable {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (value === undefined) return null;
  return value as Comparable;
}

export function incidentChanges(before: NewIncident, patch: IncidentPatch): IncidentChanges {
  const changes: IncidentChanges = {};
  for (const key of Object.keys(patch) as (keyof NewIncident)[]) {
    if (patch[key] === undefined) continue;
    const from = plain(before[key]);
    const to = plain(patch[key]);
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[key] = { from, to };
  }
  return changes;
}

/** The facts of a stored incident, in the shape an update is applied to. */
export function incidentFacts(r: Omit<NewIncident, 'extortionPaymentAt'> & { extortionPaymentAt?: Date | null }): NewIncident {
  return {
    title: r.title,
    description: r.description,
    origin: r.origin,
    status: r.status,
    severity: r.severity,
    occurredAt: r.occurredAt,
    detectedAt: r.detectedAt,
    awareAt: r.awareAt,
    confirmedAt: r.confirmedAt,
    determinedAt: r.determinedAt,
    extortionPaymentAt: r.extortionPaymentAt ?? null,
    dataCategories: r.dataCategories,
    jurisdictions: r.jurisdictions,
    sectors: r.sectors,
    counterpartyIds: r.counterpartyIds,
    affectedCount: r.affectedCount,
    timeZone: r.timeZone,
    ourDataRole: r.ourDataRole,
  };
}

/** For the audit trail: the incident's facts with times as ISO strings. */
export function incidentAuditDetails(r: Parameters<typeof incidentFacts>[0]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(incidentFacts(r)).map(([k, v]) => [k, plain(v)]));
}

/** Soonest first; deadlines without a due time after those with one, by policy target; then by key for a stable order. */
export function compareDeadlines(
  a: { dueAt: Date | null; policyTargetAt: Date | null; key: string },
  b: { dueAt: Date | null; policyTargetAt: Date | null; key: string },
): number {
  const time = (d: Date | null) => (d === null ? Number.POSITIVE_INFINITY : d.getTime());
  return time(a.dueAt) - time(b.dueAt) || time(a.policyTargetAt) - time(b.policyTargetAt) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}
