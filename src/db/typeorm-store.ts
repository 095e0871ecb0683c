import { type Logger as PinoLogger } from 'pino';
import { type DataSource, type EntityManager, type QueryDeepPartialEntity } from 'typeorm';
import { type Clause } from '../extract';
import { AppError } from '../errors';
import { type ComputedDeadline, type IncidentObligation, type IncidentStatus, type TrackedDeadline } from '../obligations/incident-types';
import { type ObligationDraft } from '../obligations/types';
import { OUTCOMES } from '../policies';
import { ApiTokenEntity, AuditEventEntity, ClauseEntity, FindingEntity, ObligationEntity } from './entities';
import * as incidents from './incident-queries';
import { obligationFromRow } from './obligation-row';
import { normalizeCounterpartyName } from './normalize-name';
import {
  type AuditRecord,
  type ClauseRecord,
  type ContractListItem,
  type ContractRecord,
  type ContractStatus,
  type CounterpartyRecord,
  type DeadlineChange,
  type DeadlineReplaceResult,
  type FindingCounts,
  type FindingRecord,
  type IncidentChanges,
  type IncidentPatch,
  type IncidentScope,
  type NewIncident,
  type StoredIncident,
  type NewContract,
  type NewFinding,
  type ObligationFilter,
  type ObligationRecord,
  type Page,
  type Paged,
  type Store,
  type StoredPage,
  type TokenRecord,
  type TokenRole,
} from './store';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_LIMIT = 1000;
// Rows per INSERT: well under PostgreSQL's 65,535 bind parameters with 14 columns.
const INSERT_CHUNK = 1000;

/** Ids arrive from URLs; anything that is not a UUID cannot name a row (and would be a SQL error). */
function isUuid(id: string): boolean {
  return UUID.test(id);
}

function clampPage(page: Page): Page {
  const limit = Math.min(Math.max(Math.trunc(page.limit) || 1, 1), MAX_LIMIT);
  const offset = Math.max(Math.trunc(page.offset) || 0, 0);
  return { limit, offset };
}

