/**
 * Regulatory notification rules (rules/regulations/<regime>.yaml) and the
 * deadlines they give an incident.
 */
import { type ClockName, type DataCategory } from '../obligations/incident-types';
import { type DeadlineUnit } from '../obligations/types';

export interface AppliesWhen {
  jurisdictions?: string[];
  dataCategories?: DataCategory[];
  sectors?: string[];
  ourDataRole?: ('controller' | 'processor')[];
  origin?: ('ours' | 'vendor')[];
  severity?: ('low' | 'medium' | 'high' | 'critical')[];
  affectedCount?: { gte?: number; gt?: number; lt?: number; ifUnknown: 'applies' | 'does_not_apply' };
  extortionPayment?: true;
}

export interface Regulation {
  /** `<regime>.<slug>`, e.g. `gdpr.art33-authority` */
  id: string;
  regime: string;
  title: string;
  citation: string;
  url: string | null;
  lastChecked: string;
  /** The file the rule was read from (relative to the working directory). */
  file?: string;
  appliesWhen?: AppliesWhen;
  /** The incident times that start the clock, first known wins; and, in words, what starts it. */
  clock?: { from: ClockName[]; startsWhen: string; anchor?: 'end_of_calendar_year' };
  period?: { amount: number; unit: DeadlineUnit } | null;
  /** The source's words where it gives no number ("without undue delay"). */
  qualifier?: string | null;
  /** A second limit that also binds; the deadline is whichever ends first. */
  noLaterThan?: { from: ClockName[]; amount: number; unit: DeadlineUnit } | null;
  endOfDay?: boolean;
  holidayRegion?: string | null;
  recipient?: string;
  notifier?: 'us';
  method?: string[];
  content?: string[];
  notes?: string | null;
}

export { loadRegulations, readRegulationFiles, RegulationError, type LoadedRegulationFile } from './load';
export { regulatoryDeadlines, applicability, deadlineKey } from './deadlines';
export { expandJurisdiction, JURISDICTION_CODE, jurisdictionMatches } from './jurisdictions';
export { regulationTerms } from './terms';
