import { randomUUID } from 'node:crypto';
import { type Clause } from '../../src/extract';
import type {
  AuditRecord,
  ClauseRecord,
  ContractRecord,
  ContractStatus,
  CounterpartyRecord,
  FindingCounts,
  FindingRecord,
  NewContract,
  NewFinding,
  ObligationFilter,
  ObligationRecord,
  Page,
  Paged,
  Store,
  StoredPage,
  TokenRecord,
  TokenRole,
} from '../../src/db/store';
import { type ObligationDraft } from '../../src/obligations/types';
import { compareDeadlines, incidentAuditDetails, incidentChanges, incidentFacts } from '../../src/db/incident-changes';
import { INCIDENT_TRIGGERS, type NewIncident, type StoredIncident } from '../../src/db/store';
import { AppError } from '../../src/errors';
import { OUTCOMES } from '../../src/policies';
import { type IncidentObligation, type TrackedDeadline } from '../../src/obligations/incident-types';

/**
 * A Map-backed Store for tests of the layers above storage (routes, jobs):
 * the same contract as the database store, without a database. The database
 * store has its own tests against PGlite and PostgreSQL.
 */
export interface MemoryStore extends Store {
  /** every audit event, oldest first */
  readonly events: AuditRecord[];
  /** make ping() answer false, as a database that went away would */
  down: boolean;
}

