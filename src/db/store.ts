/**
 * What the rest of Pactwatch needs from storage, as plain records. The HTTP
 * layer, the jobs and the CLI talk to this interface only; `src/db/` holds its
 * one implementation over TypeORM (PostgreSQL through pg, or embedded PGlite).
 * Plain records keep TypeORM entities out of the routes and the processors.
 */
import { type Clause } from '../extract';
import { type ObligationDraft } from '../obligations/types';
import { type Finding, type Outcome } from '../policies';
import {
  type ComputedDeadline,
  type DataCategory,
  type IncidentObligation,
  type IncidentOrigin,
  type IncidentRecord,
  type IncidentStatus,
  type TrackedDeadline,
} from '../obligations/incident-types';

/** Our side of a contract. */
export const OUR_ROLES = ['customer', 'provider'] as const;
export type OurRole = (typeof OUR_ROLES)[number];
export const CONTRACT_STATUSES = ['queued', 'processing', 'done', 'failed'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];
export type TokenRole = 'admin' | 'analyst' | 'legal' | 'responder';

export interface Page {
  limit: number;
  offset: number;
}

export interface Paged<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface CounterpartyRecord {
  id: string;
  name: string;
  /** lower-cased, punctuation and company forms folded: "Northwind Security, Inc." -> "northwind security" */
  normalizedName: string;
  aliases: string[];
  createdAt: Date;
}

export interface ContractRecord {
  id: string;
  counterpartyId: string;
  counterpartyName: string;
  ourRole: OurRole;
  title: string | null;
  /** MSA, DPA, SLA, security addendum, BAA, SOW, ... when known */
  kind: string | null;
  fileName: string;
  mediaType: string;
  size: number;
  sha256: string;
  status: ContractStatus;
  errorCode: string | null;
  errorDetail: string | null;
  pageCount: number | null;
  createdAt: Date;
  updatedAt: Date;
}

/** How many of a contract's policy findings came out each way; all 0 until it is checked. */
export type FindingCounts = Record<Outcome, number>;

/** A contract as listed: its record, how many clauses were found in it, and its scorecard in numbers. */
export interface ContractListItem extends ContractRecord {
  clauseCount: number;
  findings: FindingCounts;
}

export interface StoredPage {
  number: number;
  start: number;
  end: number;
}

export interface ClauseRecord extends Clause {
  id: string;
  contractId: string;
}

export interface ObligationRecord extends ObligationDraft {
  id: string;
  contractId: string;
  clauseId: string;
  counterpartyId: string;
  counterpartyName: string;
  /** the clause's evidence, for search results */
  page: number;
  quote: string;
  start: number;
  end: number;
}

/** One policy item's outcome for a contract, as the policy check gave it when the contract was last derived. */
export interface FindingRecord {
  id: string;
  contractId: string;
  itemId: string;
  title: string;
  clauseType: string;
  outcome: Outcome;
  detail: string;
  /** The deciding clause, or null when none decides (missing, or nothing stated). */
  clauseId: string | null;
  value: Record<string, unknown> | null;
  /** The deciding clause's evidence, when there is one. */
  evidence: { page: number; quote: string; start: number; end: number } | null;
  createdAt: Date;
}

/** A finding ready to store: the check's result with its clause index turned into the clause's id. */
export type NewFinding = Omit<Finding, 'clauseIndex'> & { clauseId: string | null };

export interface ObligationFilter {
  counterparty?: string; // id or (part of) a name
  type?: string; // clause type
  action?: string;
  obligor?: string; // 'us' | 'counterparty'
  trigger?: string;
  q?: string; // full-text search over the clause text
  contractId?: string;
}

export interface AuditRecord {
  id: string;
  at: Date;
  actor: string; // token name, or 'system'
  action: string; // 'contract.upload', 'contract.delete', 'token.create', ...
  entity: string; // 'contract', 'token', ...
  entityId: string | null;
  details: Record<string, unknown>;
}

