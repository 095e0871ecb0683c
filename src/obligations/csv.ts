/** Obligations as a spreadsheet: one row each, with the clause it came from as evidence. */
import { csvText } from '../csv';
import { deadlineText } from './deadline-text';
import { type ObligationDraft } from './types';

/** An obligation as searched: its contract and counterparty, and its clause's page and text. */
export interface ObligationExportRow extends Pick<ObligationDraft, 'type' | 'action' | 'obligor' | 'beneficiary' | 'trigger' | 'deadline' | 'summary'> {
  counterpartyName: string;
  contractId: string;
  page: number;
  quote: string;
}

export const OBLIGATION_CSV_HEADER = ['Counterparty', 'Contract id', 'Type', 'Action', 'Obligor', 'Beneficiary', 'Trigger', 'Deadline', 'Summary', 'Page', 'Quote'] as const;

export function renderObligationsCsv(obligations: readonly ObligationExportRow[]): string {
  const rows = obligations.map((o) => [
    o.counterpartyName,
    o.contractId,
    o.type,
    o.action,
    o.obligor,
    o.beneficiary,
    o.trigger,
    deadlineText(o.deadline),
    o.summary,
    String(o.page),
    o.quote,
  ]);
  return csvText(OBLIGATION_CSV_HEADER, rows);
}
