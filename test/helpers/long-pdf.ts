import fs from 'node:fs';
import path from 'node:path';
import { pdfBytes } from './bad-files';

/** A long contract, as a vendor portfolio has them: one fixture's text over and over, to about `pages` pages. */
export async function longPdf(pages: number, fixture = 'saas-dpa-lumen.txt'): Promise<Buffer> {
  const body = fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'contracts', fixture), 'utf8');
  return pdfBytes(
    (d) => {
      d.fontSize(10);
      let written = 1;
      while (written < pages) {
        d.text(body);
        written = d.bufferedPageRange().count;
      }
    },
    { bufferPages: true },
  );
}
