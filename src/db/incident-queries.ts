/**
 * The incident half of the TypeORM store: incidents, the counterparties they
 * affect, their tracked deadlines, and the obligations an incident reaches.
 * Plain SQL with numbered parameters; every function runs on the manager it is
 * given, so the store decides what shares a transaction.
 */
import { type EntityManager } from 'typeorm';
import { AppError } from '../errors';
import {
  type ClockName,
  type ComputedDeadline,
  type DeadlineSource,
  type IncidentObligation,
  type IncidentStatus,
  type TrackedDeadline,
} from '../obligations/incident-types';
import { obligationFromRow } from './obligation-row';
import { compareDeadlines, incidentAuditDetails, incidentChanges, incidentFacts } from './incident-changes';
import {
  type DeadlineChange,
  type DeadlineReplaceResult,
  type IncidentChanges,
  type IncidentPatch,
  type IncidentScope,
  INCIDENT_TRIGGERS,
  type NewIncident,
  type Page,
  type Paged,
  type StoredIncident,
} from './store';

type Row = Record<string, unknown>;
export type AuditWriter = (
  m: EntityManager,
  entry: { actor: string; action: string; entity: string; entityId?: string | null; details?: Record<string, unknown> },
) => Promise<void>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (id: string) => UUID.test(id);
// Rows per INSERT of deadlines: 20 parameters each, far under PostgreSQL's 65,535.
const DEADLINE_CHUNK = 500;

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);
const date = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string | Date));

export function incidentNotFound(id: string): AppError {
  return new AppError('INCIDENT_NOT_FOUND', 404, `No incident ${id}.`);
}

async function counterpartiesOf(m: EntityManager, ids: string[]): Promise<Map<string, { id: string; name: string }[]>> {
  const byIncident = new Map<string, { id: string; name: string }[]>();
  if (!ids.length) return byIncident;
  const rows = (await m.query(
    `SELECT ic.incident_id, ic.counterparty_id, p.name FROM incident_counterparty ic
     JOIN counterparty p ON p.id = ic.counterparty_id
     WHERE ic.incident_id = ANY($1::uuid[]) ORDER BY ic.incident_id, ic.position`,
    [ids],
  )) as Row[];
  for (const r of rows) {
    const list = byIncident.get(r.incident_id as string) ?? [];
    list.push({ id: r.counterparty_id as string, name: r.name as string });
    byIncident.set(r.incident_id as string, list);
  }
  return byIncident;
}

function incidentFromRow(r: Row, counterparties: { id: string; name: string }[]): StoredIncident {
  const all = r.all_counterparties === true;
  return {
    id: r.id as string,
    title: r.title as string,
    description: (r.description as string | null) ?? null,
    origin: r.origin as StoredIncident['origin'],
    status: r.status as IncidentStatus,
    severity: (r.severity as StoredIncident['severity']) ?? null,
    occurredAt: date(r.occurred_at),
    detectedAt: date(r.detected_at),
    awareAt: date(r.aware_at),
    confirmedAt: date(r.confirmed_at),
    determinedAt: date(r.determined_at),
    extortionPaymentAt: date(r.extortion_payment_at),
    dataCategories: (r.data_categories as StoredIncident['dataCategories']) ?? [],
    jurisdictions: (r.jurisdictions as string[]) ?? [],
    sectors: (r.sectors as string[]) ?? [],
    counterpartyIds: all ? 'all' : counterparties.map((c) => c.id),
    counterpartyNames: all ? [] : counterparties.map((c) => c.name),
    affectedCount: r.affected_count === null || r.affected_count === undefined ? null : Number(r.affected_count),
    timeZone: r.time_zone as string,
    ourDataRole: (r.our_data_role as StoredIncident['ourDataRole']) ?? null,
    revision: Number(r.revision),
    createdBy: r.created_by as string,
    createdAt: new Date(r.created_at as Date),
    updatedAt: new Date(r.updated_at as Date),
  };
}

export async function loadIncident(m: EntityManager, id: string, lock = false): Promise<StoredIncident | null> {
  if (!isUuid(id)) return null;
  const rows = (await m.query(`SELECT * FROM incident WHERE id = $1${lock ? ' FOR UPDATE' : ''}`, [id])) as Row[];
  if (!rows.length) return null;
  const cps = await counterpartiesOf(m, [id]);
  return incidentFromRow(rows[0], cps.get(id) ?? []);
}

