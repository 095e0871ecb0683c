/** A page of a document: `text.slice(start, end)` is what the page holds. */
export interface Page {
  number: number;
  start: number;
  end: number;
}

export type DocumentFormat = 'pdf' | 'docx' | 'text';

/**
 * The one shape every format is turned into. Offsets everywhere in Pactwatch
 * are offsets into `text` (UTF-16 code units, as JavaScript strings count).
 */
export interface TextDocument {
  format: DocumentFormat;
  text: string;
  pages: Page[];
}

/** The number of the page holding character `offset`. */
export function pageAt(pages: readonly Page[], offset: number): number {
  let lo = 0;
  let hi = pages.length - 1;
  if (hi < 0) return 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (pages[mid].start <= offset) lo = mid;
    else hi = mid - 1;
  }
  return pages[lo].number;
}
