/**
 * Which jurisdictions an incident's affected people fall under, so that a rule
 * written for 'EU' applies to people in 'DE', and one for 'US' to 'US-NY'.
 */

/**
 * How an incident names where its people are: a country or region code with an optional
 * subdivision (EU, UK, US, US-NY, DE). Groupings that only follow from those (EEA) are not named.
 */
export const JURISDICTION_CODE = /^[A-Z]{2}(?:-[A-Z0-9]{1,3})?$/;

export const EU_MEMBER_STATES: readonly string[] = [
  'AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE', 'IT', 'LV', 'LT', 'LU', 'MT', 'NL',
  'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE',
];

/** Iceland, Liechtenstein and Norway apply the GDPR through the EEA Agreement. */
const EEA_ONLY: readonly string[] = ['IS', 'LI', 'NO'];

/**
 * Every code one of the incident's jurisdictions counts as. A state implies its
 * country, but a bare 'US' implies no state: which state's law applies depends
 * on where the people live, and listing all fifty would bury the real duties.
 */
export function expandJurisdiction(code: string): string[] {
  let c = code.trim().toUpperCase();
  // Greece's ISO code is GR; the EU's own lists write EL
  if (c === 'EL') c = 'GR';
  const out = new Set<string>([c]);
  if (c === 'GB' || c === 'UK') {
    out.add('GB');
    out.add('UK');
  }
  if (c === 'EU') out.add('EEA');
  if (EU_MEMBER_STATES.includes(c)) {
    out.add('EU');
    out.add('EEA');
  }
  if (EEA_ONLY.includes(c)) out.add('EEA');
  const dash = c.indexOf('-');
  if (dash > 0) {
    for (const parent of expandJurisdiction(c.slice(0, dash))) out.add(parent);
  }
  return [...out];
}

/** true when any of the incident's jurisdictions falls under any of the rule's. */
export function jurisdictionMatches(incidentJurisdictions: readonly string[], ruleJurisdictions: readonly string[]): boolean {
  const covered = new Set(incidentJurisdictions.flatMap(expandJurisdiction));
  return ruleJurisdictions.some((j) => covered.has(j.toUpperCase()));
}
