/**
 * What the rest of Pactwatch needs from storage, as plain records. The HTTP
 * layer, the jobs and the CLI talk to this interface only; `src/db/` holds its
 * one implementation over TypeORM (PostgreSQL through pg, or embedded PGlite).
 * Plain records keep TypeORM entities out of the routes and the processors.
 */
import { type Clause } from '../extract';
import { type ObligationDraft } from '../obligations/types';

export type OurRole = 'customer' | 'provider';
export type ContractStatus = 'queued' | 'processing' | 'done' | 'failed';
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

export interface Store {
  /** Run pending migrations (also done at start-up). */
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** true when the database answers */
  ping(): Promise<boolean>;

  /** Create the contract (status queued), or return the existing one when this counterparty already has a file with this sha256. */
  createContract(input: NewContract, actor: string): Promise<{ contract: ContractRecord; duplicate: boolean }>;
  getContract(id: string): Promise<ContractRecord | null>;
  listContracts(filter: { counterparty?: string; status?: ContractStatus }, page: Page): Promise<Paged<ContractRecord>>;
  getContractFile(id: string): Promise<{ fileName: string; mediaType: string; bytes: Buffer } | null>;
  getContractText(id: string): Promise<{ text: string; pages: StoredPage[] } | null>;
  /** Contracts still `queued` or `processing` (to enqueue again after a restart or a Redis outage). */
  listUnfinishedContractIds(): Promise<string[]>;
  setStatus(id: string, status: ContractStatus, error?: { code: string; detail: string }): Promise<void>;
  /** Store the text, pages and clauses of a contract in one transaction, replacing any earlier ones. Returns the stored clauses. */
  saveExtraction(id: string, text: string, pages: StoredPage[], clauses: Clause[]): Promise<ClauseRecord[]>;
  listClauses(contractId: string): Promise<ClauseRecord[]>;
  /** Replace the contract's obligations in one transaction (re-deriving never duplicates). */
  saveObligations(contractId: string, obligations: (ObligationDraft & { clauseId: string })[]): Promise<void>;
  deleteContract(id: string, actor: string): Promise<boolean>;

  listCounterparties(page: Page, q?: string): Promise<Paged<CounterpartyRecord>>;
  getCounterparty(id: string): Promise<CounterpartyRecord | null>;

  searchObligations(filter: ObligationFilter, page: Page): Promise<Paged<ObligationRecord>>;

  createToken(input: { name: string; role: TokenRole; hash: string; expiresAt?: Date | null }, actor: string): Promise<TokenRecord>;
  findTokenByHash(hash: string): Promise<TokenRecord | null>;
  revokeToken(id: string, actor: string): Promise<boolean>;
  countTokens(): Promise<number>;

  audit(entry: { actor: string; action: string; entity: string; entityId?: string | null; details?: Record<string, unknown> }): Promise<void>;
  listAudit(page: Page): Promise<Paged<AuditRecord>>;
}
