import path from 'node:path';
import { type IncidentFacts } from '../../src/obligations/incident-types';
import { type Policy } from '../../src/policies';
import { readRegulationFiles, type LoadedRegulationFile } from '../../src/regulations';
import { type ExampleIncident } from '../../src/regulations/schema';

export const RULES_DIR = path.join(__dirname, '..', '..', 'rules');

/** The policy every rule example is computed with: a 24-hour target for any duty without a number. */
export const EXAMPLE_POLICY: Policy = { deadlineTargets: { default: { amount: 24, unit: 'hours' } } };

let cached: LoadedRegulationFile[] | null = null;

/** The project's regulation files, read once per test file. */
export function projectRegulationFiles(): LoadedRegulationFile[] {
  cached ??= readRegulationFiles(RULES_DIR);
  return cached;
}

const time = (s: string | null | undefined) => (s ? new Date(s) : null);

/** An example's incident as the computation sees it. */
export function exampleIncident(e: ExampleIncident): IncidentFacts {
  return {
    occurredAt: time(e.occurredAt),
    detectedAt: time(e.detectedAt),
    awareAt: time(e.awareAt),
    confirmedAt: time(e.confirmedAt),
    determinedAt: time(e.determinedAt),
    extortionPaymentAt: time(e.extortionPaymentAt),
    origin: e.origin,
    status: e.status,
    severity: e.severity,
    dataCategories: e.dataCategories as IncidentFacts['dataCategories'],
    jurisdictions: e.jurisdictions,
    counterpartyIds: 'all',
    affectedCount: e.affectedCount,
    timeZone: e.timeZone,
    sectors: e.sectors,
    ourDataRole: e.ourDataRole,
  };
}

/** A bare incident for unit tests: nothing known but what the test sets. */
export function incident(overrides: Partial<IncidentFacts> = {}): IncidentFacts {
  return {
    occurredAt: null,
    detectedAt: null,
    awareAt: null,
    confirmedAt: null,
    determinedAt: null,
    extortionPaymentAt: null,
    origin: 'ours',
    status: 'confirmed',
    severity: null,
    dataCategories: [],
    jurisdictions: [],
    counterpartyIds: 'all',
    affectedCount: null,
    timeZone: 'UTC',
    sectors: [],
    ourDataRole: null,
    ...overrides,
  };
}
