/**
 * CSV as spreadsheets read it (RFC 4180: CRLF line ends, a field quoted when it
 * holds a comma, quote or line break). Cells a spreadsheet would run as a
 * formula are defused, since titles and quotes come from uploaded documents.
 */

/** Leading characters that make a spreadsheet treat a cell as a formula (tab and CR too, per OWASP). */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A header and its rows as one CSV text, ending with a line break. */
export function csvText(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