export interface TokenRecord {
  id: string;
  name: string;
  role: TokenRole;
  createdAt: Date;
  revokedAt: Date | null;
  expiresAt: Date | null;
}

export interface NewContract {
  counterparty: string; // the name as typed
  ourRole: OurRole;
  title: string | null;
  kind: string | null;
  fileName: string;
  mediaType: string;
  bytes: Buffer;
  sha256: string;
}

/** An incident as a responder declares it; counterparties already resolved to ids. */
export interface NewIncident {
  title: string;
  description: string | null;
  origin: IncidentOrigin;
  status: IncidentStatus;
  severity: IncidentRecord['severity'];
  occurredAt: Date | null;
  detectedAt: Date | null;
  awareAt: Date | null;
  confirmedAt: Date | null;
  determinedAt: Date | null;
  extortionPaymentAt: Date | null;
  dataCategories: DataCategory[];
  jurisdictions: string[];
  sectors: string[];
  /** ids in the order given, or every customer */
  counterpartyIds: string[] | 'all';
  affectedCount: number | null;
  timeZone: string;
  ourDataRole: IncidentRecord['ourDataRole'];
}

export type IncidentPatch = Partial<NewIncident>;

/** An incident as stored: `revision` grows with every update (see replaceIncidentDeadlines). */
export interface StoredIncident extends IncidentRecord {
  revision: number;
}

/** One field of an incident before and after an update, as written to the audit trail (times as ISO strings). */
export type IncidentChanges = Record<string, { from: unknown; to: unknown }>;

/** Which obligations an incident reaches: those of these counterparties' contracts, plus every contract where we are the provider. */
export interface IncidentScope {
  counterpartyIds: string[];
  allCustomers: boolean;
}

/** What re-computing did to an incident's deadlines (keys). */
export interface DeadlineReplaceResult {
  deadlines: TrackedDeadline[];
  added: string[];
  /** kept with their tracked status; due time, recipient or source may have moved */
  kept: string[];
  /** no longer given by the computation: hidden, their tracked status kept on record */
  withdrawn: string[];
  /** withdrawn before, given again now: back with the status they had */
  restored: string[];
}

/** What a person records about a deadline. `missed` is never set: it is worked out from the due time. */
export type DeadlineChange =
  | { status: 'done'; doneAt: Date; note: string | null; evidenceFileName: string | null }
  | { status: 'not_applicable'; reason: string }
  | { status: 'open' };

/** The triggers that an incident starts; obligations with other triggers are never in an incident's scope. */
export const INCIDENT_TRIGGERS = ['security_incident_suspected', 'security_incident_confirmed', 'security_incident', 'personal_data_breach'] as const;

export interface Store {
  /** Run pending migrations (also done at start-up). */
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** true when the database answers */
  ping(): Promise<boolean>;

  /** Create the contract (status queued), or return the existing one when this counterparty already has a file with this sha256. */
  createContract(input: NewContract, actor: string): Promise<{ contract: ContractRecord; duplicate: boolean }>;
  getContract(id: string): Promise<ContractRecord | null>;
  /** Newest first, each with its clause count and finding counts. */
  listContracts(filter: { counterparty?: string; status?: ContractStatus }, page: Page): Promise<Paged<ContractListItem>>;
  getContractFile(id: string): Promise<{ fileName: string; mediaType: string; bytes: Buffer } | null>;
  getContractText(id: string): Promise<{ text: string; pages: StoredPage[] } | null>;
  /** Contracts still `queued` or `processing` (to enqueue again after a restart or a Redis outage). */
  listUnfinishedContractIds(): Promise<string[]>;
  setStatus(id: string, status: ContractStatus, error?: { code: string; detail: string }): Promise<void>;
  /**
   * Marks the contract done, in one transaction, only if its clauses are still exactly `clauseIds` (those its
   * obligations and findings were derived from). false when an extraction replaced them meanwhile (or the
   * contract is gone): the derivation is stale and must run again.
   */
  markDone(id: string, clauseIds: string[]): Promise<boolean>;
  /**
   * Store the text, pages and clauses of a contract in one transaction, replacing any earlier ones. Returns the
   * stored clauses. A `done` contract goes back to `processing`: its obligations and findings went with the old clauses.
   */
  saveExtraction(id: string, text: string, pages: StoredPage[], clauses: Clause[]): Promise<ClauseRecord[]>;
  listClauses(contractId: string): Promise<ClauseRecord[]>;
  /** Replace the contract's obligations in one transaction (re-deriving never duplicates). */
  saveObligations(contractId: string, obligations: (ObligationDraft & { clauseId: string })[]): Promise<void>;
  /** Replace the contract's policy findings in one transaction. Saving an extraction drops them: they refer to the old clauses. */
  saveFindings(contractId: string, findings: NewFinding[]): Promise<void>;
  /** In the policy's item order, as saved. */
  listFindings(contractId: string): Promise<FindingRecord[]>;
  deleteContract(id: string, actor: string): Promise<boolean>;

