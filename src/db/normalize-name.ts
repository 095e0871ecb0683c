/**
 * The key a counterparty is found by, however its name was typed:
 * "Northwind Security, Inc." and "NORTHWIND SECURITY INC" are the same party.
 * Lower-cased, accents and punctuation folded, and legal forms dropped from the
 * end of the name (never the whole name: "Limited" alone stays "limited").
 */
const COMPANY_FORMS = new Set([
  'inc', 'incorporated', 'llc', 'llp', 'lp', 'ltd', 'limited', 'gmbh', 'mbh', 'ag', 'kg', 'corp', 'corporation',
  'co', 'company', 'plc', 'sa', 'sas', 'sarl', 'srl', 'spa', 'bv', 'nv', 'ab', 'as', 'asa', 'oy', 'oyj', 'pty', 'pte',
  'pvt', 'kk', 'se',
]);

export function normalizeCounterpartyName(name: string): string {
  const words = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    // Dots and apostrophes join what they separate ("L.L.C." -> "llc", "O'Neil" -> "oneil").
    .replace(/[.'\u2019]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter((w) => w.length > 0);
  while (words.length > 1 && COMPANY_FORMS.has(words[words.length - 1])) words.pop();
  return words.join(' ');
}