async function writeCounterparties(m: EntityManager, incidentId: string, ids: string[] | 'all'): Promise<void> {
  await m.query(`DELETE FROM incident_counterparty WHERE incident_id = $1`, [incidentId]);
  if (ids === 'all' || ids.length === 0) return;
  const unique = [...new Set(ids.map((i) => i.toLowerCase()))];
  const bad = unique.find((i) => !isUuid(i));
  if (bad) throw new AppError('UNKNOWN_COUNTERPARTY', 400, `No counterparty ${bad}.`);
  const found = (await m.query(`SELECT id FROM counterparty WHERE id = ANY($1::uuid[])`, [unique])) as Row[];
  const known = new Set(found.map((r) => r.id as string));
  const missing = unique.find((i) => !known.has(i));
  if (missing) throw new AppError('UNKNOWN_COUNTERPARTY', 400, `No counterparty ${missing}.`);
  await m.query(
    `INSERT INTO incident_counterparty (incident_id, counterparty_id, position)
     SELECT $1, id, ord FROM unnest($2::uuid[]) WITH ORDINALITY AS t(id, ord)`,
    [incidentId, unique],
  );
}

/** The columns of an incident's facts, in one order for INSERT and UPDATE. */
function factColumns(f: NewIncident): [string, unknown, string][] {
  return [
    ['title', f.title, 'text'],
    ['description', f.description, 'text'],
    ['origin', f.origin, 'text'],
    ['status', f.status, 'text'],
    ['severity', f.severity, 'text'],
    ['occurred_at', iso(f.occurredAt), 'timestamptz'],
    ['detected_at', iso(f.detectedAt), 'timestamptz'],
    ['aware_at', iso(f.awareAt), 'timestamptz'],
    ['confirmed_at', iso(f.confirmedAt), 'timestamptz'],
    ['determined_at', iso(f.determinedAt), 'timestamptz'],
    ['extortion_payment_at', iso(f.extortionPaymentAt), 'timestamptz'],
    ['data_categories', JSON.stringify(f.dataCategories), 'jsonb'],
    ['jurisdictions', JSON.stringify(f.jurisdictions), 'jsonb'],
    ['sectors', JSON.stringify(f.sectors), 'jsonb'],
    ['all_counterparties', f.counterpartyIds === 'all', 'boolean'],
    ['affected_count', f.affectedCount, 'integer'],
    ['time_zone', f.timeZone, 'text'],
    ['our_data_role', f.ourDataRole, 'text'],
  ];
}

export async function createIncident(m: EntityManager, input: NewIncident, actor: string, audit: AuditWriter): Promise<StoredIncident> {
  const cols = factColumns(input);
  const params = [...cols.map((c) => c[1]), actor];
  const inserted = (await m.query(
    `INSERT INTO incident (${cols.map((c) => c[0]).join(', ')}, created_by)
     VALUES (${cols.map((c, i) => `$${i + 1}::${c[2]}`).join(', ')}, $${cols.length + 1}) RETURNING id`,
    params,
  )) as Row[];
  const id = inserted[0].id as string;
  await writeCounterparties(m, id, input.counterpartyIds);
  await audit(m, { actor, action: 'incident.create', entity: 'incident', entityId: id, details: incidentAuditDetails(input) });
  const incident = await loadIncident(m, id);
  if (!incident) throw new Error('incident vanished while being created');
  return incident;
}

