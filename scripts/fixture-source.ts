/**
 * Reads a fixture contract written as plain text into pages of paragraphs and
 * tables, the structure the PDF and DOCX builders typeset. Conventions of the
 * text files: a line holding only a form feed ends a page; a blank line ends a
 * paragraph; consecutive lines of a paragraph are joined with a space (hard
 * wrapping); lines of the form `| a | b |` are table rows.
 */
export type Block =
  | { kind: 'paragraph'; text: string; marker: string | null; body: string; heading: boolean }
  | { kind: 'table'; rows: string[][] };

export interface SourcePage {
  blocks: Block[];
}

const MARKER = /^(\d{1,3}\.(?:\d{1,3}\.?)*|\((?:[a-z]{1,2}|[ivxlc]{1,6}|\d{1,2})\))\s+/;

function isHeading(text: string): boolean {
  const body = text.replace(MARKER, '');
  if (body.length > 80 || /[.;:,]$/.test(body)) return false;
  const letters = body.replace(/[^A-Za-z]/g, '');
  return letters.length > 2 && letters === letters.toUpperCase();
}

export function readFixtureSource(source: string): SourcePage[] {
  const text = source.replace(/\r\n?/g, '\n');
  return text.split(/\n?\f\n?/).map((pageText) => {
    const blocks: Block[] = [];
    for (const chunk of pageText.split(/\n[ \t]*\n/)) {
      const lines = chunk.split('\n').filter((l) => l.trim() !== '');
      if (lines.length === 0) continue;
      if (lines.every((l) => /^\s*\|.*\|\s*$/.test(l))) {
        blocks.push({ kind: 'table', rows: lines.map((l) => l.trim().replace(/^\||\|$/g, '').split('|').map((c) => c.trim())) });
        continue;
      }
      const joined = lines.map((l) => l.trim()).join(' ');
      const m = MARKER.exec(joined);
      blocks.push({
        kind: 'paragraph',
        text: joined,
        marker: m ? m[1] : null,
        body: m ? joined.slice(m[0].length) : joined,
        heading: isHeading(joined),
      });
    }
    return { blocks };
  });
}

/** The first line of the file, used as the running header. */
export function fixtureTitle(source: string): string {
  return source.split('\n').find((l) => l.trim() !== '')?.trim() ?? 'Contract';
}