/** LIKE treats % and _ as wildcards; a name containing them must match them literally. */
function likeContains(value: string): string {
  return `%${value.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  throw new Error('unexpected bytea value');
}

/** Collects WHERE conditions with numbered parameters, so no value is ever spliced into the SQL. */
class Where {
  readonly params: unknown[] = [];
  private readonly conditions: string[] = [];

  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  add(condition: string): void {
    this.conditions.push(condition);
  }

  sql(): string {
    return this.conditions.length ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }

  size(): number {
    return this.conditions.length;
  }
}

type Row = Record<string, unknown>;

const CONTRACT_COLUMNS = `c.id, c.counterparty_id, p.name AS counterparty_name, c.our_role, c.title, c.kind, c.file_name,
  c.media_type, c.size, c.sha256, c.status, c.error_code, c.error_detail, c.page_count, c.created_at, c.updated_at`;

function contractFromRow(r: Row): ContractRecord {
  return {
    id: r.id as string,
    counterpartyId: r.counterparty_id as string,
    counterpartyName: r.counterparty_name as string,
    ourRole: r.our_role as ContractRecord['ourRole'],
    title: (r.title as string | null) ?? null,
    kind: (r.kind as string | null) ?? null,
    fileName: r.file_name as string,
    mediaType: r.media_type as string,
    size: Number(r.size),
    sha256: r.sha256 as string,
    status: r.status as ContractStatus,
    errorCode: (r.error_code as string | null) ?? null,
    errorDetail: (r.error_detail as string | null) ?? null,
    pageCount: r.page_count === null || r.page_count === undefined ? null : Number(r.page_count),
    createdAt: new Date(r.created_at as Date),
    updatedAt: new Date(r.updated_at as Date),
  };
}

function contractListItemFromRow(r: Row): ContractListItem {
  const findings = Object.fromEntries(OUTCOMES.map((o) => [o, Number(r[`findings_${o}`] ?? 0)])) as FindingCounts;
  return { ...contractFromRow(r), clauseCount: Number(r.clause_count ?? 0), findings };
}

function counterpartyFromRow(r: Row): CounterpartyRecord {
  return {
    id: r.id as string,
    name: r.name as string,
    normalizedName: r.normalized_name as string,
    aliases: (r.aliases as string[] | null) ?? [],
    createdAt: new Date(r.created_at as Date),
  };
}

function clauseFromEntity(e: ClauseEntity): ClauseRecord {
  return {
    id: e.id,
    contractId: e.contractId,
    type: e.type,
    ruleId: e.ruleId,
    start: e.start,
    end: e.end,
    page: e.page,
    text: e.text,
    fields: e.fields as Clause['fields'],
    confidence: e.confidence,
  };
}

function tokenFromEntity(e: ApiTokenEntity): TokenRecord {
  return { id: e.id, name: e.name, role: e.role, createdAt: e.createdAt, revokedAt: e.revokedAt, expiresAt: e.expiresAt };
}

/**
 * The Store over TypeORM. Every method runs either one statement or one
 * transaction through the manager it was given, never a second connection from
 * inside a transaction: in embedded mode the database has one session, lent to
 * one transaction at a time.
 */
export class TypeormStore implements Store {
  constructor(
    readonly dataSource: DataSource,
    private readonly logger?: PinoLogger,
  ) {}

  async migrate(): Promise<void> {
    const ran = await this.dataSource.runMigrations({ transaction: 'all' });
    if (ran.length) this.logger?.info({ migrations: ran.map((m) => m.name) }, 'database migrated');
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  async ping(): Promise<boolean> {
    try {
      await this.dataSource.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  // ---- contracts -------------------------------------------------------

  async createContract(input: NewContract, actor: string): Promise<{ contract: ContractRecord; duplicate: boolean }> {
    const name = input.counterparty.trim();
    const normalized = normalizeCounterpartyName(name);
    if (!normalized) throw new AppError('INVALID_COUNTERPARTY', 400, 'The counterparty needs a name with at least one letter or digit.');

    return this.dataSource.transaction(async (m) => {
      const counterparty = await this.findOrCreateCounterparty(m, name, normalized);
      let contractId = await this.findContractId(m, counterparty.id, input.sha256);
      let duplicate = contractId !== null;
      if (contractId === null) {
        // A concurrent upload of the same file may win the race: then ours becomes the duplicate.
        const inserted = (await m.query(
          `INSERT INTO contract (counterparty_id, our_role, title, kind, file_name, media_type, size, sha256, bytes, status)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'queued')
           ON CONFLICT ON CONSTRAINT uq_contract_counterparty_sha256 DO NOTHING
           RETURNING id`,
          [counterparty.id, input.ourRole, input.title, input.kind, input.fileName, input.mediaType, input.bytes.length, input.sha256, input.bytes],
        )) as Row[];
        if (inserted.length > 0) contractId = inserted[0].id as string;
        else {
          contractId = await this.findContractId(m, counterparty.id, input.sha256);
          duplicate = true;
        }
      }
      if (contractId === null) throw new Error('contract vanished while being created');
      await this.writeAudit(m, {
        actor,
        action: 'contract.upload',
        entity: 'contract',
        entityId: contractId,
        details: { counterpartyId: counterparty.id, fileName: input.fileName, sha256: input.sha256, duplicate },
      });
      const contract = await this.loadContract(m, contractId);
      if (!contract) throw new Error('contract vanished while being created');
      return { contract, duplicate };
    });
  }

  private async findOrCreateCounterparty(m: EntityManager, name: string, normalized: string): Promise<CounterpartyRecord> {
    await m.query(
      `INSERT INTO counterparty (name, normalized_name) VALUES ($1, $2)
       ON CONFLICT ON CONSTRAINT uq_counterparty_normalized_name DO NOTHING`,
      [name, normalized],
    );
    const rows = (await m.query(`SELECT * FROM counterparty WHERE normalized_name = $1`, [normalized])) as Row[];
    const found = counterpartyFromRow(rows[0]);
    if (name !== found.name && !found.aliases.includes(name)) {
      // Keep the other spellings users typed, so the party can be recognized by any of them.
      await m.query(`UPDATE counterparty SET aliases = aliases || jsonb_build_array($1::text) WHERE id = $2`, [name, found.id]);
      found.aliases = [...found.aliases, name];
    }
    return found;
  }

  private async findContractId(m: EntityManager, counterpartyId: string, sha256: string): Promise<string | null> {
    const rows = (await m.query(`SELECT id FROM contract WHERE counterparty_id = $1 AND sha256 = $2`, [counterpartyId, sha256])) as Row[];
    return rows.length ? (rows[0].id as string) : null;
  }

  private async loadContract(m: EntityManager, id: string): Promise<ContractRecord | null> {
    if (!isUuid(id)) return null;
    const rows = (await m.query(
      `SELECT ${CONTRACT_COLUMNS} FROM contract c JOIN counterparty p ON p.id = c.counterparty_id WHERE c.id = $1`,
      [id],
    )) as Row[];
    return rows.length ? contractFromRow(rows[0]) : null;
  }

  getContract(id: string): Promise<ContractRecord | null> {
    return this.loadContract(this.dataSource.manager, id);
  }

  /** `counterparty` is an id, or (part of) a name compared after the same normalization as stored names. */
  private counterpartyCondition(where: Where, value: string, idColumn: string): void {
    const trimmed = value.trim();
    if (isUuid(trimmed)) {
      where.add(`${idColumn} = ${where.param(trimmed.toLowerCase())}`);
      return;
    }
    const normalized = normalizeCounterpartyName(trimmed) || trimmed.toLowerCase();
    where.add(`p.normalized_name ILIKE ${where.param(likeContains(normalized))}`);
  }

  async listContracts(filter: { counterparty?: string; status?: ContractStatus }, page: Page): Promise<Paged<ContractListItem>> {
    const { limit, offset } = clampPage(page);
    const where = new Where();
    if (filter.counterparty?.trim()) this.counterpartyCondition(where, filter.counterparty, 'c.counterparty_id');
    if (filter.status) where.add(`c.status = ${where.param(filter.status)}`);
    const from = `FROM contract c JOIN counterparty p ON p.id = c.counterparty_id ${where.sql()}`;
    const countRows = (await this.dataSource.query(`SELECT count(*) AS n ${from}`, where.params)) as Row[];
    // The counts are grouped over the page's contracts only, in the same statement: no query per row.
    const rows = (await this.dataSource.query(
      `WITH page AS (
         SELECT ${CONTRACT_COLUMNS} ${from} ORDER BY c.created_at DESC, c.id LIMIT ${where.param(limit)} OFFSET ${where.param(offset)}
       )
       SELECT page.*, COALESCE(cl.n, 0) AS clause_count, ${OUTCOMES.map((o) => `COALESCE(f.${o}, 0) AS findings_${o}`).join(', ')}
         FROM page
         LEFT JOIN (SELECT contract_id, count(*) AS n FROM clause WHERE contract_id IN (SELECT id FROM page) GROUP BY contract_id) cl
           ON cl.contract_id = page.id
         LEFT JOIN (
           SELECT contract_id, ${OUTCOMES.map((o) => `count(*) FILTER (WHERE outcome = '${o}') AS ${o}`).join(', ')}
             FROM finding WHERE contract_id IN (SELECT id FROM page) GROUP BY contract_id
         ) f ON f.contract_id = page.id
        ORDER BY page.created_at DESC, page.id`,
      where.params,
    )) as Row[];
    return { items: rows.map(contractListItemFromRow), total: Number(countRows[0].n), limit, offset };
  }

  async getContractFile(id: string): Promise<{ fileName: string; mediaType: string; bytes: Buffer } | null> {
    if (!isUuid(id)) return null;
    const rows = (await this.dataSource.query(`SELECT file_name, media_type, bytes FROM contract WHERE id = $1`, [id])) as Row[];
    if (!rows.length) return null;
    return { fileName: rows[0].file_name as string, mediaType: rows[0].media_type as string, bytes: toBuffer(rows[0].bytes) };
  }

  /** null when there is no such contract, or its text has not been extracted yet. */
  async getContractText(id: string): Promise<{ text: string; pages: StoredPage[] } | null> {
    if (!isUuid(id)) return null;
    const rows = (await this.dataSource.query(`SELECT text, pages FROM contract WHERE id = $1`, [id])) as Row[];
    if (!rows.length || rows[0].text === null) return null;
    return { text: rows[0].text as string, pages: (rows[0].pages as StoredPage[] | null) ?? [] };
  }

  async listUnfinishedContractIds(): Promise<string[]> {
    const rows = (await this.dataSource.query(
      `SELECT id FROM contract WHERE status IN ('queued', 'processing') ORDER BY created_at, id`,
    )) as Row[];
    return rows.map((r) => r.id as string);
  }

  async setStatus(id: string, status: ContractStatus, error?: { code: string; detail: string }): Promise<void> {
    if (!isUuid(id)) return;
    // An error belongs to the failed state only: a retry that succeeds clears it.
    const failed = status === 'failed';
    await this.dataSource.query(
      `UPDATE contract SET status = $2, error_code = $3, error_detail = $4, updated_at = now() WHERE id = $1`,
      [id, status, failed ? (error?.code ?? null) : null, failed ? (error?.detail ?? null) : null],
    );
  }

  async markDone(id: string, clauseIds: string[]): Promise<boolean> {
    if (!isUuid(id)) return false;
    return this.dataSource.transaction(async (m) => {
      // The row lock waits for an extraction in progress (it updates this row first); the clauses read
      // after it are the committed ones, and none can be replaced before this transaction ends.
      const rows = (await m.query(`SELECT id FROM contract WHERE id = $1 FOR UPDATE`, [id])) as Row[];
      if (!rows.length) return false;
      const current = ((await m.query(`SELECT id FROM clause WHERE contract_id = $1`, [id])) as Row[]).map((r) => r.id as string);
      const expected = new Set(clauseIds);
      if (current.length !== expected.size || current.some((c) => !expected.has(c))) return false;
      await m.query(`UPDATE contract SET status = 'done', error_code = NULL, error_detail = NULL, updated_at = now() WHERE id = $1`, [id]);
      return true;
    });
  }

  async saveExtraction(id: string, text: string, pages: StoredPage[], clauses: Clause[]): Promise<ClauseRecord[]> {
    if (!isUuid(id)) throw notFound(id);
    return this.dataSource.transaction(async (m) => {
      // Not done any more until derived again: the obligations and findings go with the old clauses (below).
      const updated = (await m.query(
        `UPDATE contract SET text = $2, pages = $3::jsonb, page_count = $4, updated_at = now(),
                status = CASE WHEN status = 'done' THEN 'processing' ELSE status END
          WHERE id = $1 RETURNING id`,
        [id, text, JSON.stringify(pages), pages.length],
      )) as [Row[], number];
      if (updatedRows(updated).length === 0) throw notFound(id);
      // The obligations derived from the old clauses go with them (foreign key cascade). The
      // findings go too: a `missing` one has no clause to cascade from, yet the new clauses may answer it.
      await m.query(`DELETE FROM finding WHERE contract_id = $1`, [id]);
      await m.query(`DELETE FROM clause WHERE contract_id = $1`, [id]);
      const records: ClauseRecord[] = [];
      for (let i = 0; i < clauses.length; i += INSERT_CHUNK) {
        const chunk = clauses.slice(i, i + INSERT_CHUNK);
        const values = chunk.map((c) => ({
          contractId: id,
          type: c.type,
          ruleId: c.ruleId,
          start: c.start,
          end: c.end,
          page: c.page,
          text: c.text,
          fields: c.fields as Record<string, unknown>,
          confidence: c.confidence,
        })) as QueryDeepPartialEntity<ClauseEntity>[];
        const result = await m.createQueryBuilder().insert().into(ClauseEntity).values(values).returning(['id']).execute();
        chunk.forEach((c, k) => {
          records.push({ ...c, id: (result.identifiers[k] as { id: string }).id, contractId: id });
        });
      }
      return records;
    });
  }

  async listClauses(contractId: string): Promise<ClauseRecord[]> {
    if (!isUuid(contractId)) return [];
    const rows = await this.dataSource.getRepository(ClauseEntity).find({
      where: { contractId },
      // Document order, as the extractor gives it (start, then type); derive's clause indexes and the
      // policy's choice among equals follow this order, so ties must not fall to the random ids.
      order: { start: 'ASC', type: 'ASC', end: 'ASC', ruleId: 'ASC', id: 'ASC' },
    });
    return rows.map(clauseFromEntity);
  }

  async saveObligations(contractId: string, obligations: (ObligationDraft & { clauseId: string })[]): Promise<void> {
    if (!isUuid(contractId)) throw notFound(contractId);
    await this.dataSource.transaction(async (m) => {
      // Lock the contract row so two derivations of one contract cannot interleave their replace.
      const rows = (await m.query(`SELECT counterparty_id FROM contract WHERE id = $1 FOR UPDATE`, [contractId])) as Row[];
      if (!rows.length) throw notFound(contractId);
      const counterpartyId = rows[0].counterparty_id as string;
      const own = new Set(((await m.query(`SELECT id FROM clause WHERE contract_id = $1`, [contractId])) as Row[]).map((r) => r.id as string));
      const stray = obligations.find((o) => !own.has(o.clauseId));
      if (stray) {
        throw new AppError('CLAUSE_NOT_IN_CONTRACT', 409, `Clause ${stray.clauseId} is not a clause of contract ${contractId}; derive obligations again from its current clauses.`);
      }
      await m.query(`DELETE FROM obligation WHERE contract_id = $1`, [contractId]);
      for (let i = 0; i < obligations.length; i += INSERT_CHUNK) {
        const values = obligations.slice(i, i + INSERT_CHUNK).map((o) => ({
          contractId,
          clauseId: o.clauseId,
          counterpartyId,
          clauseIndex: o.clauseIndex,
          type: o.type,
          obligor: o.obligor,
          beneficiary: o.beneficiary,
          action: o.action,
          trigger: o.trigger,
          deadline: o.deadline,
          summary: o.summary,
          details: o.details ?? {},
        })) as QueryDeepPartialEntity<ObligationEntity>[];
        await m.createQueryBuilder().insert().into(ObligationEntity).values(values).execute();
      }
    });
  }

  async saveFindings(contractId: string, findings: NewFinding[]): Promise<void> {
    if (!isUuid(contractId)) throw notFound(contractId);
    await this.dataSource.transaction(async (m) => {
      // Same lock as saveObligations: two derivations of one contract replace in turn.
      const rows = (await m.query(`SELECT id FROM contract WHERE id = $1 FOR UPDATE`, [contractId])) as Row[];
      if (!rows.length) throw notFound(contractId);
      const own = new Set(((await m.query(`SELECT id FROM clause WHERE contract_id = $1`, [contractId])) as Row[]).map((r) => r.id as string));
      const stray = findings.find((f) => f.clauseId !== null && !own.has(f.clauseId));
      if (stray) {
        throw new AppError('CLAUSE_NOT_IN_CONTRACT', 409, `Clause ${stray.clauseId} is not a clause of contract ${contractId}; check the policy again against its current clauses.`);
      }
      await m.query(`DELETE FROM finding WHERE contract_id = $1`, [contractId]);
      if (findings.length === 0) return;
      const values = findings.map((f, position) => ({
        contractId,
        position,
        itemId: f.itemId,
        title: f.title,
        clauseType: f.clauseType,
        outcome: f.outcome,
        detail: f.detail,
        clauseId: f.clauseId,
        value: f.value,
      })) as QueryDeepPartialEntity<FindingEntity>[];
      await m.createQueryBuilder().insert().into(FindingEntity).values(values).execute();
    });
  }

  async listFindings(contractId: string): Promise<FindingRecord[]> {
    if (!isUuid(contractId)) return [];
    const rows = (await this.dataSource.query(
      `SELECT f.id, f.contract_id, f.item_id, f.title, f.clause_type, f.outcome, f.detail, f.clause_id, f.value, f.created_at,
              c.page, c.text AS quote, c.start, c."end"
         FROM finding f LEFT JOIN clause c ON c.id = f.clause_id
        WHERE f.contract_id = $1
        ORDER BY f.position, f.item_id`,
      [contractId],
    )) as Row[];
    return rows.map((r) => ({
      id: r.id as string,
      contractId: r.contract_id as string,
      itemId: r.item_id as string,
      title: r.title as string,
      clauseType: r.clause_type as string,
      outcome: r.outcome as FindingRecord['outcome'],
      detail: r.detail as string,
      clauseId: (r.clause_id as string | null) ?? null,
      value: (r.value as Record<string, unknown> | null) ?? null,
      evidence: r.clause_id ? { page: r.page as number, quote: r.quote as string, start: r.start as number, end: r.end as number } : null,
      createdAt: new Date(r.created_at as string | Date),
    }));
  }

  async deleteContract(id: string, actor: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    return this.dataSource.transaction(async (m) => {
      const deleted = (await m.query(`DELETE FROM contract WHERE id = $1 RETURNING id, counterparty_id, file_name, sha256`, [id])) as [Row[], number];
      const rows = updatedRows(deleted);
      if (!rows.length) return false;
      await this.writeAudit(m, {
        actor,
        action: 'contract.delete',
        entity: 'contract',
        entityId: id,
        details: { counterpartyId: rows[0].counterparty_id, fileName: rows[0].file_name, sha256: rows[0].sha256 },
      });
      return true;
    });
  }

  // ---- counterparties ---------------------------------------------------

  async listCounterparties(page: Page, q?: string): Promise<Paged<CounterpartyRecord>> {
    const { limit, offset } = clampPage(page);
    const where = new Where();
    if (q?.trim()) {
      const normalized = normalizeCounterpartyName(q) || q.trim().toLowerCase();
      const p = where.param(likeContains(normalized));
      const raw = where.param(likeContains(q.trim()));
      // each alias on its own: matched against the JSON text, "[" or "\"" would find every counterparty
      where.add(`(p.normalized_name ILIKE ${p} OR p.name ILIKE ${raw} OR EXISTS (SELECT 1 FROM jsonb_array_elements_text(p.aliases) a(v) WHERE a.v ILIKE ${raw}))`);
    }
    const from = `FROM counterparty p ${where.sql()}`;
    const countRows = (await this.dataSource.query(`SELECT count(*) AS n ${from}`, where.params)) as Row[];
    const rows = (await this.dataSource.query(
      `SELECT p.* ${from} ORDER BY p.normalized_name, p.id LIMIT ${where.param(limit)} OFFSET ${where.param(offset)}`,
      where.params,
    )) as Row[];
    return { items: rows.map(counterpartyFromRow), total: Number(countRows[0].n), limit, offset };
  }

  async getCounterparty(id: string): Promise<CounterpartyRecord | null> {
    if (!isUuid(id)) return null;
    const rows = (await this.dataSource.query(`SELECT * FROM counterparty WHERE id = $1`, [id])) as Row[];
    return rows.length ? counterpartyFromRow(rows[0]) : null;
  }

  async findCounterparty(idOrName: string): Promise<CounterpartyRecord | null> {
    const value = idOrName.trim();
    if (isUuid(value)) return this.getCounterparty(value);
    const normalized = normalizeCounterpartyName(value);
    if (!normalized) return null;
    const rows = (await this.dataSource.query(`SELECT * FROM counterparty WHERE normalized_name = $1`, [normalized])) as Row[];
    return rows.length ? counterpartyFromRow(rows[0]) : null;
  }

  // ---- incidents --------------------------------------------------------

  private readonly auditIn = (m: EntityManager, entry: Parameters<incidents.AuditWriter>[1]) => this.writeAudit(m, entry);

  createIncident(input: NewIncident, actor: string): Promise<StoredIncident> {
    return this.dataSource.transaction((m) => incidents.createIncident(m, input, actor, this.auditIn));
  }

  getIncident(id: string): Promise<StoredIncident | null> {
    return incidents.loadIncident(this.dataSource.manager, id);
  }

  listIncidents(filter: { status?: IncidentStatus }, page: Page): Promise<Paged<StoredIncident>> {
    return incidents.listIncidents(this.dataSource.manager, filter, clampPage(page));
  }

  async updateIncident(id: string, patch: IncidentPatch, actor: string): Promise<{ incident: StoredIncident; changes: IncidentChanges } | null> {
    if (!isUuid(id)) return null;
    return this.dataSource.transaction((m) => incidents.updateIncident(m, id, patch, actor, this.auditIn));
  }

  replaceIncidentDeadlines(incidentId: string, computed: ComputedDeadline[], actor: string, basedOnRevision?: number): Promise<DeadlineReplaceResult | null> {
    return this.dataSource.transaction((m) => incidents.replaceIncidentDeadlines(m, incidentId, computed, actor, this.auditIn, basedOnRevision));
  }

  obligationsForIncident(scope: IncidentScope): Promise<IncidentObligation[]> {
    return incidents.obligationsForIncident(this.dataSource.manager, scope);
  }

  listDeadlines(incidentId: string): Promise<TrackedDeadline[]> {
    return incidents.listDeadlines(this.dataSource.manager, incidentId);
  }

  getDeadline(id: string): Promise<TrackedDeadline | null> {
    return incidents.getDeadline(this.dataSource.manager, id);
  }

  async updateDeadline(id: string, change: DeadlineChange, actor: string): Promise<TrackedDeadline | null> {
    if (!isUuid(id)) return null;
    return this.dataSource.transaction((m) => incidents.updateDeadline(m, id, change, actor, this.auditIn));
  }

  // ---- obligations ------------------------------------------------------

  async searchObligations(filter: ObligationFilter, page: Page): Promise<Paged<ObligationRecord>> {
    const { limit, offset } = clampPage(page);
    return { ...(await this.findObligations(filter, limit, offset)), limit, offset };
  }

  async exportObligations(filter: ObligationFilter, max: number): Promise<{ items: ObligationRecord[]; total: number }> {
    return this.findObligations(filter, Math.max(Math.trunc(max) || 1, 1), 0);
  }

  private async findObligations(filter: ObligationFilter, limit: number, offset: number): Promise<{ items: ObligationRecord[]; total: number }> {
    const where = new Where();
    if (filter.counterparty?.trim()) this.counterpartyCondition(where, filter.counterparty, 'o.counterparty_id');
    if (filter.contractId !== undefined) {
      if (!isUuid(filter.contractId)) return { items: [], total: 0 };
      where.add(`o.contract_id = ${where.param(filter.contractId)}`);
    }
    if (filter.type) where.add(`o.type = ${where.param(filter.type)}`);
    if (filter.action) where.add(`o.action = ${where.param(filter.action)}`);
    if (filter.obligor) where.add(`o.obligor = ${where.param(filter.obligor)}`);
    if (filter.trigger) where.add(`o.trigger = ${where.param(filter.trigger)}`);
    const narrowed = where.size() > 0;
    let rank = '';
    let textCondition = '';
    if (filter.q?.trim()) {
      const query = `websearch_to_tsquery('english', ${where.param(filter.q.trim())})`;
      textCondition = `c.text_search @@ ${query}`;
      rank = `ts_rank(c.text_search, ${query}) DESC, `;
    }
    // With a filter on the obligations (a counterparty, above all) and words, the planner
    // trusts its estimate of how few clauses the words match and starts from the text index:
    // on 200,000 obligations a common phrase then joins ten thousand rows before the
    // counterparty's few hundred are picked out. Narrowing the obligations first (a
    // materialized CTE is evaluated on its own) keeps such a search to the counterparty's rows.
    const from =
      narrowed && textCondition
        ? `FROM (WITH picked AS MATERIALIZED (
              SELECT o.* FROM obligation o JOIN counterparty p ON p.id = o.counterparty_id ${where.sql()}
            ) SELECT * FROM picked) o
           JOIN clause c ON c.id = o.clause_id
           JOIN counterparty p ON p.id = o.counterparty_id
           WHERE ${textCondition}`
        : `FROM obligation o
           JOIN clause c ON c.id = o.clause_id
           JOIN counterparty p ON p.id = o.counterparty_id
           ${textCondition ? `WHERE ${textCondition}` : where.sql()}`;
    // the total comes with the page (one statement instead of two); an empty page past the end needs its own count
    const rows = (await this.dataSource.query(
      `SELECT o.id, o.contract_id, o.clause_id, o.counterparty_id, p.name AS counterparty_name, o.clause_index, o.type,
              o.obligor, o.beneficiary, o.action, o.trigger, o.deadline, o.summary, o.details,
              c.page, c.text AS quote, c.start, c."end", count(*) OVER () AS total
       ${from}
       ORDER BY ${rank}p.normalized_name, o.contract_id, c.start, o.id
       LIMIT ${where.param(limit)} OFFSET ${where.param(offset)}`,
      where.params,
    )) as Row[];
    let total = rows.length > 0 ? Number(rows[0].total) : 0;
    if (rows.length === 0 && offset > 0) {
      const countParams = where.params.slice(0, -2);
      total = Number(((await this.dataSource.query(`SELECT count(*) AS n ${from}`, countParams)) as Row[])[0].n);
    }
    return { items: rows.map(obligationFromRow), total };
  }

  // ---- tokens -----------------------------------------------------------

  async createToken(input: { name: string; role: TokenRole; hash: string; expiresAt?: Date | null }, actor: string): Promise<TokenRecord> {
    return this.dataSource.transaction(async (m) => {
      const repo = m.getRepository(ApiTokenEntity);
      const saved = await repo.save(repo.create({ name: input.name, role: input.role, hash: input.hash, expiresAt: input.expiresAt ?? null, revokedAt: null }));
      // Never the hash: the audit log is readable by admins, the hash is a credential's fingerprint.
      await this.writeAudit(m, { actor, action: 'token.create', entity: 'token', entityId: saved.id, details: { name: input.name, role: input.role } });
      return tokenFromEntity(saved);
    });
  }

  async findTokenByHash(hash: string): Promise<TokenRecord | null> {
    const found = await this.dataSource.getRepository(ApiTokenEntity).findOne({ where: { hash } });
    return found ? tokenFromEntity(found) : null;
  }

  /** true when the token exists (revoked now or before), false when there is no such token. */
  async revokeToken(id: string, actor: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    return this.dataSource.transaction(async (m) => {
      const rows = (await m.query(`SELECT name, revoked_at FROM api_token WHERE id = $1 FOR UPDATE`, [id])) as Row[];
      if (!rows.length) return false;
      if (rows[0].revoked_at === null) {
        await m.query(`UPDATE api_token SET revoked_at = now() WHERE id = $1`, [id]);
        await this.writeAudit(m, { actor, action: 'token.revoke', entity: 'token', entityId: id, details: { name: rows[0].name } });
      }
      return true;
    });
  }

  async countTokens(): Promise<number> {
    return this.dataSource.getRepository(ApiTokenEntity).count();
  }

  // ---- audit ------------------------------------------------------------

  async audit(entry: { actor: string; action: string; entity: string; entityId?: string | null; details?: Record<string, unknown> }): Promise<void> {
    await this.writeAudit(this.dataSource.manager, entry);
  }

  private async writeAudit(
    m: EntityManager,
    entry: { actor: string; action: string; entity: string; entityId?: string | null; details?: Record<string, unknown> },
  ): Promise<void> {
    await m.createQueryBuilder()
      .insert()
      .into(AuditEventEntity)
      .values({ actor: entry.actor, action: entry.action, entity: entry.entity, entityId: entry.entityId ?? null, details: entry.details ?? {} } as QueryDeepPartialEntity<AuditEventEntity>)
      .execute();
  }

  async listAudit(page: Page): Promise<Paged<AuditRecord>> {
    const { limit, offset } = clampPage(page);
    const [rows, total] = await this.dataSource.getRepository(AuditEventEntity).findAndCount({
      order: { at: 'DESC', id: 'DESC' },
      take: limit,
      skip: offset,
    });
    return {
      items: rows.map((e) => ({ id: e.id, at: e.at, actor: e.actor, action: e.action, entity: e.entity, entityId: e.entityId, details: e.details ?? {} })),
      total,
      limit,
      offset,
    };
  }
}

function notFound(id: string): AppError {
  return new AppError('CONTRACT_NOT_FOUND', 404, `There is no contract ${id}.`);
}

/** UPDATE/DELETE ... RETURNING come back from the manager as [rows, affected]. */
function updatedRows(result: [Row[], number] | Row[]): Row[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0];
  return result as Row[];
}
