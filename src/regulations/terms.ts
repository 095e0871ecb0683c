import { type Regulation } from './index';
import { JURISDICTION_CODE } from './jurisdictions';

/**
 * The jurisdictions and sectors the regulation rules test for, sorted: the
 * values an incident's scope can usefully name. Others are accepted (a member
 * state counts as the EU, a US state as the US) but no rule names them; a
 * grouping an incident never names itself (EEA, implied by EU) is left out.
 */
export function regulationTerms(regulations: readonly Regulation[]): { jurisdictions: string[]; sectors: string[] } {
  const jurisdictions = new Set<string>();
  const sectors = new Set<string>();
  for (const r of regulations) {
    for (const j of r.appliesWhen?.jurisdictions ?? []) {
      const code = j.toUpperCase();
      if (JURISDICTION_CODE.test(code)) jurisdictions.add(code);
    }
    for (const s of r.appliesWhen?.sectors ?? []) sectors.add(s);
  }
  const sorted = (values: Set<string>) => [...values].sort((a, b) => a.localeCompare(b));
  return { jurisdictions: sorted(jurisdictions), sectors: sorted(sectors) };
}