export async function listIncidents(m: EntityManager, filter: { status?: IncidentStatus }, page: Page): Promise<Paged<StoredIncident>> {
  const params: unknown[] = [];
  const where = filter.status ? `WHERE status = $${params.push(filter.status)}` : '';
  const count = (await m.query(`SELECT count(*) AS n FROM incident ${where}`, params)) as Row[];
  const rows = (await m.query(
    `SELECT * FROM incident ${where} ORDER BY created_at DESC, id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, page.limit, page.offset],
  )) as Row[];
  const cps = await counterpartiesOf(m, rows.map((r) => r.id as string));
  return { items: rows.map((r) => incidentFromRow(r, cps.get(r.id as string) ?? [])), total: Number(count[0].n), limit: page.limit, offset: page.offset };
}

export async function updateIncident(
  m: EntityManager,
  id: string,
  patch: IncidentPatch,
  actor: string,
  audit: AuditWriter,
): Promise<{ incident: StoredIncident; changes: IncidentChanges } | null> {
  const before = await loadIncident(m, id, true);
  if (!before) return null;
  const changes = incidentChanges(incidentFacts(before), patch);
  if (Object.keys(changes).length === 0) return { incident: before, changes };
  const after: NewIncident = { ...incidentFacts(before), ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) };
  const cols = factColumns(after);
  await m.query(
    `UPDATE incident SET ${cols.map((c, i) => `${c[0]} = $${i + 2}::${c[2]}`).join(', ')}, revision = revision + 1, updated_at = now() WHERE id = $1`,
    [id, ...cols.map((c) => c[1])],
  );
  if (changes.counterpartyIds) await writeCounterparties(m, id, after.counterpartyIds);
  await audit(m, { actor, action: 'incident.update', entity: 'incident', entityId: id, details: { changes } });
  const incident = await loadIncident(m, id);
  if (!incident) throw new Error('incident vanished while being updated');
  return { incident, changes };
}

function deadlineFromRow(r: Row): TrackedDeadline {
  return {
    id: r.id as string,
    incidentId: r.incident_id as string,
    key: r.key as string,
    title: r.title as string,
    dueAt: date(r.due_at),
    qualifier: (r.qualifier as string | null) ?? null,
    policyTargetAt: date(r.policy_target_at),
    clock: { name: r.clock_name as ClockName, at: new Date(r.clock_at as Date) },
    notifier: r.notifier as string,
    recipient: r.recipient as string,
    method: (r.method as string[]) ?? [],
    content: (r.content as string[]) ?? [],
    recurrence: (r.recurrence as TrackedDeadline['recurrence']) ?? null,
    owedBy: r.owed_by as TrackedDeadline['owedBy'],
    source: r.source as DeadlineSource,
    status: r.status as TrackedDeadline['status'],
    doneAt: date(r.done_at),
    doneBy: (r.done_by as string | null) ?? null,
    note: (r.note as string | null) ?? null,
    evidenceFileName: (r.evidence_file_name as string | null) ?? null,
    notApplicableReason: (r.not_applicable_reason as string | null) ?? null,
  };
}

export async function listDeadlines(m: EntityManager, incidentId: string): Promise<TrackedDeadline[]> {
  if (!isUuid(incidentId)) return [];
  const rows = (await m.query(
    `SELECT * FROM incident_deadline WHERE incident_id = $1 AND withdrawn_at IS NULL
     ORDER BY due_at ASC NULLS LAST, policy_target_at ASC NULLS LAST, key`,
    [incidentId],
  )) as Row[];
  // the database orders text by its collation; the key order is the same as every other store's
  return rows.map(deadlineFromRow).sort(compareDeadlines);
}

export async function getDeadline(m: EntityManager, id: string, lock = false): Promise<TrackedDeadline | null> {
  if (!isUuid(id)) return null;
  const rows = (await m.query(`SELECT * FROM incident_deadline WHERE id = $1 AND withdrawn_at IS NULL${lock ? ' FOR UPDATE' : ''}`, [id])) as Row[];
  return rows.length ? deadlineFromRow(rows[0]) : null;
}

const COMPUTED_COLUMNS: [string, string, (d: ComputedDeadline) => unknown][] = [
  ['key', 'text', (d) => d.key],
  ['title', 'text', (d) => d.title],
  ['due_at', 'timestamptz', (d) => iso(d.dueAt)],
  ['qualifier', 'text', (d) => d.qualifier],
  ['policy_target_at', 'timestamptz', (d) => iso(d.policyTargetAt)],
  ['clock_name', 'text', (d) => d.clock.name],
  ['clock_at', 'timestamptz', (d) => iso(d.clock.at)],
  ['notifier', 'text', (d) => d.notifier],
  ['recipient', 'text', (d) => d.recipient],
  ['method', 'jsonb', (d) => JSON.stringify(d.method ?? [])],
  ['content', 'jsonb', (d) => JSON.stringify(d.content ?? [])],
  ['recurrence', 'jsonb', (d) => (d.recurrence ? JSON.stringify(d.recurrence) : null)],
  ['owed_by', 'text', (d) => d.owedBy],
  ['source', 'jsonb', (d) => JSON.stringify(d.source)],
];

export async function replaceIncidentDeadlines(
  m: EntityManager,
  incidentId: string,
  computed: ComputedDeadline[],
  actor: string,
  audit: AuditWriter,
  basedOnRevision?: number,
): Promise<DeadlineReplaceResult | null> {
  if (!isUuid(incidentId)) throw incidentNotFound(incidentId);
  // The lock orders concurrent re-computations of one incident; the revision tells a stale one.
  const rows = (await m.query(`SELECT revision FROM incident WHERE id = $1 FOR UPDATE`, [incidentId])) as Row[];
  if (!rows.length) throw incidentNotFound(incidentId);
  if (basedOnRevision !== undefined && Number(rows[0].revision) !== basedOnRevision) return null;

  const before = new Map(
    ((await m.query(`SELECT key, due_at, withdrawn_at FROM incident_deadline WHERE incident_id = $1`, [incidentId])) as Row[]).map((r) => [
      r.key as string,
      { dueAt: iso(date(r.due_at)), withdrawn: r.withdrawn_at !== null },
    ]),
  );
  // one row per key: should a computation repeat a key, its first deadline is the one kept
  const seen = new Set<string>();
  const unique = computed.filter((d) => (seen.has(d.key) ? false : (seen.add(d.key), true)));

  const set = COMPUTED_COLUMNS.filter(([c]) => c !== 'key').map(([c]) => `${c} = EXCLUDED.${c}`);
  // The rows are the computed deadlines plus their tracking: the upsert hands back the tracking, so
  // the deadlines need not be read back (thousands of rows, each with its clause's quote).
  const tracking = new Map<string, Row>();
  for (let i = 0; i < unique.length; i += DEADLINE_CHUNK) {
    const chunk = unique.slice(i, i + DEADLINE_CHUNK);
    const params: unknown[] = [incidentId];
    const values = chunk.map((d) => `($1, ${COMPUTED_COLUMNS.map(([, type, get]) => `$${params.push(get(d))}::${type}`).join(', ')})`);
    const upserted = (await m.query(
      `INSERT INTO incident_deadline (incident_id, ${COMPUTED_COLUMNS.map(([c]) => c).join(', ')}) VALUES ${values.join(', ')}
       ON CONFLICT ON CONSTRAINT uq_incident_deadline_key DO UPDATE SET ${set.join(', ')}, withdrawn_at = NULL, updated_at = now()
       RETURNING ${TRACKING_COLUMNS}`,
      params,
    )) as Row[];
    for (const r of upserted) tracking.set(r.key as string, r);
  }
  const keys = unique.map((d) => d.key);
  const withdrawnRows = (await m.query(
    `UPDATE incident_deadline SET withdrawn_at = now(), updated_at = now()
     WHERE incident_id = $1 AND withdrawn_at IS NULL AND NOT (key = ANY($2::text[])) RETURNING key`,
    [incidentId, keys],
  )) as [Row[], number] | Row[];
  const withdrawn = returned(withdrawnRows).map((r) => r.key as string).sort();

  const added: string[] = [];
  const kept: string[] = [];
  const restored: string[] = [];
  const moved: { key: string; from: string | null; to: string | null }[] = [];
  for (const d of unique) {
    const was = before.get(d.key);
    if (!was) added.push(d.key);
    else if (was.withdrawn) restored.push(d.key);
    else {
      kept.push(d.key);
      if (was.dueAt !== iso(d.dueAt)) moved.push({ key: d.key, from: was.dueAt, to: iso(d.dueAt) });
    }
  }
  if (added.length || withdrawn.length || restored.length || moved.length) {
    await audit(m, {
      actor,
      action: 'incident.deadlines',
      entity: 'incident',
      entityId: incidentId,
      details: { count: unique.length, added, withdrawn, restored, moved },
    });
  }
  const deadlines = unique.map((d) => trackedDeadline(incidentId, d, tracking.get(d.key)!)).sort(compareDeadlines);
  return { deadlines, added, kept, withdrawn, restored };
}

const TRACKING_COLUMNS = 'id, key, status, done_at, done_by, note, evidence_file_name, not_applicable_reason';

/** A computed deadline with its stored tracking: the same deadline listDeadlines reads back. */
function trackedDeadline(incidentId: string, d: ComputedDeadline, r: Row): TrackedDeadline {
  return {
    id: r.id as string,
    incidentId,
    key: d.key,
    title: d.title,
    dueAt: d.dueAt ?? null,
    qualifier: d.qualifier ?? null,
    policyTargetAt: d.policyTargetAt ?? null,
    clock: { name: d.clock.name, at: d.clock.at },
    notifier: d.notifier,
    recipient: d.recipient,
    method: d.method ?? [],
    content: d.content ?? [],
    recurrence: d.recurrence ?? null,
    owedBy: d.owedBy,
    source: d.source,
    status: r.status as TrackedDeadline['status'],
    doneAt: date(r.done_at),
    doneBy: (r.done_by as string | null) ?? null,
    note: (r.note as string | null) ?? null,
    evidenceFileName: (r.evidence_file_name as string | null) ?? null,
    notApplicableReason: (r.not_applicable_reason as string | null) ?? null,
  };
}

export async function updateDeadline(m: EntityManager, id: string, change: DeadlineChange, actor: string, audit: AuditWriter): Promise<TrackedDeadline | null> {
  const before = await getDeadline(m, id, true);
  if (!before) return null;
  const tracked =
    change.status === 'done'
      ? { status: 'done', done_at: change.doneAt.toISOString(), done_by: actor, note: change.note, evidence_file_name: change.evidenceFileName, not_applicable_reason: null }
      : change.status === 'not_applicable'
        ? { status: 'not_applicable', done_at: null, done_by: null, note: before.note, evidence_file_name: null, not_applicable_reason: change.reason }
        : { status: 'open', done_at: null, done_by: null, note: before.note, evidence_file_name: null, not_applicable_reason: null };
  await m.query(
    `UPDATE incident_deadline SET status = $2, done_at = $3::timestamptz, done_by = $4, note = $5, evidence_file_name = $6,
       not_applicable_reason = $7, updated_at = now() WHERE id = $1`,
    [id, tracked.status, tracked.done_at, tracked.done_by, tracked.note, tracked.evidence_file_name, tracked.not_applicable_reason],
  );
  const after = await getDeadline(m, id);
  if (!after) throw new Error('deadline vanished while being updated');
  await audit(m, {
    actor,
    action: change.status === 'open' ? 'deadline.reopen' : `deadline.${change.status}`,
    entity: 'deadline',
    entityId: id,
    details: { incidentId: before.incidentId, key: before.key, from: trackedState(before), to: trackedState(after) },
  });
  return after;
}

function trackedState(d: TrackedDeadline): Record<string, unknown> {
  return { status: d.status, doneAt: iso(d.doneAt), doneBy: d.doneBy, note: d.note, evidenceFileName: d.evidenceFileName, notApplicableReason: d.notApplicableReason };
}

export async function obligationsForIncident(m: EntityManager, scope: IncidentScope): Promise<IncidentObligation[]> {
  const ids = [...new Set(scope.counterpartyIds.filter(isUuid).map((i) => i.toLowerCase()))];
  if (!ids.length && !scope.allCustomers) return [];
  const rows = (await m.query(
    `SELECT o.id, o.contract_id, o.clause_id, o.counterparty_id, p.name AS counterparty_name, k.our_role, o.clause_index, o.type,
            o.obligor, o.beneficiary, o.action, o.trigger, o.deadline, o.summary, o.details, cl.page, cl.text AS quote, cl.start, cl."end"
     FROM obligation o
     JOIN contract k ON k.id = o.contract_id
     JOIN clause cl ON cl.id = o.clause_id
     JOIN counterparty p ON p.id = o.counterparty_id
     WHERE o.trigger = ANY($1::text[]) AND (o.counterparty_id = ANY($2::uuid[]) OR ($3::boolean AND k.our_role = 'provider'))
     ORDER BY p.normalized_name, o.contract_id, cl.start, o.id`,
    [[...INCIDENT_TRIGGERS], ids, scope.allCustomers],
  )) as Row[];
  return rows.map((r) => ({ ...obligationFromRow(r), ourRole: r.our_role as IncidentObligation['ourRole'] }));
}

/** UPDATE ... RETURNING comes back from the manager as [rows, affected]. */
function returned(result: [Row[], number] | Row[]): Row[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0];
  return result as Row[];
}