  listCounterparties(page: Page, q?: string): Promise<Paged<CounterpartyRecord>>;
  getCounterparty(id: string): Promise<CounterpartyRecord | null>;

  searchObligations(filter: ObligationFilter, page: Page): Promise<Paged<ObligationRecord>>;
  /** The first `max` obligations the filter matches, in search order, for an export (past the page limit); `total` counts every match. */
  exportObligations(filter: ObligationFilter, max: number): Promise<{ items: ObligationRecord[]; total: number }>;

  createToken(input: { name: string; role: TokenRole; hash: string; expiresAt?: Date | null }, actor: string): Promise<TokenRecord>;
  findTokenByHash(hash: string): Promise<TokenRecord | null>;
  revokeToken(id: string, actor: string): Promise<boolean>;
  countTokens(): Promise<number>;

  /** A counterparty by its id, or by its name or an alias as typed (compared after normalization); null when unknown. */
  findCounterparty(idOrName: string): Promise<CounterpartyRecord | null>;

  // ---- incidents: every mutation is audited with its actor ----
  createIncident(input: NewIncident, actor: string): Promise<StoredIncident>;
  getIncident(id: string): Promise<StoredIncident | null>;
  /** Newest first. */
  listIncidents(filter: { status?: IncidentStatus }, page: Page): Promise<Paged<StoredIncident>>;
  /** Applies the fields given; null when there is no such incident. `changes` lists only the fields whose value changed. */
  updateIncident(id: string, patch: IncidentPatch, actor: string): Promise<{ incident: StoredIncident; changes: IncidentChanges } | null>;
  /**
   * Makes the incident's deadlines the computed ones, matched by `key`: a key
   * that stays keeps its tracked status (done, by whom, note, evidence, not
   * applicable); a new key starts open; a key no longer computed is withdrawn
   * (hidden from listDeadlines, kept with its status, restored if computed
   * again). With `basedOnRevision`, returns null without writing when the
   * incident has been updated since (a newer computation will write).
   */
  replaceIncidentDeadlines(incidentId: string, computed: ComputedDeadline[], actor: string, basedOnRevision?: number): Promise<DeadlineReplaceResult | null>;
  /** The incident-triggered obligations of the contracts in scope, with their contract's side and their clause's evidence. */
  obligationsForIncident(scope: IncidentScope): Promise<IncidentObligation[]>;
  /** Soonest first (no due time last, by policy target); withdrawn deadlines are left out. Status as recorded (never `missed`). */
  listDeadlines(incidentId: string): Promise<TrackedDeadline[]>;
  getDeadline(id: string): Promise<TrackedDeadline | null>;
  /** null when there is no such (current) deadline. */
  updateDeadline(id: string, change: DeadlineChange, actor: string): Promise<TrackedDeadline | null>;

  audit(entry: { actor: string; action: string; entity: string; entityId?: string | null; details?: Record<string, unknown> }): Promise<void>;
  listAudit(page: Page): Promise<Paged<AuditRecord>>;
}