const fold = (name: string) =>
  name
    .toLowerCase()
    .replace(/[.,'’"()]/g, ' ')
    .replace(/\b(?:inc|llc|ltd|limited|gmbh|corp|corporation|plc|ag|co|company)\b/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** A deep copy whose times stay Dates of this realm (structuredClone makes Dates another realm's instanceof does not know). */
function clone<T>(value: T): T {
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map(clone) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, clone(v)])) as T;
  return value;
}

const paged = <T>(all: T[], page: Page): Paged<T> => ({ items: all.slice(page.offset, page.offset + page.limit), total: all.length, limit: page.limit, offset: page.offset });

export function createMemoryStore(): MemoryStore {
  const counterparties = new Map<string, CounterpartyRecord>();
  const contracts = new Map<string, ContractRecord & { bytes: Buffer; text: string | null; pages: StoredPage[] | null }>();
  const clauses = new Map<string, ClauseRecord[]>();
  const obligations = new Map<string, ObligationRecord[]>();
  const findings = new Map<string, Omit<FindingRecord, 'evidence'>[]>();
  const tokens = new Map<string, TokenRecord & { hash: string }>();
  const events: AuditRecord[] = [];
  const incidents = new Map<string, Omit<StoredIncident, 'counterpartyNames'>>();
  const deadlines = new Map<string, TrackedDeadline & { withdrawn: boolean }>();

  const incidentRecord = (i: Omit<StoredIncident, 'counterpartyNames'>): StoredIncident => ({
    ...i,
    counterpartyIds: i.counterpartyIds === 'all' ? 'all' : [...i.counterpartyIds],
    counterpartyNames: i.counterpartyIds === 'all' ? [] : i.counterpartyIds.map((id) => counterparties.get(id)?.name ?? id),
  });
  const checkCounterparties = (ids: string[] | 'all') => {
    if (ids === 'all') return ids;
    const missing = ids.find((id) => !counterparties.has(id));
    if (missing) throw new AppError('UNKNOWN_COUNTERPARTY', 400, `No counterparty ${missing}.`);
    return [...new Set(ids)];
  };
  const trackedDeadline = (d: TrackedDeadline & { withdrawn: boolean }): TrackedDeadline => {
    const { withdrawn: _w, ...rest } = d;
    return clone(rest);
  };
  const currentDeadlines = (incidentId: string) =>
    [...deadlines.values()].filter((d) => d.incidentId === incidentId && !d.withdrawn).sort(compareDeadlines).map(trackedDeadline);

  const publicContract = (c: ContractRecord & { bytes: Buffer; text: string | null; pages: StoredPage[] | null }): ContractRecord => {
    const { bytes: _b, text: _t, pages: _p, ...rest } = c;
    return { ...rest };
  };
  const matchesCounterparty = (counterpartyId: string, value: string) => {
    const cp = counterparties.get(counterpartyId);
    return cp !== undefined && (cp.id === value || cp.normalizedName.includes(fold(value)));
  };

  const matchingObligations = (filter: ObligationFilter): ObligationRecord[] => {
    const words = filter.q ? filter.q.toLowerCase().split(/\W+/).filter(Boolean) : [];
    return [...obligations.values()]
      .flat()
      .filter((o) => (filter.contractId ? o.contractId === filter.contractId : true))
      .filter((o) => (filter.counterparty ? matchesCounterparty(o.counterpartyId, filter.counterparty) : true))
      .filter((o) => (filter.type ? o.type === filter.type : true))
      .filter((o) => (filter.action ? o.action === filter.action : true))
      .filter((o) => (filter.obligor ? o.obligor === filter.obligor : true))
      .filter((o) => (filter.trigger ? o.trigger === filter.trigger : true))
      .filter((o) => words.every((w) => o.quote.toLowerCase().includes(w)));
  };

  const store: MemoryStore = {
    events,
    down: false,
    async migrate() {},
    async close() {},
    async ping() {
      return !store.down;
    },

    async createContract(input: NewContract, actor: string) {
      const normalized = fold(input.counterparty);
      let cp = [...counterparties.values()].find((c) => c.normalizedName === normalized);
      if (!cp) {
        cp = { id: randomUUID(), name: input.counterparty.trim(), normalizedName: normalized, aliases: [], createdAt: new Date() };
        counterparties.set(cp.id, cp);
      }
      const existing = [...contracts.values()].find((c) => c.counterpartyId === cp.id && c.sha256 === input.sha256);
      if (existing) return { contract: publicContract(existing), duplicate: true };
      const now = new Date();
      const record = {
        id: randomUUID(),
        counterpartyId: cp.id,
        counterpartyName: cp.name,
        ourRole: input.ourRole,
        title: input.title,
        kind: input.kind,
        fileName: input.fileName,
        mediaType: input.mediaType,
        size: input.bytes.length,
        sha256: input.sha256,
        status: 'queued' as ContractStatus,
        errorCode: null,
        errorDetail: null,
        pageCount: null,
        createdAt: now,
        updatedAt: now,
        bytes: Buffer.from(input.bytes),
        text: null,
        pages: null,
      };
      contracts.set(record.id, record);
      await store.audit({ actor, action: 'contract.upload', entity: 'contract', entityId: record.id, details: { fileName: input.fileName } });
      return { contract: publicContract(record), duplicate: false };
    },
    async getContract(id) {
      const c = contracts.get(id);
      return c ? publicContract(c) : null;
    },
    async listContracts(filter, page) {
      const all = [...contracts.values()]
        .filter((c) => (filter.status ? c.status === filter.status : true))
        .filter((c) => (filter.counterparty ? matchesCounterparty(c.counterpartyId, filter.counterparty) : true))
        .map((c) => {
          const counts = Object.fromEntries(OUTCOMES.map((o) => [o, 0])) as FindingCounts;
          for (const f of findings.get(c.id) ?? []) counts[f.outcome] += 1;
          return { ...publicContract(c), clauseCount: (clauses.get(c.id) ?? []).length, findings: counts };
        });
      return paged(all, page);
    },
    async getContractFile(id) {
      const c = contracts.get(id);
      return c ? { fileName: c.fileName, mediaType: c.mediaType, bytes: c.bytes } : null;
    },
    async getContractText(id) {
      const c = contracts.get(id);
      return c && c.text !== null ? { text: c.text, pages: c.pages ?? [] } : null;
    },
    async listUnfinishedContractIds() {
      return [...contracts.values()].filter((c) => c.status === 'queued' || c.status === 'processing').map((c) => c.id);
    },
    async setStatus(id, status, error) {
      const c = contracts.get(id);
      if (!c) return;
      c.status = status;
      c.errorCode = error?.code ?? null;
      c.errorDetail = error?.detail ?? null;
      c.updatedAt = new Date();
    },
    async markDone(id, clauseIds) {
      const c = contracts.get(id);
      const current = (clauses.get(id) ?? []).map((cl) => cl.id);
      if (!c || current.length !== new Set(clauseIds).size || current.some((cl) => !clauseIds.includes(cl))) return false;
      Object.assign(c, { status: 'done', errorCode: null, errorDetail: null, updatedAt: new Date() });
      return true;
    },
    async saveExtraction(id, text, pages, found: Clause[]) {
      const c = contracts.get(id);
      if (!c) throw new Error(`no contract ${id}`);
      if (c.status === 'done') c.status = 'processing';
      c.text = text;
      c.pages = pages;
      c.pageCount = pages.length;
      const records = found.map((cl) => ({ ...cl, id: randomUUID(), contractId: id }));
      clauses.set(id, records);
      obligations.delete(id);
      findings.delete(id);
      return records;
    },
    async listClauses(contractId) {
      return clauses.get(contractId) ?? [];
    },
    async saveObligations(contractId, drafts: (ObligationDraft & { clauseId: string })[]) {
      const c = contracts.get(contractId);
      if (!c) throw new Error(`no contract ${contractId}`);
      const byId = new Map((clauses.get(contractId) ?? []).map((cl) => [cl.id, cl]));
      obligations.set(
        contractId,
        drafts.map((d) => {
          const cl = byId.get(d.clauseId);
          if (!cl) throw new Error(`no clause ${d.clauseId}`);
          return { ...d, id: randomUUID(), contractId, counterpartyId: c.counterpartyId, counterpartyName: c.counterpartyName, page: cl.page, quote: cl.text, start: cl.start, end: cl.end };
        }),
      );
    },
    async saveFindings(contractId, found: NewFinding[]) {
      if (!contracts.has(contractId)) throw new Error(`no contract ${contractId}`);
      const own = new Set((clauses.get(contractId) ?? []).map((cl) => cl.id));
      const stray = found.find((f) => f.clauseId !== null && !own.has(f.clauseId));
      if (stray) throw new AppError('CLAUSE_NOT_IN_CONTRACT', 409, `Clause ${stray.clauseId} is not a clause of contract ${contractId}`);
      const at = new Date();
      findings.set(
        contractId,
        found.map((f) => ({ ...clone(f), id: randomUUID(), contractId, createdAt: at })),
      );
    },
    async listFindings(contractId) {
      const byId = new Map((clauses.get(contractId) ?? []).map((cl) => [cl.id, cl]));
      return (findings.get(contractId) ?? []).map((f) => {
        const cl = f.clauseId ? byId.get(f.clauseId) : undefined;
        return { ...clone(f), clauseId: cl ? cl.id : null, evidence: cl ? { page: cl.page, quote: cl.text, start: cl.start, end: cl.end } : null };
      });
    },
    async deleteContract(id, actor) {
      if (!contracts.delete(id)) return false;
      clauses.delete(id);
      obligations.delete(id);
      findings.delete(id);
      await store.audit({ actor, action: 'contract.delete', entity: 'contract', entityId: id });
      return true;
    },

    async listCounterparties(page, q) {
      const all = [...counterparties.values()].filter((c) => (q ? c.normalizedName.includes(fold(q)) : true)).sort((a, b) => a.name.localeCompare(b.name));
      return paged(all, page);
    },
    async getCounterparty(id) {
      return counterparties.get(id) ?? null;
    },

    async searchObligations(filter: ObligationFilter, page) {
      return paged(matchingObligations(filter), page);
    },
    async exportObligations(filter: ObligationFilter, max) {
      const all = matchingObligations(filter);
      return { items: all.slice(0, max), total: all.length };
    },

    async findCounterparty(idOrName) {
      const value = idOrName.trim();
      return counterparties.get(value) ?? [...counterparties.values()].find((c) => c.normalizedName === fold(value)) ?? null;
    },

    async createIncident(input: NewIncident, actor) {
      const now = new Date();
      const record = { ...incidentFacts(clone(input)), counterpartyIds: checkCounterparties(input.counterpartyIds), id: randomUUID(), revision: 1, createdBy: actor, createdAt: now, updatedAt: now };
      incidents.set(record.id, record);
      await store.audit({ actor, action: 'incident.create', entity: 'incident', entityId: record.id, details: incidentAuditDetails(input) });
      return incidentRecord(record);
    },
    async getIncident(id) {
      const i = incidents.get(id);
      return i ? incidentRecord(i) : null;
    },
    async listIncidents(filter, page) {
      // newest first; on a tie of times, the later one created first
      const all = [...incidents.values()]
        .reverse()
        .filter((i) => (filter.status ? i.status === filter.status : true))
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
        .map(incidentRecord);
      return paged(all, page);
    },
    async updateIncident(id, patch, actor) {
      const i = incidents.get(id);
      if (!i) return null;
      const changes = incidentChanges(incidentFacts(i), patch);
      if (Object.keys(changes).length === 0) return { incident: incidentRecord(i), changes };
      const given = Object.fromEntries(Object.entries(clone(patch)).filter(([, v]) => v !== undefined));
      if (given.counterpartyIds !== undefined) given.counterpartyIds = checkCounterparties(given.counterpartyIds as string[] | 'all');
      Object.assign(i, given, { revision: i.revision + 1, updatedAt: new Date() });
      await store.audit({ actor, action: 'incident.update', entity: 'incident', entityId: id, details: { changes } });
      return { incident: incidentRecord(i), changes };
    },
    async replaceIncidentDeadlines(incidentId, computed, actor, basedOnRevision) {
      const incident = incidents.get(incidentId);
      if (!incident) throw new AppError('INCIDENT_NOT_FOUND', 404, `No incident ${incidentId}.`);
      if (basedOnRevision !== undefined && incident.revision !== basedOnRevision) return null;
      const mine = new Map([...deadlines.values()].filter((d) => d.incidentId === incidentId).map((d) => [d.key, d]));
      const seen = new Set<string>();
      const added: string[] = [];
      const kept: string[] = [];
      const restored: string[] = [];
      const moved: { key: string; from: string | null; to: string | null }[] = [];
      for (const c of computed) {
        if (seen.has(c.key)) continue;
        seen.add(c.key);
        const existing = mine.get(c.key);
        const fresh = clone(c);
        if (!existing) {
          added.push(c.key);
          const d = { ...fresh, id: randomUUID(), incidentId, status: 'open' as const, doneAt: null, doneBy: null, note: null, evidenceFileName: null, notApplicableReason: null, withdrawn: false };
          deadlines.set(d.id, d);
          continue;
        }
        if (existing.withdrawn) restored.push(c.key);
        else {
          kept.push(c.key);
          const from = existing.dueAt?.toISOString() ?? null;
          const to = c.dueAt?.toISOString() ?? null;
          if (from !== to) moved.push({ key: c.key, from, to });
        }
        Object.assign(existing, fresh, { withdrawn: false });
      }
      const withdrawn: string[] = [];
      for (const d of mine.values()) {
        if (!seen.has(d.key) && !d.withdrawn) {
          d.withdrawn = true;
          withdrawn.push(d.key);
        }
      }
      withdrawn.sort();
      if (added.length || withdrawn.length || restored.length || moved.length) {
        await store.audit({ actor, action: 'incident.deadlines', entity: 'incident', entityId: incidentId, details: { count: seen.size, added, withdrawn, restored, moved } });
      }
      return { deadlines: currentDeadlines(incidentId), added, kept, withdrawn, restored };
    },
    async obligationsForIncident(scope) {
      const ids = new Set(scope.counterpartyIds);
      const triggers = new Set<string>(INCIDENT_TRIGGERS);
      const found: IncidentObligation[] = [];
      for (const [contractId, list] of obligations) {
        const contract = contracts.get(contractId);
        if (!contract) continue;
        if (!ids.has(contract.counterpartyId) && !(scope.allCustomers && contract.ourRole === 'provider')) continue;
        for (const o of list) {
          if (!triggers.has(o.trigger)) continue;
          found.push({
            id: o.id,
            contractId,
            clauseId: o.clauseId,
            counterpartyId: o.counterpartyId,
            counterpartyName: o.counterpartyName,
            ourRole: contract.ourRole,
            type: o.type,
            obligor: o.obligor,
            beneficiary: o.beneficiary,
            action: o.action,
            trigger: o.trigger,
            deadline: o.deadline,
            summary: o.summary,
            details: o.details,
            page: o.page,
            quote: o.quote,
          });
        }
      }
      return found;
    },
    async listDeadlines(incidentId) {
      return currentDeadlines(incidentId);
    },
    async getDeadline(id) {
      const d = deadlines.get(id);
      return d && !d.withdrawn ? trackedDeadline(d) : null;
    },
    async updateDeadline(id, change, actor) {
      const d = deadlines.get(id);
      if (!d || d.withdrawn) return null;
      const state = (x: TrackedDeadline) => ({ status: x.status, doneAt: x.doneAt?.toISOString() ?? null, doneBy: x.doneBy, note: x.note, evidenceFileName: x.evidenceFileName, notApplicableReason: x.notApplicableReason });
      const from = state(d);
      if (change.status === 'done') Object.assign(d, { status: 'done', doneAt: new Date(change.doneAt), doneBy: actor, note: change.note, evidenceFileName: change.evidenceFileName, notApplicableReason: null });
      else if (change.status === 'not_applicable') Object.assign(d, { status: 'not_applicable', doneAt: null, doneBy: null, evidenceFileName: null, notApplicableReason: change.reason });
      else Object.assign(d, { status: 'open', doneAt: null, doneBy: null, evidenceFileName: null, notApplicableReason: null });
      await store.audit({
        actor,
        action: change.status === 'open' ? 'deadline.reopen' : `deadline.${change.status}`,
        entity: 'deadline',
        entityId: id,
        details: { incidentId: d.incidentId, key: d.key, from, to: state(d) },
      });
      return trackedDeadline(d);
    },

    async createToken(input: { name: string; role: TokenRole; hash: string; expiresAt?: Date | null }, actor) {
      const record = { id: randomUUID(), name: input.name, role: input.role, createdAt: new Date(), revokedAt: null, expiresAt: input.expiresAt ?? null, hash: input.hash };
      tokens.set(record.id, record);
      await store.audit({ actor, action: 'token.create', entity: 'token', entityId: record.id, details: { name: input.name, role: input.role } });
      const { hash: _h, ...rest } = record;
      return rest;
    },
    async findTokenByHash(hash) {
      const t = [...tokens.values()].find((x) => x.hash === hash);
      if (!t) return null;
      const { hash: _h, ...rest } = t;
      return rest;
    },
    async revokeToken(id, actor) {
      const t = tokens.get(id);
      if (!t || t.revokedAt) return false;
      t.revokedAt = new Date();
      await store.audit({ actor, action: 'token.revoke', entity: 'token', entityId: id });
      return true;
    },
    async countTokens() {
      return tokens.size;
    },

    async audit(entry) {
      events.push({ id: randomUUID(), at: new Date(), actor: entry.actor, action: entry.action, entity: entry.entity, entityId: entry.entityId ?? null, details: entry.details ?? {} });
    },
    async listAudit(page) {
      return paged([...events].reverse(), page);
    },
  };
  return store;
}
