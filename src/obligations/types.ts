/**
 * Obligations: the duties a contract's clauses create, in the terms an incident
 * responder and a lawyer search by. Derived from clauses by a pure function
 * (derive.ts); the database stores them with a link to their clause.
 */
import { type Clause } from '../extract';

/** Who owes the duty, seen from our side of the contract. */
export const PARTIES = ['us', 'counterparty', 'both'] as const;
export type Party = (typeof PARTIES)[number];

/** What a duty asks for; the list the search and the pages offer. */
export const OBLIGATION_ACTIONS = [
  'notify_incident',
  'send_incident_updates',
  'deliver_root_cause_report',
  'return_data',
  'delete_data',
  'export_data',
  'certify_deletion',
  'provide_transition_assistance',
  'notify_new_subprocessor',
  'flow_down_obligations',
  'remain_liable_for_subprocessors',
  'obtain_approval_for_subprocessor',
  'maintain_insurance',
  'allow_audit',
  'provide_assurance_reports',
  'meet_sla',
  'retain_logs',
  'keep_data_in_region',
  'indemnify',
  'give_termination_notice',
  'obtain_consent_to_assign',
] as const;
export type ObligationAction = (typeof OBLIGATION_ACTIONS)[number];

/** What starts a duty. */
export const OBLIGATION_TRIGGERS = [
  'security_incident_suspected',
  'security_incident_confirmed',
  'security_incident',
  'personal_data_breach',
  'termination',
  'request',
  'new_subprocessor',
  'claim',
  'none',
] as const;
export type ObligationTrigger = (typeof OBLIGATION_TRIGGERS)[number];

export type DeadlineUnit = 'seconds' | 'minutes' | 'hours' | 'days' | 'business_days' | 'weeks' | 'months' | 'years';

export interface ObligationDeadline {
  amount: number | null;
  unit: DeadlineUnit | null;
  /** "without undue delay", "promptly", ... when the clause gives one */
  qualifier: string | null;
  /** for recurring duties (incident updates every 24 hours) */
  recurring: boolean;
  /**
   * true when the period is notice to be given before the event (30 days' notice before a new
   * sub-processor is engaged, 90 days' notice of termination) rather than a limit after the trigger
   */
  advance?: boolean;
}

export interface ObligationDraft {
  /** the clause type it came from */
  type: string;
  obligor: Party;
  beneficiary: Party;
  action: ObligationAction;
  trigger: ObligationTrigger;
  /** null for an ongoing duty with no deadline */
  deadline: ObligationDeadline | null;
  /** a one-line human summary: "Notify of a security incident within 72 hours of awareness" */
  summary: string;
  /** extra values from the clause worth showing (amount insured, regions, ...) */
  details: Record<string, unknown>;
  /** index into the clause list given to derive() */
  clauseIndex: number;
}

export interface DeriveInput {
  ourRole: 'customer' | 'provider';
  /** the contract's clauses, in document order, as the extractor gives them */
  clauses: Clause[];
  /**
   * the counterparty's name as recorded for the contract, when known: it settles which side a
   * contract's own defined term ("Cascadia", "Palisade") stands for when the term is no generic
   * role word and the parties clause does not tell
   */
  counterpartyName?: string;
}
