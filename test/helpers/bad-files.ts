import JSZip from 'jszip';
import PDFDocument from 'pdfkit';

/** Builds the kinds of broken and hostile documents users upload, in memory. */

export function pdfBytes(draw: (doc: PDFKit.PDFDocument) => void, options: PDFKit.PDFDocumentOptions = {}): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'LETTER', ...options });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  draw(doc);
  doc.end();
  return done;
}

export const SAMPLE_SENTENCE =
  'The Supplier shall notify the Customer within seventy-two (72) hours after becoming aware of a Security Incident affecting Customer Data.';

/** A one-page PDF with a text layer. */
export function textPdf(text = SAMPLE_SENTENCE): Promise<Buffer> {
  return pdfBytes((d) => d.fontSize(11).text(text));
}

/** A password-protected PDF (RC4/AES as pdfkit writes it). */
export function encryptedPdf(): Promise<Buffer> {
  return pdfBytes((d) => d.text(SAMPLE_SENTENCE), { userPassword: 'secret', ownerPassword: 'owner' });
}

/** A PDF with only drawings: what a scanner produces, minus the image. */
export function scannedPdf(pages = 2): Promise<Buffer> {
  return pdfBytes((d) => {
    for (let p = 0; p < pages; p++) {
      if (p > 0) d.addPage();
      for (let i = 0; i < 40; i++) d.rect(72, 72 + i * 14, 300 + (i % 5) * 20, 8).fill('#333');
    }
  });
}

export async function docxBytes(documentXml: string, extra: Record<string, string> = {}): Promise<Buffer> {
  const zip = new JSZip();
  zip.file(
    '[Content_Types].xml',
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
  );
  zip.file(
    '_rels/.rels',
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
  );
  zip.file('word/document.xml', documentXml);
  for (const [name, content] of Object.entries(extra)) zip.file(name, content);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

export function wordXml(paragraphs: string[]): string {
  const body = paragraphs.map((p) => `<w:p><w:r><w:t xml:space="preserve">${p}</w:t></w:r></w:p>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}</w:body></w:document>`;
}

/** A DOCX whose document.xml unpacks to `unpackedBytes` of white space: a small zip bomb. */
export function zipBombDocx(unpackedBytes: number): Promise<Buffer> {
  const padding = ' '.repeat(unpackedBytes);
  return docxBytes(wordXml(['Contract']).replace('<w:body>', `<w:body>${padding}`));
}

/** A ZIP that is a spreadsheet, not a Word document. */
export async function xlsxLikeZip(): Promise<Buffer> {
  const zip = new JSZip();
  zip.file('[Content_Types].xml', '<Types/>');
  zip.file('xl/workbook.xml', '<workbook/>');
  return zip.generateAsync({ type: 'nodebuffer' });
}
