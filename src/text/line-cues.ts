/**
 * What a line of contract text looks like: the cues both the PDF layout
 * rebuilder and the segmenter use to tell where a paragraph, a numbered
 * section or a lettered sub-clause starts. Pure; shared by ingest and extract.
 */

/** Section and list markers at the start of a line: `8.1`, `12.`, `(a)`, `(iv)`, `a.`, `ARTICLE 5`, bullets. */
export const BLOCK_MARKER = new RegExp(
  '^[ \\t\\uFEFF]*(?:' +
    [
      // "ARTICLE 5", "Section 4.2", "Clause 7", "SCHEDULE 2", "Annex A"
      // (only when a heading or a full stop follows: "Section 11 (Limitation of Liability) of the Agreement applies" is a sentence)
      '(?:ARTICLE|Article|SECTION|Section|CLAUSE|Clause|SCHEDULE|Schedule|ANNEX|Annex|EXHIBIT|Exhibit|APPENDIX|Appendix|PART|Part)\\s+(?:\\d{1,3}(?:\\.\\d{1,3})*|[IVXLC]{1,6}|[A-Z])\\b(?:[.:]|(?=[ \\t]*[-–—])|(?=[ \\t]*$)|(?=[ \\t]+[A-Z][A-Z]))',
      // "12." or "12.3" / "12.3.4" / "12.3." followed by a capital, a quote or a bracket (not "1.5 times")
      '\\d{1,3}\\.(?:\\d{1,3}\\.?)*(?=[ \\t]+["“(\\[A-Z])',
      '\\d{1,3}\\.(?=[ \\t]+\\S)',
      // "(a)", "(iv)", "(A)", "(12)"
      '\\((?:[a-z]{1,2}|[ivxlc]{1,6}|[A-Z]{1,2}|[IVXLC]{1,6}|\\d{1,3})\\)(?=[ \\t])',
      // "a.", "iv.", "A)" followed by a space
      '(?:[a-z]|[ivx]{2,5}|[A-Z])[.)](?=[ \\t]+\\S)',
      // bullets
      '[•▪◦●·*–-](?=[ \\t]+\\S)',
    ].join('|') +
    ')',
);

export function markerAt(line: string): string | null {
  const m = BLOCK_MARKER.exec(line);
  return m ? m[0].trim() : null;
}

const SMALL_WORDS = new Set([
  'a', 'an', 'and', 'as', 'at', 'by', 'for', 'from', 'in', 'into', 'of', 'on', 'or', 'the', 'to', 'with', 'under', 'upon', 'its', 'our', 'your',
]);

/**
 * A heading: a short line that does not end a sentence, in capitals or title
 * case ("9. DATA PROTECTION", "Limitation of Liability", "Schedule 2 - Service Levels").
 */
export function isHeadingLine(line: string): boolean {
  const t = line.trim().replace(/^\uFEFF/, '');
  if (t.length === 0 || t.length > 90) return false;
  if (/[,;]$/.test(t)) return false;
  const body = t.replace(BLOCK_MARKER, '').trim().replace(/[.:]$/, '');
  if (body.length === 0) return false;
  const words = body.split(/\s+/).filter((w) => /[A-Za-z]/.test(w));
  if (words.length === 0 || words.length > 12) return false;
  // "AND" between two parties, "BETWEEN" before them: connectives, not headings
  if (words.length === 1 && SMALL_WORDS.has(words[0].toLowerCase())) return false;
  if (SMALL_WORDS.has(words[words.length - 1].toLowerCase())) return false;
  // A sentence that happens to be short ends with a full stop and has a verb; a
  // heading with a full stop is rare but a run-in "9.2 Security Incidents." is
  // handled by the segmenter, not here.
  // Plain-English terms use questions as headings: "What happens if there's a security breach?"
  if (/\?$/.test(t) && /^(?:what|how|when|who|whom|which|can|do|does|will|is|are|why|where|should|may)\b/i.test(body)) return true;
  if (/[.!?]$/.test(t) && !/^[A-Z0-9 .&/'’()-]+$/.test(t)) return false;
  const letters = body.replace(/[^A-Za-z]/g, '');
  // "THIS AGREEMENT SHALL BE GOVERNED BY DELAWARE LAW." is a sentence in capitals, not a heading
  if (/\b(?:SHALL|WILL|MUST|MAY|IS|ARE|HAS|HAVE|AGREES?|SHALL NOT|DOES|DO)\b/.test(body) && /[.!]$/.test(t)) return false;
  if (letters.length >= 3 && letters === letters.toUpperCase()) return true;
  // "7.1 The Supplier shall:" introduces a list; it is not a heading
  if (/\b(?:shall|will|must|may|agrees?|undertakes?)\b/i.test(body) && /:$/.test(t)) return false;
  const significant = words.filter((w) => !SMALL_WORDS.has(w.toLowerCase()));
  const capitalised = significant.filter((w) => /^["“(]?[A-Z0-9]/.test(w)).length;
  return significant.length > 0 && capitalised >= significant.length && /^["“(]?[A-Z0-9]/.test(body);
}

/** True when the line ends a sentence (closing quotes and brackets allowed after the stop). */
export function endsSentence(line: string): boolean {
  return /[.!?:;]["”’')\]]*\s*$/.test(line);
}

/** An ALL-CAPS line of prose (a disclaimer or limitation paragraph), not a heading. */
export function isAllCapsProse(line: string): boolean {
  const letters = line.replace(/[^A-Za-z]/g, '');
  return letters.length >= 40 && letters === letters.toUpperCase();
}

const NUMBER_WORD_END = /\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million)$/i;

/**
 * Does a line that begins with a marker really open a new block, given the
 * line before it? In wrapped text "within ten" + "(10) business days" is one
 * sentence, and so is "... shall apply to" + "(a) the following" only when the
 * previous line is cut at full width mid-phrase.
 */
export function markerStartsBlock(prev: string, line: string, prevIsShort: boolean): boolean {
  if (!BLOCK_MARKER.test(line)) return false;
  if (NUMBER_WORD_END.test(prev.trimEnd()) && /^\s*\(\d+\)/.test(line)) return false;
  const p = prev.trimEnd();
  // After ";", "and" or "or" at full width the letter may be inline ("... to (a) X; (b) Y") and
  // merely wrapped to the start of a line; a real list item follows a line that ends short.
  return /[.!?:—–-]["”’')\]]*$/.test(p) || prevIsShort;
}

/** A numbered section's title in sentence case: "Limits on liability", "Data return" (short, no verb, no full stop). */
export function isShortTitle(body: string): boolean {
  const t = body.trim();
  if (t.length === 0 || t.length > 60 || /[.;,:]$/.test(t) || !/^["“(]?[A-Z]/.test(t)) return false;
  const words = t.split(/\s+/);
  return words.length <= 7 && !/\b(?:shall|will|must|may|is|are|has|have|agrees?|means)\b/i.test(t);
}
