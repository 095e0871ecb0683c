import { type ObligationRecord } from './store';

/** An obligation row joined with its clause (page, quote, offsets) and counterparty name, as a record. */
export function obligationFromRow(r: Record<string, unknown>): ObligationRecord {
  return {
    id: r.id as string,
    contractId: r.contract_id as string,
    clauseId: r.clause_id as string,
    counterpartyId: r.counterparty_id as string,
    counterpartyName: r.counterparty_name as string,
    clauseIndex: Number(r.clause_index),
    type: r.type as string,
    obligor: r.obligor as ObligationRecord['obligor'],
    beneficiary: r.beneficiary as ObligationRecord['beneficiary'],
    action: r.action as ObligationRecord['action'],
    trigger: r.trigger as ObligationRecord['trigger'],
    deadline: (r.deadline as ObligationRecord['deadline']) ?? null,
    summary: r.summary as string,
    details: (r.details as Record<string, unknown> | null) ?? {},
    page: Number(r.page),
    quote: r.quote as string,
    start: Number(r.start),
    end: Number(r.end),
  };
}
