/**
 * The shapes shared by the pure incident core (which deadlines an incident
 * starts, and when they fall due) and the layers that store, serve and export
 * them. Times are instants (Date, UTC); the incident's time zone only decides
 * how calendar and business days are counted and how times are shown.
 */
import { type ObligationDraft } from './types';

export type DataCategory = 'personal_data' | 'special_categories' | 'health_data' | 'cardholder_data' | 'credentials' | 'customer_content' | 'none';
export const DATA_CATEGORIES: readonly DataCategory[] = ['personal_data', 'special_categories', 'health_data', 'cardholder_data', 'credentials', 'customer_content', 'none'];

export type IncidentStatus = 'suspected' | 'confirmed' | 'contained' | 'closed';
export const INCIDENT_STATUSES: readonly IncidentStatus[] = ['suspected', 'confirmed', 'contained', 'closed'];

/** ours: in our own systems; vendor: reported by a counterparty. */
export const INCIDENT_ORIGINS = ['ours', 'vendor'] as const;
export type IncidentOrigin = (typeof INCIDENT_ORIGINS)[number];

export const INCIDENT_SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];

/** Our role toward the personal data an incident involves. */
export const OUR_DATA_ROLES = ['controller', 'processor'] as const;
export type OurDataRole = (typeof OUR_DATA_ROLES)[number];

/** The clock times an incident knows; each may start a different deadline. */
export interface IncidentClocks {
  occurredAt: Date | null;
  detectedAt: Date | null;
  /** became aware */
  awareAt: Date | null;
  /** confirmed as a breach */
  confirmedAt: Date | null;
  /** materiality or notifiability determined */
  determinedAt: Date | null;
  /** an extortion (ransom) payment was made (NYDFS 500.17(c)) */
  extortionPaymentAt?: Date | null;
}

export type ClockName = keyof IncidentClocks;

/** What the deadline computation needs to know about an incident. */
export interface IncidentFacts extends IncidentClocks {
  origin: IncidentOrigin;
  status: IncidentStatus;
  severity: IncidentSeverity | null;
  dataCategories: DataCategory[];
  /**
   * Where the people affected are: 'EU', 'UK', 'US', US states as 'US-NY', 'US-CA', ..., and ISO
   * country codes ('IN', 'AU', 'SG', 'BR', 'DE', ...). An EU member state implies 'EU'.
   */
  jurisdictions: string[];
  /** The counterparties affected: for a vendor incident, the vendor(s); for ours, the customers (or all). */
  counterpartyIds: string[] | 'all';
  affectedCount: number | null;
  /** IANA zone, e.g. 'Europe/Berlin'. */
  timeZone: string;
  /** Sectors and roles that decide whether a regime applies: 'financial_services', 'health', 'public_company', 'essential_entity', 'important_entity', 'ny_dfs_licensed', ... */
  sectors: string[];
  /** Our role toward the personal data involved. */
  ourDataRole: OurDataRole | null;
}

/** An obligation as stored, with what the computation needs about its contract. */
export interface IncidentObligation extends Omit<ObligationDraft, 'clauseIndex'> {
  id: string;
  contractId: string;
  clauseId: string;
  counterpartyId: string;
  counterpartyName: string;
  /** our side of the contract the obligation comes from */
  ourRole: 'customer' | 'provider';
  page: number;
  quote: string;
}

export type DeadlineSource =
  | { kind: 'clause'; contractId: string; clauseId: string; obligationId: string; counterpartyId: string; counterpartyName: string; page: number; quote: string }
  | { kind: 'regulation'; regime: string; ruleId: string; citation: string; url: string | null; lastChecked: string };

/** One deadline an incident starts, as computed (status is tracked by the store, keyed by `key`). */
export interface ComputedDeadline {
  /** Stable across re-computation for the same source and recipient, so tracked status survives a change of clock times. */
  key: string;
  title: string;
  /** null when the source gives no number ("without undue delay", "promptly") */
  dueAt: Date | null;
  qualifier: string | null;
  /** The organisation's policy target where the source gives no number: a target, never the deadline. */
  policyTargetAt: Date | null;
  /** What started the clock, and when. */
  clock: { name: ClockName; at: Date };
  /** Who must notify whom: 'us', a counterparty's name, or an authority ("supervisory authority", "HHS", "SEC"). */
  notifier: string;
  recipient: string;
  /** How the notice must be given, where the source says (e-mail, written notice, portal, telephone, ...). */
  method: string[];
  /** What the notice must contain, where the source says. */
  content: string[];
  /** For recurring duties (updates every 24 hours): the period, and which occurrence this is (1-based). */
  recurrence: { everyHours: number; occurrence: number } | null;
  /** Whether we owe it ('us') or track it as the counterparty's duty to us ('counterparty'). */
  owedBy: 'us' | 'counterparty';
  source: DeadlineSource;
}

export type DeadlineStatus = 'open' | 'done' | 'missed' | 'not_applicable';

/** A computed deadline as stored and tracked for an incident. */
export interface TrackedDeadline extends ComputedDeadline {
  id: string;
  incidentId: string;
  /** open | done | not_applicable as set by people; missed is computed when dueAt has passed and it is still open */
  status: DeadlineStatus;
  doneAt: Date | null;
  doneBy: string | null;
  note: string | null;
  /** name of an evidence file attached when marking done, if any */
  evidenceFileName: string | null;
  notApplicableReason: string | null;
}

/** An incident as stored and shown. */
export interface IncidentRecord extends IncidentFacts {
  id: string;
  title: string;
  description: string | null;
  /** the counterparties' names, in the order of counterpartyIds (empty when 'all') */
  counterpartyNames: string[];
  createdAt: Date;
  updatedAt: Date;
  createdBy: string;
}
